"""Launch Dagster runs through the instance, with a code-location origin, as `dagster job launch` does.

Runs made here are runs of the code location ``production_assets.definitions``
(orchestration.local_runs), so the web UI can re-execute them, and go through
the instance's run coordinator and run launcher: on the local profile a process
on this machine, on the farm profile (deploy/farm/dagster.yaml) a Celery task on
any worker host, whose run process rebuilds only the run's production. The code
is the same; DAGSTER_HOME decides.

- :func:`launch_job` / :func:`launch_shot_runs` create and submit runs.
- :func:`wait_for_runs` polls the instance until they finish.
- :func:`render_shots` supervises shot runs on a farm: a failed shot is launched
  again (the render resumes per frame); a run whose Celery worker vanished is
  marked failed and launched again elsewhere; a worker that failed the same shot
  twice is not given it again: the next attempt goes to the private queue
  (``worker.<name>``) of another worker that serves the shot's queue.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg

from production_assets.orchestration.code_location import DEFINITIONS_MODULE, LOCATION_NAME
from production_assets.orchestration.dagster_compat import ServedLocation, serve_code_location
from production_assets.orchestration.definitions_factory import job_names, production_slug_at
from production_assets.orchestration.local_runs import create_production_run, partition_tags
from production_assets.orchestration.run_tags import shot_partitions_name

MAX_RETRIES_TAG = "dagster/max_retries"
QUEUE_TAG = "dagster-celery/queue"
TASK_ID_TAG = "dagster-celery/task_id"
SHOT_TAG = "production/shot"
ATTEMPT_TAG = "production/attempt"
WORKER_TAG = "production/farm_worker"
EXCLUDED_TAG = "production/excluded_workers"
DEFAULT_QUEUE = "dagster"
PRIVATE_QUEUE_PREFIX = "worker."
FINISHED = {dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED}


@contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    previous = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class RunLauncherSession:
    """Creates and submits runs of one production's jobs; open it with :func:`launch_session`."""

    def __init__(self, location: ServedLocation, production_path: str | Path):
        self.location = location
        self.instance = location.instance
        self.production_path = production_path

    def launch(
        self,
        job_name: str,
        partition_key: str | None = None,
        tags: Mapping[str, str] | None = None,
        run_config: Mapping[str, Any] | None = None,
        parent_run_id: str | None = None,
        root_run_id: str | None = None,
    ) -> str:
        """Create a run of ``job_name`` with the code location's origin and submit it; returns the run id."""
        run, _ = create_production_run(
            self.instance,
            self.production_path,
            job_name,
            tags={**(tags or {}), **partition_tags(partition_key)},
            run_config=run_config,
            parent_run_id=parent_run_id,
            root_run_id=root_run_id,
        )
        return self.location.submit(run)


@contextmanager
def launch_session(
    instance: dg.DagsterInstance, production_path: str | Path, production_paths: Sequence[str | Path] | None = None
) -> Iterator[RunLauncherSession]:
    """A :class:`RunLauncherSession` for the production at ``production_path``.

    Its code location is served by a code server child process started with
    PRODUCTION_PATHS set to ``production_paths`` (default: the production alone);
    workers that execute the runs must see the same paths. On the local profile
    the runs are processes of that code server, which finishes them before it
    exits: closing the session never stops a run.
    """
    paths = os.pathsep.join(str(Path(p).resolve()) for p in production_paths or [production_path])
    with _environment({"PRODUCTION_PATHS": paths}):
        with serve_code_location(instance, DEFINITIONS_MODULE, LOCATION_NAME) as location:
            yield RunLauncherSession(location, production_path)


def _shots_job(production_path: str | Path) -> str:
    return job_names(production_slug_at(Path(production_path)))["shots"]


def ensure_shot_partitions(instance: dg.DagsterInstance, production_path: str | Path, shot_ids: Sequence[str]) -> None:
    """Add the shots' partitions the instance lacks (what the partition sensor would do)."""
    partitions = shot_partitions_name(production_slug_at(Path(production_path)))
    missing = [s for s in shot_ids if not instance.has_dynamic_partition(partitions, s)]
    if missing:
        instance.add_dynamic_partitions(partitions, missing)


def launch_job(
    instance: dg.DagsterInstance,
    production_path: str | Path,
    job_name: str,
    partition_key: str | None = None,
    tags: Mapping[str, str] | None = None,
) -> str:
    """Launch one run of ``job_name`` (e.g. ``<slug>_prepare``) through the instance; returns its run id."""
    with launch_session(instance, production_path) as session:
        return session.launch(job_name, partition_key=partition_key, tags=tags)


def shot_tags(shot_id: str, queue: str | None = None, tags: Mapping[str, str] | None = None) -> dict[str, str]:
    """Tags of a shot run: the shot, and the Celery queue it is routed to when one is given."""
    result = {SHOT_TAG: shot_id, **(tags or {})}
    if queue:
        result[QUEUE_TAG] = queue
    return result


