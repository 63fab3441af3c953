"""The shot supervisor's decisions, against a scripted instance and Celery farm (no servers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import dagster as dg

from production_assets.orchestration import farm_supervisor, launch
from production_assets.orchestration.shot_dispatch import (
    CELERY_PRIORITY_TAG,
    PRIORITY_TAG,
    QUEUE_TAG,
    SHOTS_TAG,
    ShotRange,
    celery_run_priority,
)

Status = dg.DagsterRunStatus
GRADED = dg.AssetKey(["film", "graded_shots"])


@dataclass
class FakeRun:
    run_id: str
    tags: dict[str, str]
    status: Status = Status.QUEUED


@dataclass
class FakeInstance:
    """Runs, and which run recorded each shot's graded_shots (what `fetch_materializations` answers)."""

    runs: dict[str, FakeRun] = field(default_factory=dict)
    failed_messages: list[str] = field(default_factory=list)
    recorded: list[tuple[str, str]] = field(default_factory=list)  # (shot, run id)

    def get_runs(self, filters: dg.RunsFilter) -> list[FakeRun]:
        return [self.runs[run_id] for run_id in filters.run_ids or []]

    def fetch_materializations(
        self, records_filter: dg.AssetRecordsFilter, limit: int, cursor: str | None = None
    ) -> SimpleNamespace:
        assert records_filter.asset_key == GRADED
        wanted = set(records_filter.asset_partitions or [])
        records = [SimpleNamespace(run_id=r, partition_key=s) for s, r in self.recorded if s in wanted]
        return SimpleNamespace(records=records, cursor="", has_more=False)

    def add_run_tags(self, run_id: str, tags: dict[str, str]) -> None:
        self.runs[run_id].tags.update(tags)

    def report_run_failed(self, run: FakeRun, message: str) -> None:
        run.status = Status.FAILURE
        self.failed_messages.append(message)


class FakeSession:
    def __init__(self, instance: FakeInstance):
        self.instance = instance
        self.launches: list[dict[str, Any]] = []

    def launch(
        self,
        job_name: str,
        partition_key: str | None,
        partition_range: tuple[str, str] | None,
        tags: dict[str, str],
        **lineage: str | None,
    ) -> str:
        run_id = f"run{len(self.launches) + 1}"
        self.instance.runs[run_id] = FakeRun(run_id, {**tags, launch.TASK_ID_TAG: f"task-{run_id}"})
        self.launches.append(
            {"run_id": run_id, "tags": tags, "partition": partition_key, "range": partition_range, **lineage}
        )
        return run_id


class FakeFarm:
    """w1 and w2 serve `gpu`; `owner` says which worker took each task; a Redis broker."""

    def __init__(self) -> None:
        self.owner: dict[str, str] = {}
        self.alive = {"w1@h", "w2@h"}

    def task_worker(self, task_id: str) -> str | None:
        return self.owner.get(task_id)

    def live_workers(self) -> set[str]:
        return set(self.alive)

    def queues_by_worker(self) -> dict[str, list[str]]:
        return {w: ["gpu", f"worker.{w.split('@')[0]}"] for w in sorted(self.alive)}

    def run_priority(self, priority: int) -> int:
        return celery_run_priority(priority, lowest_first=True)


def supervisor(ranges: list[ShotRange] | None = None) -> tuple[farm_supervisor.ShotSupervisor, FakeSession, FakeFarm]:
    session = FakeSession(FakeInstance())
    farm = FakeFarm()
    shots = farm_supervisor.ShotSupervisor(
        session,  # type: ignore[arg-type]
        "film_shots",
        GRADED,
        max_attempts=4,
        lost_worker_seconds=0,
        farm=farm,  # type: ignore[arg-type]
    )
    shots.start(ranges or [ShotRange(("s1",), queue="gpu")])
    return shots, session, farm


def finish_last(
    shots: farm_supervisor.ShotSupervisor,
    session: FakeSession,
    farm: FakeFarm,
    worker: str,
    status: Status,
    recorded: tuple[str, ...] = (),
) -> None:
    """The last launched run ends with ``status`` on ``worker``, having recorded the shots ``recorded``."""
    run_id = session.launches[-1]["run_id"]
    farm.owner[f"task-{run_id}"] = worker
    session.instance.recorded += [(shot, run_id) for shot in recorded]
    session.instance.runs[run_id].status = status
    shots.poll()


def test_a_worker_that_failed_a_shot_twice_is_routed_around() -> None:
    shots, session, farm = supervisor()
    finish_last(shots, session, farm, "w1@h", Status.FAILURE)
    assert session.launches[1]["tags"][QUEUE_TAG] == "gpu"
    assert session.launches[1]["parent_run_id"] == "run1" and session.launches[1]["root_run_id"] == "run1"
    finish_last(shots, session, farm, "w1@h", Status.FAILURE)
    third = session.launches[2]["tags"]
    assert third[QUEUE_TAG] == "worker.w2" and third[launch.EXCLUDED_TAG] == "w1@h"
    assert third[launch.MAX_RETRIES_TAG] == "0" and third[launch.ATTEMPT_TAG] == "3"
    assert session.launches[2]["root_run_id"] == "run1"
    finish_last(shots, session, farm, "w2@h", Status.SUCCESS)
    assert shots.outcomes["s1"].status == Status.SUCCESS
    assert shots.outcomes["s1"].workers == ["w1@h", "w1@h", "w2@h"]
    assert not shots.active


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
    assert session.launches[1]["tags"][QUEUE_TAG] == "gpu"


