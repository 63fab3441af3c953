"""launch.py on the local profile (SQLite, runs as local processes): range runs recorded per shot, priorities,
and re-execution from the web UI's API."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from production_assets.orchestration import launch
from production_assets.orchestration.code_location import LOCATION_NAME
from production_assets.orchestration.dagster_compat import data_version_of
from production_assets.orchestration.definitions_factory import job_names, production_names
from production_assets.orchestration.run_tags import PARTITION_TAG, RANGE_END_TAG, RANGE_START_TAG
from production_assets.orchestration.shot_dispatch import CELERY_PRIORITY_TAG, PRIORITY_TAG, SHOTS_TAG
from production_assets.planning.production_loader import load_validated
from production_assets_tests.conftest import TINY_PRODUCTION, write_production
from production_assets_tests.webserver import REEXECUTE, graphql, running_webserver

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def local_instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dg.DagsterInstance]:
    """A temporary SQLite instance with the local profile (deploy/local/dagster.yaml)."""
    home = tmp_path_factory.mktemp("dagster_home")
    shutil.copyfile(REPO / "deploy" / "local" / "dagster.yaml", home / "dagster.yaml")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_HOME", str(home))
        with dg.DagsterInstance.get() as instance:
            yield instance


# Two shots of priority 2 (the production's) and a medium shot of priority 7.
PRIORITY_PRODUCTION = TINY_PRODUCTION.replace('  version: "1.0"', '  version: "1.0"\n  priority: 2').replace(
    "  render_settings:",
    "    - {template: medium, scene: 1, character: Hero, duration: 2, priority: 7}\n  render_settings:",
)
RANGE_SHOTS = ("s001_wide_hero", "s001_close_up_hero")
URGENT_SHOT = "s001_medium_hero"


@pytest.fixture(scope="module")
def shot_runs(local_instance: dg.DagsterInstance, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The three shots launched with the default range size: the urgent shot's run, then one range run."""
    path = write_production(tmp_path_factory.mktemp("productions") / "tiny", PRIORITY_PRODUCTION)
    jobs = job_names(production_names(path).slug)
    prepare = launch.launch_job(local_instance, path, jobs["prepare"])
    assert launch.wait_for_runs(local_instance, [prepare], timeout=180)[prepare] == dg.DagsterRunStatus.SUCCESS
    run_ids = launch.launch_shot_runs(local_instance, path, [*RANGE_SHOTS, URGENT_SHOT], tags={"team": "lighting"})
    return path, run_ids


def shot_records(instance: dg.DagsterInstance, path: Path, asset: str) -> dict[str, dg.EventLogRecord]:
    key = dg.AssetKey([production_names(path).slug, asset])
    records = instance.fetch_materializations(dg.AssetRecordsFilter(asset_key=key), limit=50).records
    return {record.partition_key: record for record in records if record.partition_key}


def test_shot_runs_go_through_the_instance_with_a_code_location_origin(
    local_instance: dg.DagsterInstance, shot_runs: tuple[Path, list[str]]
) -> None:
    _, run_ids = shot_runs
    statuses = launch.wait_for_runs(local_instance, run_ids, timeout=240)
    assert set(statuses.values()) == {dg.DagsterRunStatus.SUCCESS}
    runs = [local_instance.get_run_by_id(run_id) for run_id in run_ids]
    for run in runs:
        assert run is not None and run.remote_job_origin is not None and run.job_code_origin is not None
        assert run.remote_job_origin.location_name == LOCATION_NAME
        assert run.tags["team"] == "lighting"


