"""`production clean`: remove rendered files that nothing will read again.

Two kinds go:
- the folders of shots the production no longer has (``build/shots/<id>/``). Removing a shot from
  the YAML removes its partition at once, but its frames stay in case the edit is undone;
- superseded versions of current shots: a render or graded folder that is neither the version
  Dagster has published for the shot nor the version the YAML asks for now (which may be half
  rendered and is kept so the next run resumes it).

Nothing else is touched, and it waits for no one: a `production run` on the same production makes
it refuse.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from production_assets.engine.runner import production_lock
from production_assets.model.resolved import ResolvedProduction
from production_assets.model.versions import PublishedVersions
from production_assets.planning.versions import ShotVersions, graded_data_version


@dataclass
class CleanResult:
    removed: list[str] = field(default_factory=list)  # folders that went (or would go), relative to build/
    freed_bytes: int = 0


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def _folders(parent: Path) -> list[Path]:
    try:
        return sorted(p for p in parent.iterdir() if p.is_dir() and not p.is_symlink())
    except OSError:
        return []


def orphan_shot_folders(production: ResolvedProduction) -> list[Path]:
    """Folders under build/shots/ of shots the production no longer has."""
    current = {shot.id for shot in production.shots}
    return [p for p in _folders(production.layout.shots_dir) if p.name not in current]


def superseded_version_folders(production: ResolvedProduction, published: PublishedVersions) -> list[Path]:
    """Render and graded folders of current shots that are neither published nor wanted by the YAML."""
    layout = production.layout
    versions = ShotVersions(production)
    found: list[Path] = []
    for shot in production.shots:
        wanted = versions.version(shot.id)
        keep_renders = {wanted, published.render.get(shot.id)}
        keep_graded = {graded_data_version(wanted, production), published.graded.get(shot.id)}
        found += [p for p in _folders(layout.renders_dir(shot.id)) if p.name not in keep_renders]
        found += [p for p in _folders(layout.graded_root(shot.id)) if p.name not in keep_graded]
    return found


def clean_production(
    production: ResolvedProduction, published: PublishedVersions, dry_run: bool = False
) -> CleanResult:
    result = CleanResult()
    build = production.layout.build_dir
    with production_lock(production):
        for folder in orphan_shot_folders(production) + superseded_version_folders(production, published):
            result.freed_bytes += _size(folder)
            result.removed.append(str(folder.relative_to(build)))
            if not dry_run:
                shutil.rmtree(folder)
    return result
