"""A shots run started by `production run` (a range of shot partitions) is re-executed from the web UI
(GraphQL), and succeeds."""

from __future__ import annotations

import time
from pathlib import Path

import dagster as dg

from production_assets.engine.runner import ExecutionEngine, ParallelConfig, RunOptions
from production_assets.orchestration.code_location import LOCATION_NAME
from production_assets.orchestration.run_tags import RANGE_END_TAG, RANGE_START_TAG
from production_assets_tests.webserver import REEXECUTE, graphql, running_webserver


def test_cli_runs_are_re_executable_from_the_ui(tiny_production: Path, dagster_home: Path) -> None:
    result = ExecutionEngine(tiny_production, RunOptions(ParallelConfig(max_workers=1))).execute()
    assert result.success, result
    instance = dg.DagsterInstance.get()
    shot_run = next(run for run in instance.get_runs() if run.tags.get(RANGE_START_TAG))
    assert (shot_run.tags[RANGE_START_TAG], shot_run.tags[RANGE_END_TAG]) == ("s001_wide_hero", "s001_close_up_hero")
    assert shot_run.remote_job_origin is not None and shot_run.remote_job_origin.location_name == LOCATION_NAME
    with running_webserver(str(tiny_production), dagster_home) as url:
        answer = graphql(url, REEXECUTE, {"params": {"parentRunId": shot_run.run_id, "strategy": "ALL_STEPS"}})
        launched = answer["data"]["launchPipelineReexecution"]
        assert launched["__typename"] == "LaunchRunSuccess", launched
        child_id = launched["run"]["runId"]
        deadline = time.monotonic() + 240
        while not (child := instance.get_run_by_id(child_id)).is_finished and time.monotonic() < deadline:
            time.sleep(1)
    assert child.status == dg.DagsterRunStatus.SUCCESS
    assert child.parent_run_id == shot_run.run_id
    assert (child.tags[RANGE_START_TAG], child.tags[RANGE_END_TAG]) == ("s001_wide_hero", "s001_close_up_hero")
