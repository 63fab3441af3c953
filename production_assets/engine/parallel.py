"""Render worker slots: how shots are split into batches, and the executor that runs the batches side by side.

A batch is one ``python -m production_assets.engine.shot_batch`` process: it renders and grades its
shots in Dagster runs of neighbouring shot partitions (each shot recorded on its own) and prints JSON
lines about them (see that module). :class:`ParallelExecutor` keeps ``max_workers`` such processes
going, each kept to its own cores, and tells its caller every event and each shot's outcome.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import dagster as dg

from production_assets.engine.batch_process import (
    BatchMessage,
    BatchProcess,
    RunEnded,
    RunStarted,
    batch_environment,
    threads_per_worker,
)
from production_assets.engine.instance import get_instance
from production_assets.model.resolved import ResolvedProduction
from production_assets.orchestration.shot_progress import ShotEnded, ShotStarted

STOP_GRACE_SECONDS = 10.0
POLL_SECONDS = 0.25
WORKER_STOPPED = "the render worker stopped"

EventHandler = Callable[[int, BatchMessage], None]


def worker_cpus(slot: int, slots: int) -> list[int]:
    """The cores worker `slot` of `slots` keeps to, so N workers share the machine without
    oversubscribing it. (Measured: Blender limited to one thread but free to float still spins
    on the other core and burns ~1.9x the CPU; kept to its own core it does not.)"""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else list(range(os.cpu_count() or 1))
    each = max(1, len(cpus) // slots)
    start = (slot * each) % len(cpus)
    return cpus[start : start + each]


def default_parallel() -> int:
    """Render workers for this machine: one per two cores, at least one, at most four."""
    return max(1, min(4, (os.cpu_count() or 1) // 2))


@dataclass
class ParallelConfig:
    """How shots are spread: `max_workers` processes at once, each running `chunk_size` shots
    (None: the shots are split evenly over the workers, amortising start-up the most)."""

    max_workers: int = field(default_factory=default_parallel)
    chunk_size: int | None = None


def shot_batches(shot_ids: list[str], frames: dict[str, int], config: ParallelConfig) -> list[list[str]]:
    """Split the shots (in film order) into neighbouring groups, one per worker slot: chunks of
    chunk_size, or one group per worker with about equal frames. Neighbours make one Dagster run."""
    if config.chunk_size:
        return [shot_ids[i : i + config.chunk_size] for i in range(0, len(shot_ids), config.chunk_size)]
    groups = max(1, min(config.max_workers, len(shot_ids)))
    batches: list[list[str]] = []
    remaining = sum(frames[s] for s in shot_ids)
    current: list[str] = []
    load = 0
    for index, shot_id in enumerate(shot_ids):
        current.append(shot_id)
        load += frames[shot_id]
        left_groups = groups - len(batches) - 1
        shots_after = len(shot_ids) - index - 1
        if left_groups and (load >= remaining / (left_groups + 1) or shots_after == left_groups):
            batches.append(current)
            remaining -= load
            current, load = [], 0
    if current:
        batches.append(current)
    return batches


@dataclass(frozen=True)
class WorkerPlan:
    """The batches, how many worker slots run them and the render threads each worker gets."""

    batches: list[list[str]]
    slots: int
    threads: int


class ParallelExecutor:
    """Renders and grades shots on worker slots: ``config.max_workers`` shot_batch processes at once.

    ``execute`` returns each shot's outcome ("" when Dagster recorded it rendered and graded, else why
    not); ``run_ids``, ``started`` and ``ended`` (epoch seconds per shot) say what happened. Ctrl-C stops
    every worker (finished frames are kept) and marks their runs cancelled.
    """

    def __init__(
        self,
        config: ParallelConfig | None = None,
        instance: dg.DagsterInstance | None = None,
        warm: BatchProcess | None = None,
    ):
        self.config = config or ParallelConfig()
        self._instance = instance
        self._warm = warm  # started early (see warm_batch); the first slot when the run has one
        self.run_ids: list[str] = []
        self.started: dict[str, float] = {}
        self.ended: dict[str, float] = {}
        self._active_runs: dict[str, dict[str, str | None]] = {}  # run id -> shot -> error ('' ok, None: not yet)

    def plan(self, shot_ids: list[str], frames: dict[str, int]) -> WorkerPlan:
        batches = shot_batches(shot_ids, frames, self.config)
        slots = max(1, min(self.config.max_workers, len(batches)))
        return WorkerPlan(batches, slots, threads_per_worker(slots))

    def execute(
        self,
        production: ResolvedProduction,
        shot_ids: list[str],
        on_event: EventHandler | None = None,
        on_tick: Callable[[], None] | None = None,
        before: Callable[[], object] | None = None,
        say: Callable[[str], None] | None = None,
        alongside: Callable[[], object] | None = None,
    ) -> dict[str, str]:
        """Render and grade ``shot_ids`` (film order). ``before`` runs while the first workers warm up,
        ``alongside`` once they have their shots (what it reports is read after it returns),
        ``on_event(slot, event)`` gets every line a worker prints, ``on_tick`` runs about 4 times a second,
        ``say`` gets what a person watching should know (an interrupt)."""
        warm, self._warm = self._warm, None
        if not shot_ids:
            if warm is not None:
                warm.release()
            for work_first in (before, alongside):
                if work_first is not None:
                    work_first()
            return {}
        work = self.plan(shot_ids, {s: production.shot(s).frame_count for s in shot_ids})
        if warm is not None and (work.slots > 1 or warm.source != production.root_file):
            warm.release()  # started for one slot with every core
            warm = None
        pending = list(work.batches)
        outcomes: dict[str, str] = {}

        def launch(slot: int) -> BatchProcess:
            nonlocal warm
            if warm is not None:
                taken, warm = warm, None
                return taken
            cpus = worker_cpus(slot, work.slots) if work.slots > 1 else None
            env = batch_environment(work.threads, cpus)
            return BatchProcess(slot, production.root_file, env, production.layout.worker_log(slot))

        workers = [launch(slot) for slot in range(work.slots)]
        try:
            if before is not None:
                before()
            for worker in workers:
                worker.go(pending.pop(0))
            if alongside is not None:
                alongside()
            while pending or any(worker.busy for worker in workers):
                workers = [w for w in workers if w.busy]
                for slot in sorted(set(range(work.slots)) - {w.slot for w in workers}):
                    if pending:
                        workers.append(launch(slot))
                        workers[-1].go(pending.pop(0))
                for worker in workers:
                    while not worker.messages.empty():
                        self._handle(worker.slot, worker.messages.get(), outcomes, on_event)
                if on_tick is not None:
                    on_tick()
                time.sleep(POLL_SECONDS)
        except BaseException:
            if say is not None:
                say("stopping: interrupting the render workers (finished frames are kept)")
            self._stop(workers)
            raise
        for run_id in list(self._active_runs):  # a worker that died mid-run said nothing more
            self._settle(run_id, WORKER_STOPPED, outcomes)
        return outcomes

    def _handle(
        self, slot: int, message: BatchMessage, outcomes: dict[str, str], on_event: EventHandler | None
    ) -> None:
        if isinstance(message, RunStarted):
            self._active_runs[message.run_id] = dict.fromkeys(message.shots)
            self.run_ids.append(message.run_id)
        elif isinstance(message, ShotStarted):
            self.started.setdefault(message.shot, message.at)
        elif isinstance(message, ShotEnded):
            self.ended[message.shot] = message.at
            self._active_runs.setdefault(message.run_id, {})[message.shot] = message.error
        elif isinstance(message, RunEnded):
            # The last outcome of each shot counts (a retry may redo a failed one); shots the run
            # never reached (it failed before them) fail with the run's error.
            self._settle(message.run_id, message.error or "run failed", outcomes)
        if on_event is not None:
            on_event(slot, message)

    def _settle(self, run_id: str, unreached: str, outcomes: dict[str, str]) -> None:
        for shot_id, outcome in self._active_runs.pop(run_id, {}).items():
            outcomes[shot_id] = outcome if outcome is not None else unreached

    def _stop(self, workers: list[BatchProcess]) -> None:
        """Interrupt every worker's process group, then kill it; mark its runs cancelled."""
        for worker in workers:
            worker.signal(signal.SIGINT)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for worker in workers:
            try:
                worker.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                worker.signal(signal.SIGKILL)
                worker.process.wait()
        instance = self._instance or get_instance()
        for run_id in self._active_runs:
            run = instance.get_run_by_id(run_id)
            if run is not None and not run.is_finished:
                instance.report_run_canceled(run, message="stopped by Ctrl-C in `production run`")
