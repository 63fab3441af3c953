"""Preset library: configs/presets/*.yaml as typed data, loaded once per process."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from production_assets.errors import ConfigError
from production_assets.model.presets import PresetLibrary

PRESET_FILES = ("styles", "locations", "shot_templates", "wardrobes", "output_formats")


def configs_dir() -> Path:
    """The repository's configs/ folder (override with PRODUCTION_CONFIGS_DIR)."""
    override = os.environ.get("PRODUCTION_CONFIGS_DIR")
    return Path(override) if override else Path(__file__).resolve().parents[2] / "configs"


def presets_dir() -> Path:
    return configs_dir() / "presets"


@lru_cache(maxsize=8)
def _load_library(folder: str) -> PresetLibrary:
    data = {}
    for name in PRESET_FILES:
        path = Path(folder) / f"{name}.yaml"
        try:
            data[name] = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (OSError, yaml.YAMLError) as error:
            raise ConfigError(f"preset file {path} cannot be read: {error}") from None
    try:
        return PresetLibrary.model_validate(data)
    except ValidationError as error:
        raise ConfigError(f"preset files in {folder} are invalid: {error}") from None


def load_presets(folder: Path | None = None) -> PresetLibrary:
    """Every preset by kind and name."""
    return _load_library(str(folder or presets_dir()))
