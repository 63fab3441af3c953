"""Load, validate and resolve a production once per state of its files (in this process and on disk)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from production_assets.collector import collector_paused
from production_assets.errors import ValidationFailedError
from production_assets.loading.presets import presets_dir
from production_assets.loading.production_file import find_production_file, load_production, preset_files
from production_assets.loading.resolve import resolve_production
from production_assets.model.layout import Layout
from production_assets.model.presets import PRESET_KINDS
from production_assets.model.production import ProductionConfig
from production_assets.model.resolved import ResolvedProduction
from production_assets.model.results import ValidationResult
from production_assets.planning.production_cache import (
    CachedProduction,
    CachedVersions,
    cache_key,
    dependencies,
    read_cache,
    shot_versions,
    write_cache,
)
from production_assets.validation.context import ValidationContext
from production_assets.validation.validators import validate_file


@dataclass
class LoadedProduction:
    """A production as loaded, validated and resolved (``resolved`` is None when it is invalid)."""

    path: Path
    validation: ValidationResult
    resolved: ResolvedProduction | None
    shape: GraphShape
    title: str
    shot_count: int
    versions: dict[str, str] = field(default_factory=dict)
    """Shot id -> the data version the YAML asks for (computed once per file state, see production_cache)."""
    inputs: str = ""
    """What this state was loaded from: the production's files, the built-in presets and this code."""
    _config: ProductionConfig | None = None

    @property
    def config(self) -> ProductionConfig:
        """The production file as typed data, with positions (parsed again when it came from the cache)."""
        if self._config is None:
            self._config = load_production(self.path)
        return self._config

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
    files.extend(preset_files(folder))
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


_loaded: dict[str, tuple[str, LoadedProduction, CachedProduction | None]] = {}
"""Production file -> (cache key, production, the state still to store on disk: None once it is there)."""


@collector_paused()
def load_validated(path: Path, store: bool = False) -> LoadedProduction:
    """Load + validate + resolve, once per state of the production's files.

    Kept in this process and on disk (see :mod:`.production_cache`), so `status`, a `run` with nothing
    to do and the sensor's ticks do not parse thousands of shots again; after an edit only the shots it
    changed get their data version computed again. Only callers that change the production's build
    (``store``: a run, the sensor) write the disk copy; read-only commands leave the folder as it is.
    The same production named by its folder or by its file is the same entry.
    """
    files = production_files(Path(path).resolve())
    key = cache_key(files, [presets_dir() / f"{kind}.yaml" for kind in PRESET_KINDS])
    memory = str(files[0])
    layout = Layout(files[0].parent)
    held = _loaded.get(memory)
    if held is not None and held[0] == key:
        _, loaded, unstored = held
        if store and unstored is not None:
            write_cache(layout, unstored)
            _loaded[memory] = (key, loaded, None)
        return loaded
    stored, previous = read_cache(layout, key)
    unstored: CachedProduction | None = None
    if stored is None:
        stored, config = _load(path, key, previous)
        if store:
            write_cache(layout, stored)
        else:
            unstored = stored
    else:
        config = None
    versions = {shot_id: version for shot_id, (_, version) in stored.shot_versions.items()}
    loaded = LoadedProduction(
        path,
        stored.validation,
        stored.resolved,
        stored.shape,
        stored.title,
        stored.shot_count,
        versions,
        key,
        config,
    )
    _loaded[memory] = (key, loaded, unstored)
    return loaded


def _load(path: Path, key: str, previous: CachedVersions | None) -> tuple[CachedProduction, ProductionConfig]:
    result, config = validate_file(path)
    if config is None:
        raise ValidationFailedError(f"{path} has {len(result.errors)} validation error(s)", result)
    resolved = resolve_production(config) if result.is_valid() else None
    context, table = shot_versions(resolved, previous) if resolved is not None else ("", {})
    stored = CachedProduction(
        key=key,
        dependencies=dependencies(resolved),
        validation=result,
        resolved=resolved,
        shape=graph_shape(config),
        title=config.title,
        shot_count=len(resolved.shots) if resolved is not None else len(config.shots),
        context=context,
        shot_versions=table,
    )
    return stored, config
