"""The shots step over a range of shot partitions: each shot recorded on its own, a transient failure retried."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import pytest

from production_assets.orchestration import render_workers, shot_partitions
from production_assets.orchestration.dagster_compat import PipesExecutionError
from production_assets.orchestration.definitions_factory import build_definitions
from production_assets.orchestration.run_tags import RANGE_END_TAG, RANGE_START_TAG
from production_assets.planning.production_loader import load_validated
from production_assets.planning.versions import render_job

SHOTS = ["s001_wide_hero", "s001_close_up_hero"]
RENDERS = dg.AssetKey(["tiny", "shot_renders"])
GRADED = dg.AssetKey(["tiny", "graded_shots"])


def _materializations(instance: dg.DagsterInstance, key: dg.AssetKey, shot_id: str) -> list[dg.EventLogRecord]:
    records_filter = dg.AssetRecordsFilter(asset_key=key, asset_partitions=[shot_id])
    return list(instance.fetch_materializations(records_filter, limit=10).records)


@contextmanager
def both_shots_in_one_run(production: Path) -> Iterator[tuple[dg.DagsterInstance, dg.ExecuteInProcessResult]]:
    """On a fresh instance: the prepare job, then one run of the shots job over both shots (definitions built
    now, with the test's environment)."""
    defs = build_definitions([production])
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("tiny_shots", SHOTS)
        assert defs.resolve_job_def("tiny_prepare").execute_in_process(instance=instance).success
        yield instance, defs.resolve_job_def("tiny_shots").execute_in_process(
            instance=instance, tags={RANGE_START_TAG: SHOTS[0], RANGE_END_TAG: SHOTS[1]}, raise_on_error=False
        )


def failure_description(result: dg.ExecuteInProcessResult) -> str:
    failure = next(e for e in result.all_events if e.event_type_value == "STEP_FAILURE")
    return str(failure.event_specific_data.user_failure_data.description)


def worker_pids(render_log: Path) -> set[str]:
    """The pids of the bpy workers that rendered into a shot's render.log."""
    lines = render_log.read_text().splitlines()
    return {line.split(" pid ")[1].split(":")[0] for line in lines if line.startswith("==== ") and " pid " in line}


class LostWorker:
    """A render worker that is lost before it reports its shot."""

    def __init__(self, message: str) -> None:
        self.message = message

    def result(self) -> None:
        raise PipesExecutionError(self.message)

    def abandon(self) -> None:
        return None


def test_a_transient_failure_is_retried_and_the_other_shot_renders_once(
    tiny_production: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_worker = shot_partitions.WorkerRender
    calls: list[str] = []

    def flaky_worker(context, client, extras, keep=False):  # type: ignore[no-untyped-def]
        shot_id = extras["job"]["shot_id"]
        calls.append(shot_id)
        if calls.count(shot_id) == 1 and shot_id == SHOTS[0]:
            return LostWorker("worker lost (injected, transient)")
        return real_worker(context, client, extras, keep)

    monkeypatch.setattr(shot_partitions, "WorkerRender", flaky_worker)
    monkeypatch.delenv("PRODUCTION_RENDER_SERVER", raising=False)  # a range keeps one bpy worker for its shots
    production = load_validated(tiny_production).require_resolved()
    with both_shots_in_one_run(tiny_production) as (instance, result):
        assert result.success
        retried = [e for e in result.all_events if e.event_type_value == "STEP_UP_FOR_RETRY"]
        assert len(retried) == 1
        # The failed shot was tried twice, the other one rendered once: the retry skips what this run recorded.
        assert calls == [SHOTS[0], SHOTS[1], SHOTS[0]]
        for shot_id in SHOTS:
            (rendered,) = _materializations(instance, RENDERS, shot_id)
            (graded,) = _materializations(instance, GRADED, shot_id)
            # One run, but every shot carries its own data version, as a run per shot would.
            version = rendered.asset_materialization.tags["dagster/data_version"]
            assert version == render_job(production, shot_id).data_version
            assert rendered.run_id == graded.run_id == result.run_id
            assert graded.asset_materialization.metadata["frames"].value == 2
        checks = {e.partition: e.passed for e in result.get_asset_check_evaluations()}
        assert checks == {SHOTS[0]: True, SHOTS[1]: True}
        logs = [production.layout.render_log(s, render_job(production, s).data_version) for s in SHOTS]
        assert len(worker_pids(logs[0]) | worker_pids(logs[1])) == 1, "the shots of one range share one bpy worker"
    render_workers.stop_server()
    versions = {render_job(production, s).data_version for s in SHOTS}
    assert len(versions) == 2


def test_a_shot_that_keeps_failing_fails_the_run_and_the_others_are_recorded(
    tiny_production: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_worker = shot_partitions.WorkerRender

    def broken_for_one(context, client, extras, keep=False):  # type: ignore[no-untyped-def]
        if extras["job"]["shot_id"] == SHOTS[0]:
            return LostWorker("worker lost (injected, permanent)")
        return real_worker(context, client, extras, keep)

    monkeypatch.setattr(shot_partitions, "WorkerRender", broken_for_one)
    monkeypatch.setenv("PRODUCTION_RENDER_SERVER", "0")
    with both_shots_in_one_run(tiny_production) as (instance, result):
        assert not result.success
        description = failure_description(result)
        assert "1 of 2 shot(s) failed" in description and "s001_wide_hero: render worker failed" in description
        assert _materializations(instance, RENDERS, SHOTS[0]) == []
        assert len(_materializations(instance, RENDERS, SHOTS[1])) == 1
        assert len(_materializations(instance, GRADED, SHOTS[1])) == 1


def test_a_worker_that_dies_on_a_shot_leaves_the_shot_queued_behind_it_to_a_fresh_worker(
    tiny_production: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    render_workers.stop_server()  # the kept worker is started with this test's environment
    monkeypatch.setenv("PRODUCTION_RENDER_SERVER", "1")
    monkeypatch.setenv("PRODUCTION_RENDER_RETRIES", "0")
    monkeypatch.setenv("PRODUCTION_RENDER_CRASH_AFTER_FRAME", "1")
    monkeypatch.setenv("PRODUCTION_RENDER_CRASH_SHOT", SHOTS[0])
    production = load_validated(tiny_production).require_resolved()
    with both_shots_in_one_run(tiny_production) as (instance, result):
        assert not result.success
        description = failure_description(result)
        assert "1 of 2 shot(s) failed" in description and f"{SHOTS[0]}: render worker failed" in description
        assert _materializations(instance, RENDERS, SHOTS[0]) == []
        (rendered,) = _materializations(instance, RENDERS, SHOTS[1])
        assert rendered.asset_materialization.metadata["frames_rendered"].value == 2
    render_workers.stop_server()
    crashed, queued = [production.layout.render_log(s, render_job(production, s).data_version) for s in SHOTS]
    assert worker_pids(crashed).isdisjoint(worker_pids(queued)), "the shot queued behind the crash had a fresh worker"
    assert "frame 1/2 rendered" in crashed.read_text()


def test_the_kept_worker_tells_a_session_it_died_in_from_one_it_never_started(tmp_path: Path) -> None:
    server_script = tmp_path / "server.py"
    server_script.write_text(
        "import json, os, sys\n"
        "for index, line in enumerate(sys.stdin):\n"
        "    if index == 1:\n"
        "        os.abort()\n"
        "    print(json.dumps({'done': 0}), flush=True)\n"
    )
    server = render_workers._WorkerServer([sys.executable, str(server_script)])  # noqa: SLF001
    tickets = [server.submit({"shot": str(index)}) for index in range(3)]
    assert tickets == [0, 1, 2]
    assert server.wait(2) is None, "the worker ended during the second session: it never started the third"
    assert (server.wait(0), server.wait(1)) == (0, -6)
