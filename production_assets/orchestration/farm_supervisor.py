"""The farm's supervisor: sees every shot of a set of range runs through to success, a give-up or the timeout.

:func:`render_shots` launches ranges (orchestration.launch.dispatch_ranges) and polls them. Each shot is
recorded on its own, so when a range run fails only the shots it did not record are launched again (the
render resumes per frame), as neighbour sub-ranges; a run whose Celery worker vanished is marked failed and
its unrecorded shots go elsewhere; a worker that failed the same shot twice is not given it again: the next
attempt goes to the private queue (``worker.<name>``) of another worker that serves the shot's queue.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import dagster as dg

from production_assets.orchestration.definitions_factory import job_names, production_slug_at
from production_assets.orchestration.launch import (
    ATTEMPT_TAG,
    EXCLUDED_TAG,
    MAX_RETRIES_TAG,
    PRIVATE_QUEUE_PREFIX,
    TASK_ID_TAG,
    WORKER_TAG,
    CeleryFarm,
    RunLauncherSession,
    dispatch_ranges,
    launch_session,
    run_celery_priority,
)
from production_assets.orchestration.shot_dispatch import DEFAULT_QUEUE, QUEUE_TAG, ShotRange, range_tags
from production_assets.planning.shot_ranges import neighbour_ranges


def recorded_shots(instance: dg.DagsterInstance, key: dg.AssetKey, run_id: str, shot_ids: Sequence[str]) -> set[str]:
    """The shots whose ``key`` (the last asset the shots step records for a shot) run ``run_id`` recorded."""
    records_filter = dg.AssetRecordsFilter(asset_key=key, asset_partitions=list(shot_ids))
    found: set[str] = set()
    cursor = None
    while len(found) < len(shot_ids):
        page = instance.fetch_materializations(records_filter, limit=100, cursor=cursor)
        found.update(r.partition_key for r in page.records if r.run_id == run_id and r.partition_key)
        if not page.has_more:
            break
        cursor = page.cursor
    return found


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
    shots: ShotRange
    run_id: str
    root_run_id: str
    missing_since: float | None = None


class ShotSupervisor:
    """Launches range runs and sees each of their shots through to success, a give-up, or the timeout."""

    def __init__(
        self,
        session: RunLauncherSession,
        job_name: str,
        recorded_key: dg.AssetKey,
        max_attempts: int = 3,
        failures_per_worker: int = 2,
        lost_worker_seconds: float = 10.0,
        tags: Mapping[str, str] | None = None,
        farm: CeleryFarm | None = None,
    ):
        """``recorded_key``: the asset whose per-shot materialization says a shot is done (graded_shots)."""
        self.session = session
        self.instance = session.instance
        self.job_name = job_name
        self.recorded_key = recorded_key
        self.max_attempts = max_attempts
        self.failures_per_worker = failures_per_worker
        self.lost_worker_seconds = lost_worker_seconds
        self.tags = dict(tags or {})
        self.farm = farm
        self.outcomes: dict[str, ShotOutcome] = {}
        self.failures: dict[tuple[str, str], int] = {}
        self.active: dict[str, _Attempt] = {}

    def start(self, ranges: Sequence[ShotRange]) -> None:
        """Launch a run per range, in the order given (highest priority first)."""
        for shot_range in ranges:
            for shot_id in shot_range.shots:
                self.outcomes[shot_id] = ShotOutcome(shot_id)
        for shot_range in ranges:
            self._launch(shot_range, parent=None)

    def _launch(self, shot_range: ShotRange, parent: _Attempt | None, route: str | None = None) -> None:
        tags = range_tags(shot_range, self.tags, run_celery_priority(self.farm, shot_range.priority))
        if route:
            tags[QUEUE_TAG] = route
        # This supervisor retries; the daemon's automatic re-execution must not retry the same run too.
        tags[MAX_RETRIES_TAG] = "0"
        tags[ATTEMPT_TAG] = str(1 + max(len(self.outcomes[s].run_ids) for s in shot_range.shots))
        excluded = self._excluded_workers(shot_range.shots)
        if excluded:
            tags[EXCLUDED_TAG] = ",".join(sorted(excluded))
        run_id = self.session.launch(
            self.job_name,
            partition_key=shot_range.partition_key,
            partition_range=shot_range.partition_range,
            tags=tags,
            parent_run_id=parent.run_id if parent else None,
            root_run_id=parent.root_run_id if parent else None,
        )
        for shot_id in shot_range.shots:
            self.outcomes[shot_id].run_ids.append(run_id)
        self.active[run_id] = _Attempt(shot_range, run_id, parent.root_run_id if parent else run_id)

    def poll(self) -> None:
        """Look at every active run (one query for all of them) and act on the ones that ended or lost their worker."""
        if not self.active:
            return  # an empty run_ids filter would match every run
        live: set[str] | None = None
        runs = {run.run_id: run for run in self.instance.get_runs(dg.RunsFilter(run_ids=list(self.active)))}
        for run_id, attempt in list(self.active.items()):
            run = runs[run_id]
            worker = self._note_worker(run, attempt)
            if run.status == dg.DagsterRunStatus.SUCCESS:
                del self.active[run_id]
                self._finish(attempt.shots.shots, run.status)
            elif run.status in (dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED):
                del self.active[run_id]
                self._retry(attempt, worker, run.status)
            elif run.status == dg.DagsterRunStatus.STARTED and worker and self.farm is not None:
                live = self.farm.live_workers() if live is None else live
                self._check_worker_alive(attempt, run, worker, live)

    def _note_worker(self, run: dg.DagsterRun, attempt: _Attempt) -> str | None:
        worker = run.tags.get(WORKER_TAG)
        if worker or self.farm is None or TASK_ID_TAG not in run.tags:
            return worker
        worker = self.farm.task_worker(run.tags[TASK_ID_TAG])
        if worker:
            self.instance.add_run_tags(run.run_id, {WORKER_TAG: worker})
            for shot_id in attempt.shots.shots:
                self.outcomes[shot_id].workers.append(worker)
        return worker

    def _check_worker_alive(self, attempt: _Attempt, run: dg.DagsterRun, worker: str, live: set[str]) -> None:
        if worker in live:
            attempt.missing_since = None
            return
        now = time.monotonic()
        attempt.missing_since = attempt.missing_since or now
        if now - attempt.missing_since >= self.lost_worker_seconds:
            message = f"Celery worker {worker} stopped answering while it ran these shots; they are launched again"
            self.instance.report_run_failed(run, message=message)

    def _retry(self, attempt: _Attempt, worker: str | None, status: dg.DagsterRunStatus) -> None:
        """Launch again the shots of a failed run that it did not record, in ranges of neighbours."""
        shots = attempt.shots.shots
        recorded = recorded_shots(self.instance, self.recorded_key, attempt.run_id, shots)
        self._finish([s for s in shots if s in recorded], dg.DagsterRunStatus.SUCCESS)
        left = [s for s in shots if s not in recorded]
        if worker:
            for shot_id in left:
                self.failures[(shot_id, worker)] = self.failures.get((shot_id, worker), 0) + 1
        spent = [s for s in left if len(self.outcomes[s].run_ids) >= self.max_attempts]
        self._finish(spent, status, f"gave up after {self.max_attempts} attempts")
        retry = [s for s in left if s not in spent]
        for run in neighbour_ranges(retry, list(shots)):
            again = replace(attempt.shots, shots=tuple(run))
            route = self._route_around_failing_workers(again)
            if route == "":
                self._finish(again.shots, status, "every worker serving its queue failed it twice")
            else:
                self._launch(again, parent=attempt, route=route)

    def _route_around_failing_workers(self, shot_range: ShotRange) -> str | None:
        """None: the range's own queue; a worker's private queue when some worker is excluded; "" when none is left."""
        excluded = self._excluded_workers(shot_range.shots)
        if not excluded or self.farm is None:
            return None
        wanted = shot_range.queue or DEFAULT_QUEUE
        for hostname, queues in sorted(self.farm.queues_by_worker().items()):
            private = [q for q in queues if q.startswith(PRIVATE_QUEUE_PREFIX)]
            if hostname not in excluded and wanted in queues and private:
                return private[0]
        return ""

    def _excluded_workers(self, shot_ids: Sequence[str]) -> set[str]:
        """Workers that failed one of these shots ``failures_per_worker`` times."""
        wanted = set(shot_ids)
        return {w for (s, w), count in self.failures.items() if s in wanted and count >= self.failures_per_worker}

    def _finish(self, shot_ids: Sequence[str], status: dg.DagsterRunStatus, message: str = "") -> None:
        for shot_id in shot_ids:
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
    shots_per_run: int | None = None,
) -> dict[str, ShotOutcome]:
    """Launch range runs of the shots (see :func:`dispatch_ranges`) and supervise them until every shot
    succeeded or was given up (see the module doc); ``max_attempts`` counts the runs a shot was in."""
    slug = production_slug_at(Path(production_path))
    farm = CeleryFarm.of(instance)
    ranges = dispatch_ranges(instance, production_path, shot_ids, queues, shots_per_run, farm)
    with launch_session(instance, production_path) as session:
        supervisor = ShotSupervisor(
            session,
            job_names(slug)["shots"],
            dg.AssetKey([slug, "graded_shots"]),
            max_attempts=max_attempts,
            lost_worker_seconds=lost_worker_seconds,
            tags=tags,
            farm=farm,
        )
        supervisor.start(ranges)
        deadline = time.monotonic() + timeout
        while supervisor.active and time.monotonic() < deadline:
            time.sleep(poll)
            supervisor.poll()
        for attempt in supervisor.active.values():
            for shot_id in attempt.shots.shots:
                supervisor.outcomes[shot_id].message = f"still running after {timeout:.0f} s"
        return supervisor.outcomes