RANGE = ShotRange(("a", "b", "c", "d", "e"), priority=3, queue="gpu")


def test_a_range_run_carries_its_shots_range_and_priorities() -> None:
    _, session, _ = supervisor([RANGE, ShotRange(("f",), priority=1)])
    first, second = session.launches
    assert first["range"] == ("a", "e") and first["partition"] is None
    assert first["tags"][SHOTS_TAG] == "a,b,c,d,e" and first["tags"][QUEUE_TAG] == "gpu"
    assert first["tags"][PRIORITY_TAG] == "3" and first["tags"][CELERY_PRIORITY_TAG] == "6"  # Redis: 0 first
    assert second["partition"] == "f" and second["range"] is None and QUEUE_TAG not in second["tags"]
    assert second["tags"][PRIORITY_TAG] == "1" and second["tags"][CELERY_PRIORITY_TAG] == "8"


def test_a_successful_range_run_finishes_every_shot_of_it() -> None:
    shots, session, farm = supervisor([RANGE])
    finish_last(shots, session, farm, "w2@h", Status.SUCCESS)
    assert {s: o.status for s, o in shots.outcomes.items()} == dict.fromkeys(RANGE.shots, Status.SUCCESS)
    assert all(o.run_ids == ["run1"] and o.workers == ["w2@h"] for o in shots.outcomes.values())
    assert len(session.launches) == 1 and not shots.active


def test_a_failed_range_run_launches_again_only_the_shots_it_did_not_record() -> None:
    shots, session, farm = supervisor([RANGE])
    finish_last(shots, session, farm, "w1@h", Status.FAILURE, recorded=("a", "c"))
    assert shots.outcomes["a"].status == shots.outcomes["c"].status == Status.SUCCESS
    assert [(launched["partition"], launched["range"]) for launched in session.launches[1:]] == [
        ("b", None),
        (None, ("d", "e")),
    ]
    for launched in session.launches[1:]:
        assert launched["parent_run_id"] == "run1" and launched["root_run_id"] == "run1"
        assert launched["tags"][PRIORITY_TAG] == "3" and launched["tags"][launch.ATTEMPT_TAG] == "2"
    assert session.launches[2]["tags"][SHOTS_TAG] == "d,e"
    finish_last(shots, session, farm, "w1@h", Status.FAILURE, recorded=("d",))
    assert session.launches[3]["partition"] == "e" and session.launches[3]["root_run_id"] == "run1"
    assert session.launches[3]["tags"][QUEUE_TAG] == "worker.w2"  # w1 failed e twice
    assert session.launches[3]["tags"][launch.EXCLUDED_TAG] == "w1@h"
    assert session.launches[1]["tags"][QUEUE_TAG] == "gpu"  # b failed on w1 only once
    finish_last(shots, session, farm, "w2@h", Status.SUCCESS, recorded=("e",))
    session.instance.runs["run2"].status = Status.SUCCESS
    shots.poll()
    assert {s: o.status for s, o in shots.outcomes.items()} == dict.fromkeys(RANGE.shots, Status.SUCCESS)
    assert shots.outcomes["e"].run_ids == ["run1", "run3", "run4"]
    assert shots.outcomes["e"].workers == ["w1@h", "w1@h", "w2@h"]
    assert shots.outcomes["a"].run_ids == ["run1"] and not shots.active


def test_a_range_whose_worker_vanished_gives_its_unrecorded_shots_to_another_run() -> None:
    shots, session, farm = supervisor([RANGE])
    session.instance.runs["run1"].status = Status.STARTED
    farm.owner["task-run1"] = "w1@h"
    session.instance.recorded += [("a", "run1"), ("b", "run1")]
    farm.alive = {"w2@h"}
    shots.poll()
    assert session.instance.runs["run1"].status == Status.FAILURE
    shots.poll()
    assert session.launches[1]["range"] == ("c", "e") and session.launches[1]["tags"][QUEUE_TAG] == "gpu"
    assert shots.outcomes["b"].status == Status.SUCCESS


def test_each_shot_of_a_range_is_given_up_after_max_attempts() -> None:
    shots, session, farm = supervisor([ShotRange(("a", "b"))])
    farm.alive = {"w1@h", "w2@h", "w3@h", "w4@h"}
    for worker in ("w1@h", "w2@h", "w3@h"):
        finish_last(shots, session, farm, worker, Status.FAILURE)
    finish_last(shots, session, farm, "w4@h", Status.FAILURE, recorded=("a",))
    assert len(session.launches) == 4 and not shots.active
    assert shots.outcomes["a"].status == Status.SUCCESS
    assert shots.outcomes["b"].status == Status.FAILURE and shots.outcomes["b"].message == "gave up after 4 attempts"


def test_shot_runs_on_the_local_profile_carry_no_celery_priority() -> None:
    session = FakeSession(FakeInstance())
    shots = farm_supervisor.ShotSupervisor(session, "film_shots", GRADED)  # type: ignore[arg-type]
    shots.start([ShotRange(("a",), priority=2)])
    tags = session.launches[0]["tags"]
    assert tags[PRIORITY_TAG] == "2" and CELERY_PRIORITY_TAG not in tags
