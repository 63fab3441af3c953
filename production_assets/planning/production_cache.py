"""The loaded production kept on disk (``build/loaded_production.json``), so a command that finds nothing
changed does not parse, validate and resolve thousands of shots again.

The cache is keyed by everything its content depends on: the bytes of the production's files (YAML,
section files, shot list, screenplay), the built-in presets, the environment settings validation reads
(PRODUCTION_CONFIGS_DIR, PRODUCTION_HDRI_DIR, whether the speech engine is installed) and this package's
code. The files the production refers to (models, HDRIs, sets, palettes) are checked by size and
modification time when the cache is read. Anything that does not match, or a cache that does not parse,
is ignored and rebuilt; writing it is best effort (a read-only folder just has no cache).

Each shot's data version is kept with a hash of the shot as resolved: after an edit, only the shots
whose resolved form (or whose shared context: sets, style, characters) changed get a new version
computed, so a one-shot edit of a 10,000-shot film hashes one render job, not 10,000.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

import production_assets
from production_assets.model.base import StrictModel
from production_assets.model.layout import Layout
from production_assets.model.resolved import ResolvedProduction
from production_assets.model.results import ValidationResult
from production_assets.planning.versions import RENDER_CODE_VERSION, ShotVersions
from production_assets.storage.atomic import write_text_atomic

CACHE_SCHEMA = 1
ENVIRONMENT = ("PRODUCTION_CONFIGS_DIR", "PRODUCTION_HDRI_DIR")
FileStamp = tuple[int, int]


class CachedVersions(BaseModel):
    """The part of a stored production read first: its key, and the shot versions an edit reuses (reading
    only this is ~8x faster than the whole resolved production of a 10,000-shot film)."""

    model_config = ConfigDict(extra="ignore")

    schema_version: int
    key: str
    dependencies: dict[str, FileStamp]
    context: str = ""
    shot_versions: dict[str, tuple[str, str]] = {}
    """Shot id -> (hash of the shot as resolved, its data version)."""


class CachedProduction(CachedVersions):
    """What :func:`production_loader.load_validated` needs, as stored."""

    model_config = StrictModel.model_config

    schema_version: int = CACHE_SCHEMA
    validation: ValidationResult
    resolved: ResolvedProduction | None
    shape: dict[str, list[str]]
    title: str
    shot_count: int


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """This package's code: its files' names, sizes and modification times (a new version or an edit)."""
    root = Path(production_assets.__file__).parent
    digest = hashlib.sha256(production_assets.__name__.encode())
    for path in sorted(root.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def cache_key(files: Iterable[Path], presets: Iterable[Path] = ()) -> str:
    """The key of a production's files' state, the presets, the environment and the code."""
    from production_assets.media.speech import tts_engine

    digest = hashlib.sha256(f"{CACHE_SCHEMA}:{code_stamp()}:{tts_engine() is not None}".encode())
    for name in ENVIRONMENT:
        digest.update(f"{name}={os.environ.get(name, '')}".encode())
    for path in [*files, *presets]:
        digest.update(str(path).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()[:24]


def _stamp(path: str) -> FileStamp:
    try:
        stat = os.stat(path)
    except OSError:
        return (-1, -1)
    return (stat.st_size, stat.st_mtime_ns)


def dependencies(resolved: ResolvedProduction | None) -> dict[str, FileStamp]:
    """The files a resolved production refers to (models, HDRIs, sets, palettes) and their stamps."""
    if resolved is None:
        return {}
    paths = [c.model for c in resolved.characters.values() if not c.model.startswith("builtin:")]
    for location in resolved.locations.values():
        paths += [p for p in (location.set_file, location.preset.world.hdri_path) if p]
    paths += [o.palette for o in resolved.outputs if o.palette and os.sep in o.palette]
    return {path: _stamp(path) for path in sorted(set(paths))}


def context_hash(resolved: ResolvedProduction) -> str:
    """What every shot's render job shares: sets, style, characters, looks, the renderer's code, files."""
    shared = resolved.model_dump(mode="json", exclude={"shots", "outputs", "title", "version", "scene_headings"})
    text = json.dumps([RENDER_CODE_VERSION, shared, dependencies(resolved)], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


_NOT_SHOT_CONTENT = {"priority", "order", "source", "source_index"}


def shot_hashes(resolved: ResolvedProduction) -> dict[str, str]:
    """Each shot's content: not its farm priority (scheduling) nor its place (a shot added above
    moves every later shot's line; the production named by a relative path changes every file name),
    so neither recomputes a version."""
    return {
        shot.id: hashlib.sha256(shot.model_dump_json(exclude=_NOT_SHOT_CONTENT).encode()).hexdigest()[:24]
        for shot in resolved.shots
    }


def shot_versions(
    resolved: ResolvedProduction, previous: CachedVersions | None
) -> tuple[str, dict[str, tuple[str, str]]]:
    """(context, shot id -> (shot hash, data version)), reusing ``previous``'s versions where nothing changed."""
    context = context_hash(resolved)
    reusable = previous.shot_versions if previous is not None and previous.context == context else {}
    computer = ShotVersions(resolved)
    table: dict[str, tuple[str, str]] = {}
    for shot_id, shot_hash in shot_hashes(resolved).items():
        known = reusable.get(shot_id)
        table[shot_id] = (
            known if known is not None and known[0] == shot_hash else (shot_hash, computer.version(shot_id))
        )
    return context, table


def read_cache(layout: Layout, key: str) -> tuple[CachedProduction | None, CachedVersions | None]:
    """(The stored production when its key is ``key`` and its files are as they were, what an edit can
    reuse of a stored production otherwise): the file is read once and parsed whole only on a match."""
    try:
        text = layout.loaded_cache.read_bytes()
        versions = CachedVersions.model_validate_json(text)
    except (OSError, ValueError, ValidationError):
        return None, None
    if versions.schema_version != CACHE_SCHEMA:
        return None, None
    if versions.key != key or any(_stamp(path) != tuple(stamp) for path, stamp in versions.dependencies.items()):
        return None, versions
    try:
        return CachedProduction.model_validate_json(text), versions
    except (ValueError, ValidationError):
        return None, versions


def write_cache(layout: Layout, stored: CachedProduction) -> None:
    """Store the production (best effort: a folder that cannot be written just has no cache)."""
    try:
        write_text_atomic(layout.loaded_cache, stored.model_dump_json())
    except OSError:
        pass
