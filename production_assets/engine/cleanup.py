"""`production clean`: remove the files of shots the production no longer has.

Removing a shot from the YAML removes its partition at once (the sensor or the
next `production run`), but keeps its rendered frames in case the edit is
undone. This removes them: every ``build/shots/<id>/`` whose id is not a shot
of the production any more. Nothing else is touched, and it waits for no one: a
`production run` on the same production makes it refuse.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from production_assets.engine.runner import production_lock
from production_assets.model.resolved import ResolvedProduction


@dataclass
class CleanResult:
    removed: list[str] = field(default_factory=list)  # shot ids whose folders went (or would go)
    freed_bytes: int = 0


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def orphan_shot_folders(production: ResolvedProduction) -> list[Path]:
    """Folders under build/shots/ of shots the production no longer has."""
    shots_dir = production.build_dir / "shots"
    if not shots_dir.is_dir():
        return []
    current = {shot.id for shot in production.shots}
    return sorted(p for p in shots_dir.iterdir() if p.is_dir() and not p.is_symlink() and p.name not in current)


def clean_production(production: ResolvedProduction, dry_run: bool = False) -> CleanResult:
    result = CleanResult()
    with production_lock(production):
        for folder in orphan_shot_folders(production):
            result.freed_bytes += _size(folder)
            result.removed.append(folder.name)
            if not dry_run:
                shutil.rmtree(folder)
    return result
