"""The shot supervisor's decisions, against a scripted instance and Celery farm (no servers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import dagster as dg

from production_assets.orchestration import launch

Status = dg.DagsterRunStatus


@dataclass
class FakeRun:
    run_id: str
    tags: dict[str, str]
    status: Status = Status.QUEUED


@dataclass
class FakeInstance:
    runs: dict[str, FakeRun] = field(default_factory=dict)
    failed_messages: list[str] = field(default_factory=list)

    def get_run_by_id(self, run_id: str) -> FakeRun:
        return self.runs[run_id]

    def add_run_tags(self, run_id: str, tags: dict[str, str]) -> None:
        self.runs[run_id].tags.update(tags)

    def report_run_failed(self, run: FakeRun, message: str) -> None:
        run.status = Status.FAILURE
        self.failed_messages.append(message)


class FakeSession:
    def __init__(self, instance: FakeInstance):
        self.instance = instance
        self.launches: list[dict[str, Any]] = []

    def launch(self, job_name: str, partition_key: str, tags: dict[str, str], **lineage: str | None) -> str:
        run_id = f"run{len(self.launches) + 1}"
        self.instance.runs[run_id] = FakeRun(run_id, {**tags, launch.TASK_ID_TAG: f"task-{run_id}"})
        self.launches.append({"run_id": run_id, "tags": tags, **lineage})
        return run_id


class FakeFarm:
    """w1 and w2 serve `gpu`; `owner` says which worker took each task."""

    def __init__(self) -> None:
        self.owner: dict[str, str] = {}
        self.alive = {"w1@h", "w2@h"}

    def task_worker(self, task_id: str) -> str | None:
        return self.owner.get(task_id)

    def live_workers(self) -> set[str]:
        return set(self.alive)

    def queues_by_worker(self) -> dict[str, list[str]]:
        return {w: ["gpu", f"worker.{w.split('@')[0]}"] for w in sorted(self.alive)}


def supervisor() -> tuple[launch.ShotSupervisor, FakeSession, FakeFarm]:
    session = FakeSession(FakeInstance())
    farm = FakeFarm()
    shots = launch.ShotSupervisor(
        session,
        "film_shots",
        max_attempts=4,
        lost_worker_seconds=0,
        farm=farm,  # type: ignore[arg-type]
    )
    shots.start(["s1"], {"s1": "gpu"})
    return shots, session, farm


def finish_last(
    shots: launch.ShotSupervisor, session: FakeSession, farm: FakeFarm, worker: str, status: Status
) -> None:
    run_id = session.launches[-1]["run_id"]
    farm.owner[f"task-{run_id}"] = worker
    session.instance.runs[run_id].status = status
    shots.poll()


def test_a_worker_that_failed_a_shot_twice_is_routed_around() -> None:
    shots, session, farm = supervisor()
    finish_last(shots, session, farm, "w1@h", Status.FAILURE)
    assert session.launches[1]["tags"][launch.QUEUE_TAG] == "gpu"
    assert session.launches[1]["parent_run_id"] == "run1" and session.launches[1]["root_run_id"] == "run1"
    finish_last(shots, session, farm, "w1@h", Status.FAILURE)
    third = session.launches[2]["tags"]
    assert third[launch.QUEUE_TAG] == "worker.w2" and third[launch.EXCLUDED_TAG] == "w1@h"
    assert third[launch.MAX_RETRIES_TAG] == "0" and third[launch.ATTEMPT_TAG] == "3"
    finish_last(shots, session, farm, "w2@h", Status.SUCCESS)
    assert shots.outcomes["s1"].status == Status.SUCCESS
    assert shots.outcomes["s1"].workers == ["w1@h", "w1@h", "w2@h"]


def test_a_shot_is_given_up_when_every_worker_of_its_queue_failed_it_twice() -> None:
    shots, session, farm = supervisor()
    farm.alive = {"w1@h"}
    finish_last(shots, session, farm, "w1@h", Status.FAILURE)
    finish_last(shots, session, farm, "w1@h", Status.FAILURE)
    assert len(session.launches) == 2
    assert shots.outcomes["s1"].status == Status.FAILURE
    assert "failed it twice" in shots.outcomes["s1"].message


def test_a_run_whose_worker_vanished_is_failed_and_launched_again() -> None:
    shots, session, farm = supervisor()
    session.instance.runs["run1"].status = Status.STARTED
    farm.owner["task-run1"] = "w1@h"
    farm.alive = {"w2@h"}
    shots.poll()
    assert session.instance.runs["run1"].status == Status.FAILURE
    assert "w1@h stopped answering" in session.instance.failed_messages[0]
    shots.poll()
    assert [launched["run_id"] for launched in session.launches] == ["run1", "run2"]
    assert session.launches[1]["tags"][launch.QUEUE_TAG] == "gpu"
