"""Shots rendered on a real farm: PostgreSQL-backed instance, queued runs, two Celery workers.

Run alone with ``pytest -m farm production_assets_tests/farm``.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from production_assets.orchestration import farm_supervisor, launch
from production_assets.orchestration.definitions_factory import job_names, production_names
from production_assets.orchestration.run_tags import RANGE_END_TAG, RANGE_START_TAG
from production_assets.orchestration.shot_dispatch import CELERY_PRIORITY_TAG, PRIORITY_TAG, SHOTS_TAG
from production_assets.planning.production_loader import load_validated
from production_assets_tests.farm.conftest import FarmUnderTest

pytestmark = pytest.mark.farm


def shot_ids(path: Path) -> list[str]:
    resolved = load_validated(path).resolved
    assert resolved is not None
    return [shot.id for shot in resolved.shots]


def shot_materializations(instance: dg.DagsterInstance, path: Path, shot_id: str) -> list[dict[str, Any]]:
    """The metadata of every recorded `shot_renders` materialization of one shot."""
    slug = production_names(path).slug
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey([slug, "shot_renders"]), asset_partitions=[shot_id]), limit=50
    ).records
    return [
        {key: value.value for key, value in record.asset_materialization.metadata.items()}  # type: ignore[union-attr]
        for record in records
    ]


def prepare(instance: dg.DagsterInstance, path: Path) -> None:
    run_id = launch.launch_job(instance, path, job_names(production_names(path).slug)["prepare"])
    assert launch.wait_for_runs(instance, [run_id], timeout=180)[run_id] == dg.DagsterRunStatus.SUCCESS


def run_pid(instance: dg.DagsterInstance, run_id: str) -> int:
    """The pid that executed the run, from its "Started process for run (pid: N)" engine event."""
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        if entry.message.startswith("Started process for run (pid:"):
            return int(entry.message.split("pid: ")[1].split(")")[0])
    raise AssertionError(f"run {run_id} has no process start event")


def test_six_shots_render_once_each_in_a_range_run_per_worker(farm: FarmUnderTest) -> None:
    path = farm.productions["six_shots"]
    instance = farm.instance
    assert type(instance.run_launcher).__name__ == "CeleryRunLauncher"
    assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
    prepare(instance, path)
    shots = shot_ids(path)
    assert len(shots) == 6
    wait_for_workers(instance, 2)

    outcomes = farm_supervisor.render_shots(instance, path, shots, timeout=360)

    assert {shot: outcome.status for shot, outcome in outcomes.items()} == dict.fromkeys(
        shots, dg.DagsterRunStatus.SUCCESS
    )
    assert all(len(outcome.run_ids) == 1 for outcome in outcomes.values()), "a shot needed more than one run"
    for shot in shots:
        [metadata] = shot_materializations(instance, path, shot)
        assert (metadata["frames_rendered"], metadata["frames_skipped"]) == (2, 0)
    # History lives in PostgreSQL: a fresh instance (another process would do the same) sees every run and
    # which worker ran it, by Celery hostname and by the worker's pid. Two live workers: two ranges of three.
    fresh = farm.new_instance()
    assert type(fresh.run_storage).__name__ == "PostgresRunStorage"
    run_ids = sorted({outcome.run_ids[0] for outcome in outcomes.values()})
    runs = {run.run_id: run for run in fresh.get_runs(dg.RunsFilter(run_ids=run_ids))}
    assert sorted(runs) == run_ids and len(runs) == 2
    ranges = sorted(tuple(run.tags[SHOTS_TAG].split(",")) for run in runs.values())
    assert ranges == sorted([tuple(shots[:3]), tuple(shots[3:])])
    assert {(run.tags[RANGE_START_TAG], run.tags[RANGE_END_TAG]) for run in runs.values()} == {
        (shots[0], shots[2]),
        (shots[3], shots[5]),
    }
    assert all(run.tags[PRIORITY_TAG] == "0" and run.tags[CELERY_PRIORITY_TAG] == "9" for run in runs.values())
    workers = farm.farm.state["workers"]  # type: ignore[attr-defined]
    hostnames = {run.tags[launch.WORKER_TAG] for run in runs.values()}
    assert hostnames == {workers["w1"]["hostname"], workers["w2"]["hostname"]}
    pids = {run_pid(fresh, run_id) for run_id in runs}
    assert pids == {workers["w1"]["pid"], workers["w2"]["pid"]}
    assert all(run.remote_job_origin is not None for run in runs.values())

    deliver = launch.launch_job(instance, path, job_names(production_names(path).slug)["deliver"])
    assert launch.wait_for_runs(instance, [deliver], timeout=180)[deliver] == dg.DagsterRunStatus.SUCCESS
    manifest = json.loads((path.parent / "manifest.json").read_text())
    assert any(entry["output"] == "web" for entry in manifest["outputs"])
    fresh.dispose()


def frame_files(shot_dir: Path) -> dict[str, tuple[int, int]]:
    frames = sorted((shot_dir / "renders").glob("*/frames/frame_*.png"))
    return {f"{p.parent.parent.name}/{p.name}": (p.stat().st_ino, p.stat().st_mtime_ns) for p in frames}


def kill_a_worker_mid_shot(farm: FarmUnderTest, build: Path, frames: int, stop: threading.Event) -> dict[str, Any]:
    """Wait for a shot with some but not all frames, kill the worker rendering it; returns what was seen then."""
    instance = farm.new_instance()
    celery = launch.CeleryFarm.of(instance)
    assert celery is not None
    workers = farm.farm.state["workers"]  # type: ignore[attr-defined]
    try:
        while not stop.is_set():
            for shot_dir in sorted((build / "shots").glob("*")):
                done = frame_files(shot_dir)
                if not 0 < len(done) < frames:
                    continue
                started = instance.get_runs(dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED]))
                runs = [run for run in started if shot_dir.name in run.tags.get(SHOTS_TAG, "").split(",")]
                task = runs[0].tags.get(launch.TASK_ID_TAG) if runs else None
                hostname = celery.task_worker(task) if task else None
                name = next((n for n, w in workers.items() if w["hostname"] == hostname), None)
                if name is None:
                    continue
                farm.farm.kill_worker(name)  # type: ignore[attr-defined]
                # After the kill the folder is frozen: what is there now is what the worker finished.
                return {"shot": shot_dir.name, "worker": name, "frames": frame_files(shot_dir), "run": runs[0].run_id}
            time.sleep(0.05)
        return {}
    finally:
        instance.dispose()


def test_a_killed_worker_loses_no_shot_and_no_finished_frame(farm: FarmUnderTest) -> None:
    path = farm.productions["kill_shots"]
    instance = farm.instance
    for name in ("w1", "w2"):
        farm.farm.start_worker(name, ["dagster"])  # type: ignore[attr-defined]
    prepare(instance, path)
    shots = shot_ids(path)
    frames = 6
    stop = threading.Event()
    killed: dict[str, Any] = {}
    killer = threading.Thread(
        target=lambda: killed.update(kill_a_worker_mid_shot(farm, path.parent / "build", frames, stop))
    )
    killer.start()
    try:
        outcomes = farm_supervisor.render_shots(instance, path, shots, timeout=420, lost_worker_seconds=5)
    finally:
        stop.set()
        killer.join()

    assert killed, "no worker was caught mid-shot"
    assert all(outcome.status == dg.DagsterRunStatus.SUCCESS for outcome in outcomes.values()), outcomes
    victim = outcomes[killed["shot"]]
    assert victim.run_ids[0] == killed["run"] and len(victim.run_ids) == 2
    assert instance.get_run_by_id(killed["run"]).status == dg.DagsterRunStatus.FAILURE  # type: ignore[union-attr]
    survivor = farm.farm.state["workers"]["w2" if killed["worker"] == "w1" else "w1"]["hostname"]  # type: ignore[attr-defined]
    assert victim.workers[-1] == survivor
    shot_dir = path.parent / "build" / "shots" / killed["shot"]
    after = frame_files(shot_dir)
    assert len(after) == frames
    assert {name: after[name] for name in killed["frames"]} == killed["frames"], "a finished frame was rendered again"
    for shot in shots:
        [metadata] = shot_materializations(instance, path, shot)  # every shot present exactly once
        kept = len(killed["frames"]) if shot == killed["shot"] else 0
        assert (metadata["frames_rendered"], metadata["frames_skipped"]) == (frames - kept, kept)


def wait_for_workers(instance: dg.DagsterInstance, count: int) -> None:
    """Until ``count`` Celery workers answer (the default range size counts the workers that answer)."""
    celery = launch.CeleryFarm.of(instance)
    assert celery is not None
    deadline = time.monotonic() + 60
    while len(celery.queues_by_worker()) < count:
        assert time.monotonic() < deadline, f"fewer than {count} workers answer"


def wait_for_status(instance: dg.DagsterInstance, run_ids: list[str], wanted: dg.DagsterRunStatus) -> None:
    deadline = time.monotonic() + 120
    while any(instance.get_run_by_id(r).status != wanted for r in run_ids):  # type: ignore[union-attr]
        assert time.monotonic() < deadline, f"runs did not reach {wanted.value}"
        time.sleep(0.2)


def starting_order(instance: dg.DagsterInstance, run_ids: list[str]) -> list[str]:
    """The runs in the order the daemon dequeued them (their RUN_STARTING events)."""
    events = instance.fetch_run_status_changes(dg.DagsterEventType.RUN_STARTING, limit=1000, ascending=True)
    return [record.run_id for record in events.records if record.run_id in run_ids]


def test_the_run_queue_dequeues_a_higher_priority_production_first(farm: FarmUnderTest) -> None:
    low, high = farm.productions["low_priority"], farm.productions["high_priority"]
    instance = farm.instance
    for name in ("w1", "w2"):
        farm.farm.start_worker(name, ["dagster"])  # type: ignore[attr-defined]
    prepare(instance, low)
    prepare(instance, high)
    farm.farm.stop_daemon()  # type: ignore[attr-defined]
    try:
        low_runs = launch.launch_shot_runs(instance, low, shot_ids(low), shots_per_run=3)
        high_runs = launch.launch_shot_runs(instance, high, shot_ids(high), shots_per_run=3)
    finally:
        farm.farm.start_daemon()  # type: ignore[attr-defined]
    statuses = launch.wait_for_runs(instance, low_runs + high_runs, timeout=300)
    assert set(statuses.values()) == {dg.DagsterRunStatus.SUCCESS}
    assert len(low_runs) == len(high_runs) == 2
    assert starting_order(instance, low_runs + high_runs) == high_runs + low_runs
    for run_id, priority in [*((r, "5") for r in high_runs), *((r, "0") for r in low_runs)]:
        assert instance.get_run_by_id(run_id).tags[PRIORITY_TAG] == priority  # type: ignore[union-attr]
    for shot in shot_ids(high):
        [metadata] = shot_materializations(instance, high, shot)
        assert (metadata["frames_rendered"], metadata["frames_skipped"]) == (1, 0)


def test_celery_workers_take_a_higher_priority_run_that_was_sent_later_first(farm: FarmUnderTest) -> None:
    """Runs already on the broker: the Celery priority, not the order they were sent in, decides."""
    low, high = farm.productions["low_priority"], farm.productions["high_priority"]
    instance = farm.instance
    prepare(instance, low)
    prepare(instance, high)
    for name in ("w1", "w2"):
        farm.farm.stop_worker(name)  # type: ignore[attr-defined]
    try:
        low_runs = launch.launch_shot_runs(instance, low, shot_ids(low), shots_per_run=3)
        wait_for_status(instance, low_runs, dg.DagsterRunStatus.STARTING)
        high_runs = launch.launch_shot_runs(instance, high, shot_ids(high), shots_per_run=3)
        wait_for_status(instance, high_runs, dg.DagsterRunStatus.STARTING)
    finally:
        for name in ("w1", "w2"):
            farm.farm.start_worker(name, ["dagster"])  # type: ignore[attr-defined]
    statuses = launch.wait_for_runs(instance, low_runs + high_runs, timeout=300)
    assert set(statuses.values()) == {dg.DagsterRunStatus.SUCCESS}
    tags = {r: instance.get_run_by_id(r).tags for r in low_runs + high_runs}  # type: ignore[union-attr]
    # Redis serves Celery priority 0 first: the production's priority 5 is Celery's 4, priority 0 its 9.
    assert {tags[r][CELERY_PRIORITY_TAG] for r in high_runs} == {"4"}
    assert {tags[r][CELERY_PRIORITY_TAG] for r in low_runs} == {"9"}
    records = {r.dagster_run.run_id: r for r in instance.get_run_records(dg.RunsFilter(run_ids=low_runs + high_runs))}
    assert max(records[r].start_time for r in high_runs) < min(records[r].start_time for r in low_runs)  # type: ignore[operator]
