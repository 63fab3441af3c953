"""Preset library: configs/presets/*.yaml as typed data, loaded once per process.

The built-in configs (presets, production templates, the example, the JSON Schemas) are the package data
of ``production_assets.configs``: the repository's top-level ``configs/`` folder, mapped into the package
by pyproject.toml, so a wheel installed anywhere and an editable install read them the same way.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

import production_assets.configs
from production_assets.errors import ConfigError
from production_assets.model.presets import PresetLibrary

PRESET_FILES = ("styles", "locations", "shot_templates", "wardrobes", "output_formats")


def builtin_configs_dir() -> Path:
    """The configs shipped with the package (``configs/`` of the repository)."""
    folder = resources.files(production_assets.configs)
    if not isinstance(folder, Path):
        raise ConfigError(
            f"the built-in configs are inside an archive ({folder}); they are read as files",
            suggestion="install production_assets unpacked (pip install)",
        )
    return folder


def configs_dir() -> Path:
    """Presets, templates and examples: $PRODUCTION_CONFIGS_DIR when set, else the built-in configs."""
    override = os.environ.get("PRODUCTION_CONFIGS_DIR")
    return Path(override) if override else builtin_configs_dir()


def presets_dir() -> Path:
    return configs_dir() / "presets"


@lru_cache(maxsize=8)
def _load_library(folder: str) -> PresetLibrary:
    data = {}
    for name in PRESET_FILES:
        path = Path(folder) / f"{name}.yaml"
        try:
            data[name] = yaml.load(
                path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            )
        except (OSError, yaml.YAMLError) as error:
            raise ConfigError(f"preset file {path} cannot be read: {error}") from None
    try:
        return PresetLibrary.model_validate(data)
    except ValidationError as error:
        raise ConfigError(f"preset files in {folder} are invalid: {error}") from None


def load_presets(folder: Path | None = None) -> PresetLibrary:
    """Every preset by kind and name."""
    return _load_library(str(folder or presets_dir()))