def launch_shot_runs(
    instance: dg.DagsterInstance,
    production_path: str | Path,
    shot_ids: Sequence[str],
    tags: Mapping[str, str] | None = None,
    queues: Mapping[str, str] | None = None,
) -> list[str]:
    """One `<slug>_shots` run per shot (partition = shot id); ``queues`` maps a shot to its Celery queue."""
    job_name = _shots_job(production_path)
    ensure_shot_partitions(instance, production_path, shot_ids)
    with launch_session(instance, production_path) as session:
        return [
            session.launch(job_name, partition_key=s, tags=shot_tags(s, (queues or {}).get(s), tags)) for s in shot_ids
        ]


def wait_for_runs(
    instance: dg.DagsterInstance, run_ids: Sequence[str], timeout: float = 600.0, poll: float = 1.0
) -> dict[str, dg.DagsterRunStatus]:
    """Poll until every run has finished or ``timeout`` seconds passed; returns each run's last status."""
    deadline = time.monotonic() + timeout
    while True:
        statuses = {run_id: _status(instance, run_id) for run_id in run_ids}
        if all(status in FINISHED for status in statuses.values()) or time.monotonic() >= deadline:
            return statuses
        time.sleep(poll)


def _status(instance: dg.DagsterInstance, run_id: str) -> dg.DagsterRunStatus:
    run = instance.get_run_by_id(run_id)
    if run is None:
        raise dg.DagsterError(f"run {run_id} is not in the instance")
    return run.status


class CeleryFarm:
    """What the Celery broker and result backend know about workers and tasks (farm profile only)."""

    def __init__(self, app: Any, ping_timeout: float = 1.0):
        self.app = app
        self.ping_timeout = ping_timeout

    @classmethod
    def of(cls, instance: dg.DagsterInstance) -> CeleryFarm | None:
        app = getattr(instance.run_launcher, "celery", None)
        return cls(app) if app is not None else None

    def task_worker(self, task_id: str) -> str | None:
        """The hostname (``name@host``) of the worker that took the task, from the result backend."""
        result = self.app.AsyncResult(task_id)
        info = result.info
        if isinstance(info, dict) and info.get("hostname"):
            return str(info["hostname"])
        return getattr(result, "worker", None) or None

    def live_workers(self) -> set[str]:
        replies = self.app.control.ping(timeout=self.ping_timeout) or []
        return {hostname for reply in replies for hostname in reply}

    def queues_by_worker(self) -> dict[str, list[str]]:
        active = self.app.control.inspect(timeout=self.ping_timeout).active_queues() or {}
        return {hostname: [q["name"] for q in queues] for hostname, queues in active.items()}


@dataclass
class ShotOutcome:
    """How one shot went on the farm: every run it took, and the workers those ran on."""

    shot_id: str
    status: dg.DagsterRunStatus = dg.DagsterRunStatus.QUEUED
    run_ids: list[str] = field(default_factory=list)
    workers: list[str] = field(default_factory=list)
    message: str = ""


@dataclass
class _Attempt:
    shot_id: str
    queue: str | None
    run_id: str
    missing_since: float | None = None