def test_the_higher_priority_shot_is_launched_first_in_a_run_of_its_own(
    local_instance: dg.DagsterInstance, shot_runs: tuple[Path, list[str]]
) -> None:
    _, run_ids = shot_runs
    assert len(run_ids) == 2
    urgent, shared = (local_instance.get_run_by_id(run_id) for run_id in run_ids)
    assert urgent is not None and shared is not None
    assert urgent.tags[PARTITION_TAG] == URGENT_SHOT and urgent.tags[SHOTS_TAG] == URGENT_SHOT
    assert (urgent.tags[PRIORITY_TAG], shared.tags[PRIORITY_TAG]) == ("7", "2")
    assert CELERY_PRIORITY_TAG not in urgent.tags  # no Celery on the local profile
    created = {
        record.dagster_run.run_id: record.create_timestamp
        for record in local_instance.get_run_records(dg.RunsFilter(run_ids=run_ids))
    }
    assert created[urgent.run_id] < created[shared.run_id]


def test_a_range_run_renders_its_shots_and_records_each_on_its_own(
    local_instance: dg.DagsterInstance, shot_runs: tuple[Path, list[str]]
) -> None:
    path, run_ids = shot_runs
    shared = run_ids[1]
    assert launch.wait_for_runs(local_instance, [shared], timeout=240)[shared] == dg.DagsterRunStatus.SUCCESS
    run = local_instance.get_run_by_id(shared)
    assert run is not None and PARTITION_TAG not in run.tags
    assert (run.tags[RANGE_START_TAG], run.tags[RANGE_END_TAG]) == RANGE_SHOTS
    assert run.tags[SHOTS_TAG] == ",".join(RANGE_SHOTS)
    renders, graded = (
        shot_records(local_instance, path, "shot_renders"),
        shot_records(local_instance, path, "graded_shots"),
    )
    versions = set()
    for shot in RANGE_SHOTS:
        assert renders[shot].run_id == graded[shot].run_id == shared
        materialization = renders[shot].asset_materialization
        assert materialization is not None and materialization.metadata["frames_rendered"].value == 2
        version = data_version_of(materialization.tags)
        assert version is not None
        versions.add(version)
        frames = load_validated(path).require_resolved().layout.frames_dir(shot, version)
        assert len(list(frames.glob("frame_*.png"))) == 2
    assert len(versions) == 2, "each shot is recorded with its own data version"
    assert renders[URGENT_SHOT].run_id == run_ids[0]


def test_wait_for_runs_returns_the_unfinished_status_at_the_timeout(local_instance: dg.DagsterInstance) -> None:
    run = local_instance.create_run_for_job(dg.GraphDefinition(name="never_started").to_job())
    started = time.monotonic()
    assert launch.wait_for_runs(local_instance, [run.run_id], timeout=0.3, poll=0.1) == {
        run.run_id: dg.DagsterRunStatus.NOT_STARTED
    }
    assert time.monotonic() - started < 5


@pytest.fixture
def webserver(local_instance: dg.DagsterInstance, shot_runs: tuple[Path, list[str]]) -> Iterator[str]:
    path, _ = shot_runs
    with running_webserver(str(path), Path(os.environ["DAGSTER_HOME"])) as url:
        yield url


def test_a_launched_range_run_is_re_executed_from_the_ui(
    local_instance: dg.DagsterInstance, shot_runs: tuple[Path, list[str]], webserver: str
) -> None:
    _, run_ids = shot_runs
    parent = run_ids[1]
    assert launch.wait_for_runs(local_instance, [parent], timeout=240)[parent] == dg.DagsterRunStatus.SUCCESS
    answer = graphql(webserver, REEXECUTE, {"params": {"parentRunId": parent, "strategy": "ALL_STEPS"}})
    result = answer["data"]["launchPipelineReexecution"]
    assert result["__typename"] == "LaunchRunSuccess", result
    child = result["run"]["runId"]
    assert launch.wait_for_runs(local_instance, [child], timeout=240)[child] == dg.DagsterRunStatus.SUCCESS
    rerun = local_instance.get_run_by_id(child)
    assert rerun is not None and rerun.parent_run_id == parent
    assert (rerun.tags[RANGE_START_TAG], rerun.tags[RANGE_END_TAG]) == RANGE_SHOTS
