"""Which shots are up to date, stale (and why) or missing, from Dagster's records: the render and graded
data versions it recorded last for every shot, read in two queries, handed to planning.staleness.
"""

from __future__ import annotations

import dagster as dg

from production_assets.model.resolved import ResolvedProduction
from production_assets.model.versions import PublishedVersions
from production_assets.orchestration.dagster_compat import latest_data_versions
from production_assets.orchestration.run_tags import shot_partitions_name
from production_assets.planning.staleness import ProductionPlan, deliverables_current, plan_shot
from production_assets.planning.versions import ShotVersions
from production_assets.storage.frames import FrameCounts


def recorded_versions(instance: dg.DagsterInstance, slug: str) -> PublishedVersions:
    """What Dagster recorded last for each shot of production ``slug`` (two queries in all)."""
    return PublishedVersions(
        render=latest_data_versions(instance, dg.AssetKey([slug, "shot_renders"])),
        graded=latest_data_versions(instance, dg.AssetKey([slug, "graded_shots"])),
    )


def plan_production(
    instance: dg.DagsterInstance,
    production: ResolvedProduction,
    only: list[str] | None = None,
    include_locked: bool = False,
    known_versions: dict[str, str] | None = None,
    frames: FrameCounts | None = None,
) -> ProductionPlan:
    """Every shot's plan (see :func:`plan_shot`) and whether the deliverables need building.
    ``known_versions``: the shots' data versions as the loader computed them (LoadedProduction.versions);
    ``frames``: how frames are counted (by default with the counts the last `production run` kept, never saved)."""
    recorded = recorded_versions(instance, production.slug)
    versions = ShotVersions(production, known_versions)
    layout = production.layout
    frames = frames or FrameCounts(layout.build_dir, layout.frame_counts)
    shots = [
        plan_shot(versions, shot.id, recorded, frames, include_locked)
        for shot in production.shots
        if not only or shot.id in only
    ]
    current, reason = deliverables_current(production, recorded)
    if any(shot.needs_work for shot in shots):
        current, reason = False, "shots change"
    existing = set(instance.get_dynamic_partitions(shot_partitions_name(production.slug)))
    removed = sorted(existing - {shot.id for shot in production.shots})
    return ProductionPlan(shots, not current, reason, removed)
