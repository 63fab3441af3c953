"""The production sensor: YAML edits become partition changes and exactly the runs they need.

On every tick (PRODUCTION_SENSOR_INTERVAL seconds, default 15):
- when the production's files changed (content hash in the cursor, not mtimes),
  shot partitions are added and removed to match the YAML;
- shots whose data version no longer matches their last render get a run of
  the ``<slug>_shots`` job (run key = shot id + data version, so a shot is
  requested once per version); neighbouring shots share one run over their
  range (at most PRODUCTION_SHOTS_PER_RUN); new shots too, once the production
  has been delivered before (a fresh production waits for `production run` or
  the UI); shots a queued or running run covers (a partition or a range) are
  left alone;
- once every shot is up to date and the deliverables are not, the
  ``<slug>_deliver`` job runs (exports + manifest);
- when an edit adds, removes or renames a character, location or output, the
  graph the code location holds no longer matches the YAML: the sensor asks for
  a reload of the code location and requests nothing until then.
"""

from __future__ import annotations

import json

import dagster as dg

from production_assets.errors import ProductionError
from production_assets.hashing import hash_json
from production_assets.model.resolved import ResolvedProduction
from production_assets.orchestration.assets import ProductionNames
from production_assets.orchestration.run_tags import PARTITION_TAG, RANGE_END_TAG, RANGE_START_TAG
from production_assets.orchestration.shot_dispatch import PRIORITY_TAG, plan_ranges
from production_assets.orchestration.shot_partitions import shots_per_run
from production_assets.orchestration.staleness import plan_production
from production_assets.planning.production_loader import (
    LoadedProduction,
    content_hash,
    load_validated,
    production_files,
    shape_changes,
)
from production_assets.planning.staleness import ShotPlan
from production_assets.settings import env_int


def sensor_interval() -> int:
    return env_int("PRODUCTION_SENSOR_INTERVAL", 15)


def partition_requests(
    names: ProductionNames, production: ResolvedProduction, existing: set[str]
) -> list[dg.DynamicPartitionsRequest]:
    """Add the shots the YAML has and the instance lacks; delete the ones it no longer has."""
    wanted = [shot.id for shot in production.shots]
    requests: list[dg.DynamicPartitionsRequest] = []
    partitions = names.partitions
    to_add = [shot_id for shot_id in wanted if shot_id not in existing]
    to_delete = sorted(existing - set(wanted))
    if to_add:
        requests.append(partitions.build_add_request(to_add))
    if to_delete:
        requests.append(partitions.build_delete_request(to_delete))
    return requests


def shots_in_flight(instance: dg.DagsterInstance, job_name: str, partitions_name: str) -> set[str]:
    """Shots a queued or running shots run covers: its partition, or every shot of its range."""
    in_flight = dg.RunsFilter(
        job_name=job_name,
        statuses=[dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED],
    )
    order: list[str] | None = None
    busy: set[str] = set()
    for run in instance.get_runs(in_flight):
        if PARTITION_TAG in run.tags:
            busy.add(run.tags[PARTITION_TAG])
        elif RANGE_START_TAG in run.tags and RANGE_END_TAG in run.tags:
            order = order if order is not None else instance.get_dynamic_partitions(partitions_name)
            first, last = run.tags[RANGE_START_TAG], run.tags[RANGE_END_TAG]
            if first in order and last in order:
                busy.update(order[order.index(first) : order.index(last) + 1])
    return busy


def _shots_request(group: list[ShotPlan], job_name: str, priority: int) -> dg.RunRequest:
    """One shot: a run of its partition; neighbours: one run over their range (keyed by their versions).
    The run carries the shots' priority for Dagster's run queue."""
    tags = {
        "production/reason": "; ".join(dict.fromkeys(f"{shot.reason}" for shot in group))[:200],
        PRIORITY_TAG: str(priority),
    }
    if len(group) == 1:
        shot = group[0]
        return dg.RunRequest(
            run_key=f"{shot.shot_id}:{shot.data_version}", job_name=job_name, partition_key=shot.shot_id, tags=tags
        )
    versions = hash_json([[shot.shot_id, shot.data_version] for shot in group])
    return dg.RunRequest(
        run_key=f"{group[0].shot_id}...{group[-1].shot_id}:{versions}",
        job_name=job_name,
        tags={**tags, RANGE_START_TAG: group[0].shot_id, RANGE_END_TAG: group[-1].shot_id},
    )


