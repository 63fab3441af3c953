"""Load a production from a YAML file or a production folder, keeping positions."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from production_assets.collector import collector_paused
from production_assets.errors import ConfigError, SourceLocation
from production_assets.loading.partial import partial_config
from production_assets.loading.schema_errors import issues_from_pydantic
from production_assets.loading.yaml_source import load_yaml
from production_assets.model.presets import PRESET_KINDS
from production_assets.model.production import ProductionConfig
from production_assets.model.results import ValidationIssue, ValidationResult
from production_assets.model.source import SourceMap, ValuePath

PRODUCTION_FILE_NAMES = ("production.yaml", "production.yml")
FOLDER_SECTIONS = ("characters", "locations", "shots")
PRESETS_FOLDER = "presets"


class SchemaError(ConfigError):
    """The YAML is readable but does not have the shape of a production.

    ``partial`` is the part that parsed (see :mod:`.partial`), so the semantic validators can still check
    it; ``dropped`` the original paths of what was taken out to get it.
    """

    def __init__(
        self, result: ValidationResult, partial: ProductionConfig | None = None, dropped: list[ValuePath] | None = None
    ):
        first = result.errors[0]
        super().__init__(f"{len(result.errors)} error(s) in the production file; first: {first.message}")
        self.result = result
        self.partial = partial
        self.dropped = dropped or []


def find_production_file(path: Path) -> Path:
    """A production file, given the file itself or its folder."""
    if path.is_dir():
        for name in PRODUCTION_FILE_NAMES:
            if (path / name).is_file():
                return path / name
        raise ConfigError(f"{path} holds no production.yaml", suggestion="run `production create NAME` to start one")
    if not path.exists():
        raise ConfigError(f"{path} does not exist", suggestion="give a production YAML file or its folder")
    return path


@collector_paused()
def load_production(path: str | Path) -> ProductionConfig:
    """Load a production from a YAML file or a folder (see :func:`load_production_from_dir`)."""
    path = Path(path)
    if path.is_dir():
        return load_production_from_dir(path)
    data, source = _read_root(path)
    return _build(data, source)


@collector_paused()
def load_production_from_dir(folder: str | Path) -> ProductionConfig:
    """Load production.yaml plus characters/*.yaml, locations/*.yaml and shots/*.yaml, merged."""
    folder = Path(folder)
    data, source = _read_root(find_production_file(folder))
    production = data["production"]
    for section in FOLDER_SECTIONS:
        for part in sorted((folder / section).glob("*.y*ml")) if (folder / section).is_dir() else []:
            _merge_section(production, source, section, part)
    return _build(data, source)


def _read_root(path: Path) -> tuple[dict[str, Any], SourceMap]:
    data, source = load_yaml(path)
    here = SourceLocation(str(path), 1, 1)
    if data is None:
        raise ConfigError(f"{path} is empty", here, "start from `production create NAME`")
    if not isinstance(data, dict):
        raise ConfigError(
            f"the top level of {path.name} must be a mapping with a `production:` key, not a {type(data).__name__}",
            here,
        )
    if "production" not in data:
        raise ConfigError(
            f"{path.name} has no `production:` key at the top level", here, "put the film under production:"
        )
    extra = [key for key in data if key != "production"]
    if extra:
        raise ConfigError(
            f"unknown top-level key {extra[0]!r}", source.locate((extra[0],), key=True), "move it under production:"
        )
    if not isinstance(data["production"], dict):
        raise ConfigError("`production:` must be a mapping of fields", source.locate(("production",)))
    _merge_shot_list(data["production"], source, path.parent)
    _merge_preset_files(data["production"], source, path.parent)
    return data, source


def _merge_shot_list(production: dict[str, Any], source: SourceMap, base: Path) -> None:
    shot_list = production.get("shot_list")
    if not isinstance(shot_list, str):
        return
    location = source.locate(("production", "shot_list"))
    if re.search(r"[\x00-\x1f]", shot_list):
        raise ConfigError("shot_list cannot contain control characters", location)
    target = (base / shot_list).resolve()
    if not Path(shot_list).is_absolute() and not target.is_relative_to(base.resolve()):
        raise ConfigError(
            f"shot_list {shot_list!r} points outside the production folder",
            location,
            "copy the file into the production folder, or give an absolute path",
        )
    if not target.is_file():
        raise ConfigError(f"shot_list file {shot_list!r} does not exist", location, f"looked for {target}")
    _merge_section(production, source, "shots", target)


def preset_files(folder: Path) -> list[Path]:
    """The production's preset files: ``presets/<kind>.yaml`` beside the production file."""
    return [
        folder / PRESETS_FOLDER / f"{kind}.yaml"
        for kind in PRESET_KINDS
        if (folder / PRESETS_FOLDER / f"{kind}.yaml").is_file()
    ]


def _merge_preset_files(production: dict[str, Any], source: SourceMap, folder: Path) -> None:
    """Add the presets of ``presets/<kind>.yaml`` to ``production.presets.<kind>``, keeping their positions."""
    files = preset_files(folder)
    if not files:
        return
    presets = production.setdefault("presets", {})
    if not isinstance(presets, dict):
        raise ConfigError("`presets` must be a mapping of preset kinds", source.locate(("production", "presets")))
    for part in files:
        kind = part.stem
        found, part_source = load_yaml(part)
        if found is None:
            continue
        if not isinstance(found, dict):
            raise ConfigError(f"{part.name} must map preset names to presets", SourceLocation(str(part), 1, 1))
        table = presets.setdefault(kind, {})
        if not isinstance(table, dict):
            raise ConfigError(f"`presets.{kind}` must be a mapping", source.locate(("production", "presets", kind)))
        for name, preset in found.items():
            if name in table:
                raise ConfigError(
                    f"preset {name!r} is defined twice: in {part.name} and under presets.{kind}",
                    part_source.locate((name,), key=True),
                    "keep one of them",
                )
            table[name] = preset
            source.merge(part_source, (name,), ("production", "presets", kind, name))


def _merge_section(production: dict[str, Any], source: SourceMap, section: str, part: Path) -> None:
    items, part_source = load_yaml(part)
    prefix: tuple[str | int, ...] = ()
    if isinstance(items, dict) and section in items:
        items, prefix = items[section], (section,)
    if items is None:
        return
    if not isinstance(items, list):
        raise ConfigError(f"{part.name} must hold a list of {section}", SourceLocation(str(part), 1, 1))
    existing = production.setdefault(section, [])
    if not isinstance(existing, list):
        raise ConfigError(f"`{section}` must be a list", source.locate(("production", section)))
    for index, item in enumerate(items):
        target_index = len(existing)
        existing.append(item)
        source.merge(part_source, prefix + (index,), ("production", section, target_index))


def _build(data: dict[str, Any], source: SourceMap) -> ProductionConfig:
    production = data["production"]
    _fill_dates(production, source.root_file)
    try:
        config = ProductionConfig.model_validate(production)
    except ValidationError as error:
        issues: list[ValidationIssue] = issues_from_pydantic(error, source, production)
        partial, dropped = partial_config(production, source)
        raise SchemaError(ValidationResult(production=str(source.root_file), issues=issues), partial, dropped) from None
    config._source = source
    return config


def _fill_dates(production: dict[str, Any], path: Path) -> None:
    stat = path.stat()
    for key, stamp in (("created", stat.st_ctime), ("modified", stat.st_mtime)):
        if production.get(key) is None:
            production[key] = datetime.fromtimestamp(stamp, tz=UTC).isoformat(timespec="seconds")
