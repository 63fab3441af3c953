"""Which shots are up to date, stale (and why) or missing, from Dagster's records and the frames on disk."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from production_assets.export.deliver import export_record_path, output_digest, shot_versions
from production_assets.export.frames import list_frames
from production_assets.export.manifest import MANIFEST_NAME
from production_assets.model.resolved import ResolvedProduction
from production_assets.orchestration.run_tags import shot_partitions_name
from production_assets.orchestration.versions import explain_change, render_job, shot_fingerprint

DATA_VERSION_TAG = "dagster/data_version"


@dataclass
class ShotPlan:
    shot_id: str
    status: str
    reason: str
    frame_count: int
    frames_done: int
    data_version: str = ""

    @property
    def needs_work(self) -> bool:
        return self.status != "up_to_date"


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


def _recorded_version(instance: dg.DagsterInstance, key: dg.AssetKey, partition: str) -> str | None:
    record = instance.get_latest_data_version_record(key, partition_key=partition)
    materialization = record.asset_materialization if record else None
    return materialization.tags.get(DATA_VERSION_TAG) if materialization and materialization.tags else None


def plan_shot(instance: dg.DagsterInstance, production: ResolvedProduction, shot_id: str) -> ShotPlan:
    shot = production.shot(shot_id)
    shot_dir = production.shot_dir(shot_id)
    job = render_job(production, shot_id)
    version = job.data_version
    frames_done = min(len(list_frames(shot_dir / "frames")), shot.frame_count)
    recorded = _recorded_version(instance, dg.AssetKey([production.slug, "shot_renders"]), shot_id)
    graded = _recorded_version(instance, dg.AssetKey([production.slug, "graded_shots"]), shot_id)
    if recorded is None:
        return ShotPlan(shot_id, "missing", "never rendered", shot.frame_count, frames_done, version)
    if recorded != job.data_version:
        old_file = shot_dir / "fingerprint.json"
        old = json.loads(old_file.read_text()) if old_file.is_file() else None
        # Old frames belong to the old version: the whole shot renders again.
        return ShotPlan(shot_id, "stale", explain_change(old, shot_fingerprint(job)), shot.frame_count, 0, version)
    if frames_done < shot.frame_count:
        return ShotPlan(
            shot_id, "missing", f"{shot.frame_count - frames_done} frames missing on disk", shot.frame_count, frames_done, version
        )
    if graded is None or len(list_frames(shot_dir / "graded")) < shot.frame_count:
        return ShotPlan(shot_id, "stale", "not graded", shot.frame_count, shot.frame_count, version)
    return ShotPlan(shot_id, "up_to_date", "", shot.frame_count, shot.frame_count, version)


def deliverables_current(production: ResolvedProduction) -> tuple[bool, str]:
    if not (Path(production.base_dir) / MANIFEST_NAME).is_file():
        return False, "no manifest yet"
    versions = shot_versions(production)
    for output in production.outputs:
        record_path = export_record_path(production, output.name)
        if not record_path.is_file():
            return False, f"output {output.name} not built"
        record = json.loads(record_path.read_text())
        if record["digest"] != output_digest(output, versions):
            return False, f"output {output.name} is out of date"
        if not all(Path(f).is_file() for f in record["files"]):
            return False, f"output {output.name} has missing files"
    return True, ""


def plan_production(
    instance: dg.DagsterInstance, production: ResolvedProduction, only: list[str] | None = None
) -> ProductionPlan:
    shots = [plan_shot(instance, production, shot.id) for shot in production.shots if not only or shot.id in only]
    current, reason = deliverables_current(production)
    if any(shot.needs_work for shot in shots):
        current, reason = False, "shots change"
    existing = set(instance.get_dynamic_partitions(shot_partitions_name(production.slug)))
    removed = sorted(existing - {shot.id for shot in production.shots})
    return ProductionPlan(shots, not current, reason, removed)
