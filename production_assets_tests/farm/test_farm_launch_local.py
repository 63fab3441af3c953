"""launch.py on the local profile (SQLite, runs as local processes), and re-execution from the web UI's API."""

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
from production_assets.orchestration.definitions_factory import job_names, production_names
from production_assets.orchestration.run_tags import PARTITION_TAG
from production_assets_tests.conftest import write_production
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


@pytest.fixture(scope="module")
def shot_runs(local_instance: dg.DagsterInstance, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    path = write_production(tmp_path_factory.mktemp("productions") / "tiny")
    jobs = job_names(production_names(path).slug)
    prepare = launch.launch_job(local_instance, path, jobs["prepare"])
    assert launch.wait_for_runs(local_instance, [prepare], timeout=180)[prepare] == dg.DagsterRunStatus.SUCCESS
    shots = ["s001_wide_hero", "s001_close_up_hero"]
    run_ids = launch.launch_shot_runs(local_instance, path, shots, tags={"team": "lighting"})
    return path, run_ids


def test_shot_runs_go_through_the_instance_with_a_code_location_origin(
    local_instance: dg.DagsterInstance, shot_runs: tuple[Path, list[str]]
) -> None:
    _, run_ids = shot_runs
    statuses = launch.wait_for_runs(local_instance, run_ids, timeout=240)
    assert set(statuses.values()) == {dg.DagsterRunStatus.SUCCESS}
    runs = [local_instance.get_run_by_id(run_id) for run_id in run_ids]
    assert [run.tags[PARTITION_TAG] for run in runs] == ["s001_wide_hero", "s001_close_up_hero"]  # type: ignore[union-attr]
    for run in runs:
        assert run is not None and run.remote_job_origin is not None and run.job_code_origin is not None
        assert run.remote_job_origin.location_name == LOCATION_NAME
        assert run.tags["team"] == "lighting" and run.tags[launch.SHOT_TAG] == run.tags[PARTITION_TAG]


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


def test_a_launched_shot_run_is_re_executed_from_the_ui(
    local_instance: dg.DagsterInstance, shot_runs: tuple[Path, list[str]], webserver: str
) -> None:
    _, run_ids = shot_runs
    parent = run_ids[0]
    assert launch.wait_for_runs(local_instance, [parent], timeout=240)[parent] == dg.DagsterRunStatus.SUCCESS
    answer = graphql(webserver, REEXECUTE, {"params": {"parentRunId": parent, "strategy": "ALL_STEPS"}})
    result = answer["data"]["launchPipelineReexecution"]
    assert result["__typename"] == "LaunchRunSuccess", result
    child = result["run"]["runId"]
    assert launch.wait_for_runs(local_instance, [child], timeout=240)[child] == dg.DagsterRunStatus.SUCCESS
    rerun = local_instance.get_run_by_id(child)
    assert rerun is not None and rerun.parent_run_id == parent
    assert rerun.tags[PARTITION_TAG] == "s001_wide_hero"
