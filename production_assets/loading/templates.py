"""`production create`: a new production folder from a template, comments kept (ruamel.yaml)."""

from __future__ import annotations

import shutil
from pathlib import Path

from ruamel.yaml import YAML

from production_assets.errors import ConfigError
from production_assets.loading.presets import configs_dir


def templates_dir() -> Path:
    """configs/production/templates: one <name>.yaml per template, beside an optional <name>/ of its files."""
    return configs_dir() / "production" / "templates"


def template_names() -> list[str]:
    return sorted(path.stem for path in templates_dir().glob("*.yaml"))


def template_path(template: str) -> Path:
    return templates_dir() / f"{template}.yaml"


def create_production(folder: Path, template: str) -> Path:
    """Copy a template into a new folder, titled after it; refuses to overwrite."""
    source = template_path(template)
    if not source.is_file():
        raise ConfigError(f"unknown template {template!r}", suggestion=f"use one of {', '.join(template_names())}")
    if folder.exists() and any(folder.iterdir()):
        raise ConfigError(f"{folder} already exists and is not empty", suggestion="choose a new name")
    yaml = YAML()
    yaml.preserve_quotes = True
    document = yaml.load(source.read_text(encoding="utf-8"))
    document["production"]["title"] = folder.name.replace("_", " ").title()
    staging = folder.parent / f".{folder.name}.creating"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    assets = source.parent / template
    if assets.is_dir():
        shutil.copytree(assets, staging, dirs_exist_ok=True)
    with (staging / "production.yaml").open("w", encoding="utf-8") as handle:
        yaml.dump(document, handle)
    if folder.exists():
        folder.rmdir()
    staging.rename(folder)
    return folder / "production.yaml"
