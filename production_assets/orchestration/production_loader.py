"""Load, validate and resolve a production once per process and file state."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from production_assets.errors import ValidationFailedError
from production_assets.loading.production_file import find_production_file
from production_assets.loading.resolve import resolve_production
from production_assets.model.production import ProductionConfig
from production_assets.model.resolved import ResolvedProduction
from production_assets.model.results import ValidationResult
from production_assets.validation.context import ValidationContext
from production_assets.validation.validators import validate_file


@dataclass(frozen=True)
class LoadedProduction:
    path: Path
    config: ProductionConfig
    validation: ValidationResult
    resolved: ResolvedProduction | None

    def require_resolved(self) -> ResolvedProduction:
        if self.resolved is None:
            raise ValidationFailedError(
                f"{self.path} has {len(self.validation.errors)} validation error(s); run `production validate`",
                self.validation,
            )
        return self.resolved


def production_files(path: Path) -> list[Path]:
    """The files whose content defines the production (for change detection): the production file, its
    section files, and the screenplay and shot list it names (found without parsing the YAML)."""
    root = find_production_file(path)
    files = [root]
    folder = root.parent
    for section in ("characters", "locations", "shots"):
        if (folder / section).is_dir() and path.is_dir():
            files.extend(sorted((folder / section).glob("*.y*ml")))
    files.extend(_named_files(root))
    return files


_NAMED_FILE = re.compile(r"^\s*(?:script|shot_list)\s*:\s*[\"']?([^\"'#\n]+?)[\"']?\s*(?:#.*)?$", re.MULTILINE)


def _named_files(root: Path) -> list[Path]:
    try:
        text = root.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [root.parent / match.group(1) for match in _NAMED_FILE.finditer(text)]


def content_hash(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()[:16]


GraphShape = dict[str, list[str]]
SHAPE_KINDS = ("characters", "locations", "outputs")


def graph_shape(config: ProductionConfig) -> GraphShape:
    """The names a production's asset graph has an asset for: its characters, locations (the stand-ins
    of script places included) and outputs."""
    stand_ins = [implicit.name for implicit in ValidationContext(config).implicit_locations]
    return {
        "characters": [character.name for character in config.characters],
        "locations": [location.name for location in config.locations] + stand_ins,
        "outputs": [output.output_name for output in config.outputs],
    }


def shape_changes(before: GraphShape, after: GraphShape) -> list[str]:
    """What an edit did to the graph's shape, kind by kind: ``characters +Villain``, ``outputs +preview -web``."""
    changes = []
    for kind in SHAPE_KINDS:
        moves = [f"+{name}" for name in after[kind] if name not in before[kind]]
        moves += [f"-{name}" for name in before[kind] if name not in after[kind]]
        if moves:
            changes.append(f"{kind} {' '.join(moves)}")
    return changes


_cache: dict[str, tuple[str, LoadedProduction]] = {}


def load_validated(path: Path) -> LoadedProduction:
    """Load + validate + resolve, cached per production while its files are unchanged."""
    key = str(path.resolve())
    digest = content_hash(production_files(path))
    cached = _cache.get(key)
    if cached is None or cached[0] != digest:
        result, config = validate_file(path)
        if config is None:
            raise ValidationFailedError(f"{path} has {len(result.errors)} validation error(s)", result)
        resolved = resolve_production(config) if result.is_valid() else None
        _cache[key] = (digest, LoadedProduction(path, config, result, resolved))
    return _cache[key][1]