def run_requests(
    names: ProductionNames, loaded: LoadedProduction, instance: dg.DagsterInstance, jobs: dict[str, str]
) -> list[dg.RunRequest]:
    """Runs for the shots whose inputs changed, or the delivery once every shot is current."""
    production = loaded.require_resolved()
    delivered_before = production.layout.manifest.is_file()
    plan = plan_production(instance, production, known_versions=loaded.versions)
    busy = shots_in_flight(instance, jobs["shots"], names.partitions.name or "")
    wanted = [
        shot
        for shot in plan.shots
        if shot.shot_id not in busy
        and shot.needs_work
        and (shot.status == "stale" or (shot.status == "missing" and delivered_before))
    ]
    order = instance.get_dynamic_partitions(names.partitions.name or "")
    by_id = {shot.shot_id: shot for shot in wanted}
    priorities = {shot_id: production.shot(shot_id).priority for shot_id in by_id}
    ranges = plan_ranges(list(by_id), order, priorities, {}, shots_per_run())
    requests = [
        _shots_request([by_id[shot_id] for shot_id in run.shots], jobs["shots"], run.priority) for run in ranges
    ]
    if not requests and not busy and delivered_before and plan.deliver:
        versions = hash_json({shot.shot_id: shot.data_version for shot in plan.shots})
        requests.append(dg.RunRequest(run_key=f"deliver:{versions}", job_name=jobs["deliver"]))
    return requests


def locked_observations(names: ProductionNames, loaded: LoadedProduction, instance: dg.DagsterInstance) -> int:
    """Record, on each approved or final shot whose inputs changed, that it is stale but held (shown on the
    shot's partition in the UI); returns how many were recorded."""
    plan = plan_production(instance, loaded.require_resolved(), known_versions=loaded.versions)
    locked = [shot for shot in plan.shots if shot.locked]
    for shot in locked:
        instance.report_runless_asset_event(
            dg.AssetObservation(
                asset_key=names.key("shot_renders"),
                partition=shot.shot_id,
                metadata={
                    "review_status": shot.locked,
                    "locked_stale": shot.reason,
                    "published_version": shot.published_version or "",
                    "wanted_version": shot.data_version,
                },
            )
        )
    return len(locked)


def build_production_sensor(names: ProductionNames, jobs: dict[str, str], targets: list) -> dg.SensorDefinition:  # type: ignore[type-arg]
    @dg.sensor(
        name=f"{names.slug}_production_sensor",
        minimum_interval_seconds=sensor_interval(),
        default_status=dg.DefaultSensorStatus.RUNNING,
        jobs=targets,
        description=f"Keeps {names.slug}'s shot partitions in step with its YAML and re-renders exactly the "
        "shots an edit changed, then refreshes the deliverables.",
    )
    def production_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
        try:
            digest = content_hash(production_files(names.path))
            loaded = load_validated(names.path, store=True)
            changes = shape_changes(names.shape, loaded.shape)
            if changes:
                # The loaded graph lacks (or still has) assets the YAML now names: running it would render
                # without them. The cursor stays, so the first tick after a reload does the work.
                message = (
                    f"the YAML changes the asset graph ({'; '.join(changes)}): reload the code location "
                    "(Deployment > Reload; `production ui` does it on its own) to render with it"
                )
                context.log.warning(message)
                return dg.SkipReason(message)
            cursor = json.loads(context.cursor) if context.cursor else {}
            partitions: list[dg.DynamicPartitionsRequest] = []
            runs: list[dg.RunRequest] = []
            if loaded.resolved is not None:
                if cursor.get("files") != digest:
                    existing = set(context.instance.get_dynamic_partitions(names.partitions.name or ""))
                    partitions = partition_requests(names, loaded.resolved, existing)
                    if locked_observations(names, loaded, context.instance):
                        context.log.info("approved or final shots whose inputs changed are held (see their partitions)")
                if not partitions:
                    runs = run_requests(names, loaded, context.instance, jobs)
        except ProductionError as error:
            return dg.SkipReason(f"production does not load: {error}")
        if not partitions and not runs and cursor.get("files") == digest:
            return dg.SkipReason("nothing changed")
        return dg.SensorResult(
            run_requests=runs, dynamic_partitions_requests=partitions, cursor=json.dumps({"files": digest})
        )

    return production_sensor
