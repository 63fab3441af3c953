"""Where each shot stands against what was published: up to date, stale (and why) or missing, from the
published versions (whatever recorded them) and the frames on disk; and whether the deliverables are
current. No Dagster here: orchestration.staleness reads Dagster's records and calls these.

Only the folder of the version being built is listed (see model.layout). A stale shot keeps its
finished frames of the new version, so an interrupted re-render resumes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from production_assets.export.deliver import output_digest, read_export_record
from production_assets.model.production import LOCKED_STATUSES
from production_assets.model.resolved import ResolvedProduction
from production_assets.model.versions import PublishedVersions
from production_assets.planning.versions import ShotVersions, explain_change, graded_data_version, shot_fingerprint
from production_assets.storage.frames import FrameCounts


@dataclass
class ShotPlan:
    shot_id: str
    status: str
    reason: str
    frame_count: int
    frames_done: int
    data_version: str = ""
    published_version: str | None = None
    locked: str = ""
    """The review status that keeps this stale shot as it is (approved, final), '' when it is not held."""

    @property
    def needs_work(self) -> bool:
        return self.status != "up_to_date" and not self.locked

    @property
    def label(self) -> str:
        """The status as users read it: ``stale (locked: approved)``."""
        return f"{self.status} (locked: {self.locked})" if self.locked else self.status

    @property
    def in_progress_version(self) -> str | None:
        """The version being built when it is not the published one and has frames on disk."""
        return self.data_version if self.data_version != self.published_version and self.frames_done else None


@dataclass
class ProductionPlan:
    shots: list[ShotPlan]
    deliver: bool
    deliver_reason: str
    removed_partitions: list[str] = field(default_factory=list)

    @property
    def shots_to_run(self) -> list[ShotPlan]:
        return [shot for shot in self.shots if shot.needs_work]

    @property
    def frames_to_render(self) -> int:
        return sum(shot.frame_count - shot.frames_done for shot in self.shots_to_run)


def _old_fingerprint(path: Path) -> dict | None:  # type: ignore[type-arg]
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def plan_shot(
    versions: ShotVersions, shot_id: str, recorded: PublishedVersions, frames: FrameCounts, include_locked: bool = False
) -> ShotPlan:
    """Where one shot stands (``frames`` counts the frames on disk). An approved or final shot whose inputs changed
    is stale but locked: it keeps its published version (and is not rendered) unless ``include_locked``."""
    production = versions.production
    planned = _plan_shot(versions, shot_id, recorded, frames)
    status = production.shot(shot_id).status
    if planned.status == "stale" and status in LOCKED_STATUSES and not include_locked:
        planned.locked = status
    return planned


def _plan_shot(versions: ShotVersions, shot_id: str, recorded: PublishedVersions, frames: FrameCounts) -> ShotPlan:
    production = versions.production
    shot = production.shot(shot_id)
    layout = production.layout
    version = versions.version(shot_id)
    frames_done = min(frames.count(layout.frames_dir(shot_id, version)), shot.frame_count)
    published = recorded.render.get(shot_id)

    def plan(status: str, reason: str, done: int = frames_done) -> ShotPlan:
        return ShotPlan(shot_id, status, reason, shot.frame_count, done, version, published)

    if published is None:
        return plan("missing", "never rendered")
    if published != version:
        old = _old_fingerprint(layout.fingerprint_file(shot_id, published))
        return plan("stale", explain_change(old, shot_fingerprint(versions.job(shot_id))))
    if frames_done < shot.frame_count:
        return plan("missing", f"{shot.frame_count - frames_done} frames missing on disk")
    graded = graded_data_version(version, production)
    if recorded.graded.get(shot_id) != graded or frames.count(layout.graded_dir(shot_id, graded)) < shot.frame_count:
        return plan("stale", "not graded")
    return plan("up_to_date", "")


def deliverables_current(production: ResolvedProduction, recorded: PublishedVersions) -> tuple[bool, str]:
    layout = production.layout
    if not layout.manifest.is_file():
        return False, "no manifest yet"
    versions = recorded.graded_for([shot.id for shot in production.shots])
    for output in production.outputs:
        record = read_export_record(production, output.name)
        if record is None:
            return False, f"output {output.name} not built"
        if record.digest != output_digest(production, output, versions):
            return False, f"output {output.name} is out of date"
        if not all(Path(f).is_file() for f in record.files):
            return False, f"output {output.name} has missing files"
    return True, ""
