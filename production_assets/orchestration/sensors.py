"""Sensors: keep each production's shot partitions in step with its YAML."""

from __future__ import annotations

import os

import dagster as dg

from production_assets.errors import ProductionError
from production_assets.orchestration.assets import ProductionNames
from production_assets.orchestration.production_loader import content_hash, load_validated, production_files


def sensor_interval() -> int:
    configured = os.environ.get("PRODUCTION_SENSOR_INTERVAL", "")
    return int(configured) if configured.isdigit() and int(configured) > 0 else 15


def partition_requests(names: ProductionNames, existing: set[str]) -> list[dg.DynamicPartitionsRequest]:
    """Add the shots the YAML has and the instance lacks; delete the ones it no longer has."""
    resolved = load_validated(names.path).resolved
    if resolved is None:
        return []
    wanted = [shot.id for shot in resolved.shots]
    requests: list[dg.DynamicPartitionsRequest] = []
    partitions = names.partitions
    to_add = [shot_id for shot_id in wanted if shot_id not in existing]
    to_delete = sorted(existing - set(wanted))
    if to_add:
        requests.append(partitions.build_add_request(to_add))
    if to_delete:
        requests.append(partitions.build_delete_request(to_delete))
    return requests


def build_partition_sensor(names: ProductionNames) -> dg.SensorDefinition:
    @dg.sensor(
        name=f"{names.slug}_shot_partitions",
        minimum_interval_seconds=sensor_interval(),
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=f"Adds and removes shot partitions of {names.slug} when its YAML changes.",
    )
    def shot_partitions(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
        try:
            digest = content_hash(production_files(names.path))
        except ProductionError as error:
            return dg.SkipReason(str(error))
        if digest == context.cursor:
            return dg.SkipReason("production files unchanged")
        existing = set(context.instance.get_dynamic_partitions(names.partitions.name or ""))
        try:
            requests = partition_requests(names, existing)
        except ProductionError as error:
            return dg.SkipReason(f"production does not load: {error}")
        return dg.SensorResult(dynamic_partitions_requests=requests, cursor=digest)

    return shot_partitions
