"""Launch Dagster runs through the instance, with a code-location origin, as `dagster job launch` does.

Runs made here are runs of the code location ``production_assets.definitions``
(orchestration.local_runs), so the web UI can re-execute them, and go through
the instance's run coordinator and run launcher: on the local profile a process
on this machine, on the farm profile (deploy/farm/dagster.yaml) a Celery task on
any worker host, whose run process rebuilds only the run's production. The code
is the same; DAGSTER_HOME decides.

- :func:`launch_job` / :func:`launch_shot_runs` create and submit runs.
- :func:`wait_for_runs` polls the instance until they finish.
- orchestration.farm_supervisor's ``render_shots`` sees them through on a farm.

Shots go out in ranges of neighbouring shots, one run each, highest priority
first (orchestration.shot_dispatch; ``shots_per_run=1`` gives a run per shot).
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg

from production_assets.orchestration.code_location import DEFINITIONS_MODULE, LOCATION_NAME
from production_assets.orchestration.dagster_compat import ServedLocation, serve_code_location
from production_assets.orchestration.definitions_factory import job_names, production_slug_at
from production_assets.orchestration.local_runs import create_production_run, partition_tags
from production_assets.orchestration.run_tags import shot_partitions_name
from production_assets.orchestration.shot_dispatch import (
    ShotRange,
    celery_run_priority,
    plan_ranges,
    range_tags,
)
from production_assets.orchestration.shot_partitions import shots_per_run as default_shots_per_run
from production_assets.planning.production_loader import load_validated

MAX_RETRIES_TAG = "dagster/max_retries"
TASK_ID_TAG = "dagster-celery/task_id"
ATTEMPT_TAG = "production/attempt"
WORKER_TAG = "production/farm_worker"
EXCLUDED_TAG = "production/excluded_workers"
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
        partition_range: tuple[str, str] | None = None,
    ) -> str:
        """Create a run of ``job_name`` (one partition, a range of them, or none) with the code location's
        origin and submit it; returns the run id."""
        run, _ = create_production_run(
            self.instance,
            self.production_path,
            job_name,
            tags={**(tags or {}), **partition_tags(partition_key, partition_range)},
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


def ensure_shot_partitions(
    instance: dg.DagsterInstance, production_path: str | Path, shot_ids: Sequence[str]
) -> list[str]:
    """Add the shots' partitions the instance lacks (what the partition sensor would do), in one call;
    returns every shot partition of the production, in the order the instance keeps them."""
    partitions = shot_partitions_name(production_slug_at(Path(production_path)))
    existing = instance.get_dynamic_partitions(partitions)
    known = set(existing)
    missing = [s for s in dict.fromkeys(shot_ids) if s not in known]
    if not missing:
        return list(existing)
    instance.add_dynamic_partitions(partitions, missing)
    return list(instance.get_dynamic_partitions(partitions))  # as stored, with whatever a sensor added meanwhile


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

    def workers_by_queue(self) -> dict[str, int]:
        """How many live workers serve each queue."""
        counts: dict[str, int] = {}
        for queues in self.queues_by_worker().values():
            for queue in queues:
                counts[queue] = counts.get(queue, 0) + 1
        return counts

    @functools.cached_property
    def serves_lowest_priority_first(self) -> bool:
        """kombu's Redis transport pops Celery priority 0 first; AMQP brokers serve the highest number first."""
        with self.app.connection_for_write() as connection:
            return bool(connection.transport.driver_type == "redis")

    def run_priority(self, priority: int) -> int:
        """The ``dagster-celery/run_priority`` of a run of ``priority`` on this broker."""
        return celery_run_priority(priority, self.serves_lowest_priority_first)


def shot_priorities(production_path: str | Path) -> dict[str, int]:
    """Each shot's priority as the production file sets it (shots[].priority, else production.priority)."""
    production = load_validated(Path(production_path)).require_resolved()
    return {shot.id: shot.priority for shot in production.shots}


def dispatch_ranges(
    instance: dg.DagsterInstance,
    production_path: str | Path,
    shot_ids: Sequence[str],
    queues: Mapping[str, str] | None = None,
    shots_per_run: int | None = None,
    farm: CeleryFarm | None = None,
) -> list[ShotRange]:
    """The runs that render ``shot_ids`` (shot_dispatch.plan_ranges), adding the partitions the instance lacks.

    ``shots_per_run`` None: up to PRODUCTION_SHOTS_PER_RUN (8) shots a run, fewer when that would leave
    live workers of a queue without a range; else exactly that many (1: a run per shot).
    """
    if shots_per_run is not None and shots_per_run < 1:
        raise ValueError(f"shots_per_run must be 1 or more, not {shots_per_run}")
    priorities = shot_priorities(production_path)
    order = ensure_shot_partitions(instance, production_path, shot_ids)
    workers = farm.workers_by_queue() if farm is not None and shots_per_run is None else {}
    limit = default_shots_per_run() if shots_per_run is None else shots_per_run
    return plan_ranges(shot_ids, order, priorities, queues or {}, limit, workers)


def run_celery_priority(farm: CeleryFarm | None, priority: int) -> int | None:
    return farm.run_priority(priority) if farm is not None else None


def launch_shot_runs(
    instance: dg.DagsterInstance,
    production_path: str | Path,
    shot_ids: Sequence[str],
    tags: Mapping[str, str] | None = None,
    queues: Mapping[str, str] | None = None,
    shots_per_run: int | None = None,
) -> list[str]:
    """Runs of `<slug>_shots` over ranges of neighbouring shots (see :func:`dispatch_ranges`), highest
    priority first; ``queues`` maps a shot to its Celery queue. Returns the run ids in launch order."""
    job_name = _shots_job(production_path)
    farm = CeleryFarm.of(instance)
    ranges = dispatch_ranges(instance, production_path, shot_ids, queues, shots_per_run, farm)
    with launch_session(instance, production_path) as session:
        return [
            session.launch(
                job_name,
                partition_key=r.partition_key,
                partition_range=r.partition_range,
                tags=range_tags(r, tags, run_celery_priority(farm, r.priority)),
            )
            for r in ranges
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