class ShotSupervisor:
    """Launches shot runs and sees each shot through to success, a give-up, or the timeout."""

    def __init__(
        self,
        session: RunLauncherSession,
        job_name: str,
        max_attempts: int = 3,
        failures_per_worker: int = 2,
        lost_worker_seconds: float = 10.0,
        tags: Mapping[str, str] | None = None,
        farm: CeleryFarm | None = None,
    ):
        self.session = session
        self.instance = session.instance
        self.job_name = job_name
        self.max_attempts = max_attempts
        self.failures_per_worker = failures_per_worker
        self.lost_worker_seconds = lost_worker_seconds
        self.tags = dict(tags or {})
        self.farm = farm
        self.outcomes: dict[str, ShotOutcome] = {}
        self.failures: dict[tuple[str, str], int] = {}
        self.active: dict[str, _Attempt] = {}

    def start(self, shot_ids: Sequence[str], queues: Mapping[str, str]) -> None:
        for shot_id in shot_ids:
            self.outcomes[shot_id] = ShotOutcome(shot_id)
            self._launch(shot_id, queues.get(shot_id), parent=None)

    def _launch(self, shot_id: str, queue: str | None, parent: str | None, route: str | None = None) -> None:
        outcome = self.outcomes[shot_id]
        tags = shot_tags(shot_id, route or queue, self.tags)
        # This supervisor retries; the daemon's automatic re-execution must not retry the same run too.
        tags[MAX_RETRIES_TAG] = "0"
        tags[ATTEMPT_TAG] = str(len(outcome.run_ids) + 1)
        excluded = self._excluded_workers(shot_id)
        if excluded:
            tags[EXCLUDED_TAG] = ",".join(sorted(excluded))
        root = outcome.run_ids[0] if outcome.run_ids else None
        run_id = self.session.launch(
            self.job_name, partition_key=shot_id, tags=tags, parent_run_id=parent, root_run_id=root
        )
        outcome.run_ids.append(run_id)
        self.active[shot_id] = _Attempt(shot_id, queue, run_id)

    def poll(self) -> None:
        live: set[str] | None = None
        for shot_id, attempt in list(self.active.items()):
            run = self.instance.get_run_by_id(attempt.run_id)
            assert run is not None
            worker = self._note_worker(run)
            if run.status == dg.DagsterRunStatus.SUCCESS:
                self._finish(shot_id, run.status)
            elif run.status in (dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED):
                self._retry(attempt, worker, run.status)
            elif run.status == dg.DagsterRunStatus.STARTED and worker and self.farm is not None:
                live = self.farm.live_workers() if live is None else live
                self._check_worker_alive(attempt, run, worker, live)

    def _note_worker(self, run: dg.DagsterRun) -> str | None:
        worker = run.tags.get(WORKER_TAG)
        if worker or self.farm is None or TASK_ID_TAG not in run.tags:
            return worker
        worker = self.farm.task_worker(run.tags[TASK_ID_TAG])
        if worker:
            self.instance.add_run_tags(run.run_id, {WORKER_TAG: worker})
            self.outcomes[run.tags[SHOT_TAG]].workers.append(worker)
        return worker

    def _check_worker_alive(self, attempt: _Attempt, run: dg.DagsterRun, worker: str, live: set[str]) -> None:
        if worker in live:
            attempt.missing_since = None
            return
        now = time.monotonic()
        attempt.missing_since = attempt.missing_since or now
        if now - attempt.missing_since >= self.lost_worker_seconds:
            message = f"Celery worker {worker} stopped answering while it ran this shot; the shot is launched again"
            self.instance.report_run_failed(run, message=message)

    def _retry(self, attempt: _Attempt, worker: str | None, status: dg.DagsterRunStatus) -> None:
        shot_id = attempt.shot_id
        if worker:
            self.failures[(shot_id, worker)] = self.failures.get((shot_id, worker), 0) + 1
        if len(self.outcomes[shot_id].run_ids) >= self.max_attempts:
            self._finish(shot_id, status, f"gave up after {self.max_attempts} attempts")
            return
        route = self._route_around_failing_workers(shot_id, attempt.queue)
        if route == "":
            self._finish(shot_id, status, "every worker serving its queue failed it twice")
            return
        self._launch(shot_id, attempt.queue, parent=attempt.run_id, route=route)

    def _route_around_failing_workers(self, shot_id: str, queue: str | None) -> str | None:
        """None: the shot's own queue; a worker's private queue when some worker is excluded; "" when none is left."""
        excluded = self._excluded_workers(shot_id)
        if not excluded or self.farm is None:
            return None
        wanted = queue or DEFAULT_QUEUE
        for hostname, queues in sorted(self.farm.queues_by_worker().items()):
            private = [q for q in queues if q.startswith(PRIVATE_QUEUE_PREFIX)]
            if hostname not in excluded and wanted in queues and private:
                return private[0]
        return ""

    def _excluded_workers(self, shot_id: str) -> set[str]:
        return {w for (s, w), count in self.failures.items() if s == shot_id and count >= self.failures_per_worker}

    def _finish(self, shot_id: str, status: dg.DagsterRunStatus, message: str = "") -> None:
        self.active.pop(shot_id, None)
        self.outcomes[shot_id].status = status
        self.outcomes[shot_id].message = message


def render_shots(
    instance: dg.DagsterInstance,
    production_path: str | Path,
    shot_ids: Sequence[str],
    queues: Mapping[str, str] | None = None,
    tags: Mapping[str, str] | None = None,
    timeout: float = 1800.0,
    poll: float = 1.0,
    max_attempts: int = 3,
    lost_worker_seconds: float = 10.0,
) -> dict[str, ShotOutcome]:
    """Launch a run per shot and supervise them until each succeeded or was given up (see the module doc)."""
    job_name = _shots_job(production_path)
    ensure_shot_partitions(instance, production_path, shot_ids)
    with launch_session(instance, production_path) as session:
        supervisor = ShotSupervisor(
            session,
            job_name,
            max_attempts=max_attempts,
            lost_worker_seconds=lost_worker_seconds,
            tags=tags,
            farm=CeleryFarm.of(instance),
        )
        supervisor.start(shot_ids, queues or {})
        deadline = time.monotonic() + timeout
        while supervisor.active and time.monotonic() < deadline:
            time.sleep(poll)
            supervisor.poll()
        for shot_id in supervisor.active:
            supervisor.outcomes[shot_id].message = f"still running after {timeout:.0f} s"
        return supervisor.outcomes
