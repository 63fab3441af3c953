"""The production sensor: partitions follow the YAML; an edit requests exactly the changed shot, then delivery."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg

from production_assets.engine.runner import ExecutionEngine, ParallelConfig, RunOptions
from production_assets.orchestration.definitions_factory import build_definitions, job_names, production_names
from production_assets.orchestration.run_tags import PARTITION_TAG, RANGE_END_TAG, RANGE_START_TAG
from production_assets.orchestration.sensors import locked_observations, run_requests, shots_in_flight
from production_assets.planning.production_loader import load_validated


def _sensor(folder: Path) -> dg.SensorDefinition:
    names = production_names(folder / "production.yaml")
    defs = build_definitions([folder])
    return next(s for s in defs.sensors if s.name == f"{names.slug}_production_sensor")


def _tick(
    sensor: dg.SensorDefinition, instance: dg.DagsterInstance, cursor: str | None
) -> dg.SensorResult | dg.SkipReason:
    return sensor(dg.build_sensor_context(instance=instance, cursor=cursor))


def test_partitions_follow_the_yaml(tiny_production: Path) -> None:
    sensor = _sensor(tiny_production)
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("tiny_shots", ["gone_shot"])
        result = _tick(sensor, instance, None)
        assert isinstance(result, dg.SensorResult)
        requests = {type(r).__name__: sorted(r.partition_keys) for r in result.dynamic_partitions_requests}
        assert requests == {
            "AddDynamicPartitionsRequest": ["s001_close_up_hero", "s001_wide_hero"],
            "DeleteDynamicPartitionsRequest": ["gone_shot"],
        }
        assert result.run_requests == []
        instance.delete_dynamic_partition("tiny_shots", "gone_shot")
        instance.add_dynamic_partitions("tiny_shots", ["s001_close_up_hero", "s001_wide_hero"])
        again = _tick(sensor, instance, result.cursor)
        assert isinstance(again, dg.SkipReason), "a production never delivered is not rendered by the sensor"


def test_an_edit_that_changes_the_graph_asks_for_a_reload_and_requests_nothing(tiny_production: Path) -> None:
    sensor = _sensor(tiny_production)
    path = tiny_production / "production.yaml"
    path.write_text(
        path.read_text()
        .replace(
            "wardrobe: {scenes_1_end: hero_casual}}", "wardrobe: {scenes_1_end: hero_casual}}\n    - {name: Villain}"
        )
        .replace("{name: web, format", "{name: preview, format")
    )
    with dg.instance_for_test() as instance:
        result = _tick(sensor, instance, None)
        assert isinstance(result, dg.SkipReason)
        assert "characters +Villain; outputs +preview -web" in (result.skip_message or "")
        assert "reload the code location" in (result.skip_message or "")
        reloaded = _tick(_sensor(tiny_production), instance, None)
    assert isinstance(reloaded, dg.SensorResult) and reloaded.dynamic_partitions_requests, "after a reload it goes on"


def test_an_edit_requests_exactly_the_changed_shot_then_delivery(tiny_production: Path, dagster_home: Path) -> None:
    assert ExecutionEngine(tiny_production, RunOptions(parallel=ParallelConfig(max_workers=1))).execute().success
    instance = dg.DagsterInstance.get()
    sensor = _sensor(tiny_production)
    first = _tick(sensor, instance, None)
    assert isinstance(first, dg.SkipReason) or not first.run_requests
    cursor = first.cursor if isinstance(first, dg.SensorResult) else json.dumps({"files": "unknown"})
    path = tiny_production / "production.yaml"
    path.write_text(
        path.read_text().replace(
            "template: wide, scene: 1, character: Hero, duration: 2",
            "template: wide, scene: 1, character: Hero, duration: 3",
        )
    )
    result = _tick(sensor, instance, cursor)
    assert isinstance(result, dg.SensorResult)
    (request,) = result.run_requests
    assert request.partition_key == "s001_wide_hero"
    assert request.job_name == job_names("tiny")["shots"]
    assert request.tags["production/reason"] == "frame_count 2 -> 3"
    run = (
        build_definitions([tiny_production])
        .resolve_job_def("tiny_shots")
        .execute_in_process(instance=instance, partition_key="s001_wide_hero")
    )
    assert run.success
    delivery = _tick(sensor, instance, result.cursor)
    assert isinstance(delivery, dg.SensorResult)
    (deliver,) = delivery.run_requests
    assert deliver.job_name == "tiny_deliver" and deliver.run_key.startswith("deliver:")


def test_shots_of_a_running_range_run_are_busy(tiny_production: Path) -> None:
    """`production run` renders ranges of shots: the sensor must not request them again meanwhile."""
    job = build_definitions([tiny_production]).resolve_job_def("tiny_shots")
    shots = ["s001_wide_hero", "s001_close_up_hero", "s002_extra"]
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("tiny_shots", shots)
        instance.create_run_for_job(
            job,
            tags={RANGE_START_TAG: shots[0], RANGE_END_TAG: shots[1]},
            status=dg.DagsterRunStatus.STARTED,
        )
        assert shots_in_flight(instance, "tiny_shots", "tiny_shots") == set(shots[:2])
        instance.create_run_for_job(job, tags={PARTITION_TAG: shots[2]}, status=dg.DagsterRunStatus.SUCCESS)
        assert shots_in_flight(instance, "tiny_shots", "tiny_shots") == set(shots[:2])


def test_neighbouring_stale_shots_share_one_range_run(tiny_production: Path) -> None:
    sensor = _sensor(tiny_production)
    shots = ["s001_wide_hero", "s001_close_up_hero"]
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("tiny_shots", shots)
        for shot_id in shots:  # rendered once, at a version the YAML no longer gives
            instance.report_runless_asset_event(
                dg.AssetMaterialization(
                    ["tiny", "shot_renders"], partition=shot_id, tags={"dagster/data_version": "old"}
                )
            )
        first = _tick(sensor, instance, None)
        assert isinstance(first, dg.SensorResult)
        result = sensor.evaluate_tick(
            dg.build_sensor_context(
                instance=instance,
                cursor=first.cursor,
                repository_def=build_definitions([tiny_production]).get_repository_def(),
            )
        )
        (request,) = result.run_requests
        assert request.partition_key is None
        assert (request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]) == tuple(shots)
        assert request.job_name == "tiny_shots" and request.run_key.startswith("s001_wide_hero...s001_close_up_hero:")


def test_an_approved_shot_whose_inputs_changed_is_held_and_says_so_on_its_partition(tiny_production: Path) -> None:
    path = tiny_production / "production.yaml"
    path.write_text(
        path.read_text().replace(
            "{template: wide, scene: 1, character: Hero, duration: 2}",
            "{template: wide, scene: 1, character: Hero, duration: 2, status: approved}",
        )
    )
    names = production_names(path)
    loaded = load_validated(tiny_production)
    with dg.instance_for_test() as instance:
        for shot_id in loaded.versions:  # both published at a version the YAML no longer asks for
            instance.report_runless_asset_event(
                dg.AssetMaterialization(
                    names.key("shot_renders"), partition=shot_id, tags={"dagster/data_version": "an_older_version"}
                )
            )
        assert locked_observations(names, loaded, instance) == 1
        (observation,) = instance.fetch_observations(names.key("shot_renders"), limit=10).records
        held = observation.asset_observation
        assert held is not None and held.partition == "s001_wide_hero"
        assert held.metadata["review_status"].value == "approved"
        assert held.metadata["published_version"].value == "an_older_version"
        assert held.metadata["wanted_version"].value == loaded.versions["s001_wide_hero"]
        # The sensor renders the other, unlocked stale shot only.
        requests = run_requests(names, loaded, instance, job_names(names.slug))
        assert [request.partition_key for request in requests] == ["s001_close_up_hero"]
        assert requests[0].tags["dagster/priority"] == "0"  # Dagster's run queue orders the farm by it
