"""`production run`: validate, plan, then drive the production's Dagster jobs.

Phases as the user sees them: validate, prepare, characters, locations, shots,
post_process, export, finalize. Prepare (+ characters and locations, in one
Dagster run) comes first; shots are split into neighbouring groups, one per
worker slot, and each group is one Dagster run over its range of shot
partitions (render + grade, each shot recorded on its own), the slots running
in parallel; export + finalize is one run. Dagster's records are the source of
truth, so the next run resumes where this one stopped and a run started here
shows in the UI.
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import dagster as dg

from production_assets.engine.instance import dagster_home, get_instance
from production_assets.engine.progress import PlainReporter, Reporter, RunProgress, WorkerState
from production_assets.engine.shot_batch import CPUS_ENV, WAIT_FLAG, failure_message
from production_assets.errors import ProductionLockedError, ValidationFailedError
from production_assets.export.frames import count_frames
from production_assets.model.resolved import ResolvedProduction
from production_assets.model.results import ExecutionState, ProductionResult, ShotFailure, ShotState
from production_assets.orchestration.definitions_factory import job_names
from production_assets.orchestration.local_runs import execute_job_here
from production_assets.orchestration.production_loader import load_validated
from production_assets.orchestration.run_tags import shot_partitions_name
from production_assets.orchestration.staleness import ProductionPlan, ShotPlan, plan_production
from production_assets.render.shot_log import read_log_tail

EXECUTION_PHASES = ("validate", "prepare", "characters", "locations", "shots", "post_process", "export", "finalize")
PHASE_JOBS = {"prepare": "prepare", "characters": "prepare", "locations": "prepare", "export": "deliver", "finalize": "deliver"}
STOP_GRACE_SECONDS = 10.0


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
    backend: Literal["process"] = "process"
    chunk_size: int | None = None


@dataclass
class RunOptions:
    parallel: ParallelConfig = field(default_factory=ParallelConfig)
    only: list[str] | None = None


@contextmanager
def production_lock(production: ResolvedProduction) -> Iterator[None]:
    """One `production run` per production at a time; the second is refused."""
    lock_path = production.layout.run_lock
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise ProductionLockedError(
                f"another `production run` (pid {holder}) is working on {production.title!r}",
                suggestion="wait for it, or follow it with `production status`",
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield


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


def analyze_dependencies(production: ResolvedProduction) -> list[list[str]]:
    """The run's groups in order; work inside a group has no dependency on its neighbours."""
    return [
        ["production_config"],
        [f"characters/{name}" for name in production.characters] + [f"locations/{name}" for name in production.locations],
        [f"shot_renders[{shot.id}]" for shot in production.shots],
        [f"graded_shots[{shot.id}]" for shot in production.shots],
        [f"exports/{output.name}" for output in production.outputs],
        ["manifest"],
    ]


def create_execution_graph(production: ResolvedProduction) -> dict[str, list[str]]:
    """Each unit of work and what it waits for (the asset graph, per shot)."""
    groups = analyze_dependencies(production)
    graph: dict[str, list[str]] = {node: [] for group in groups for node in group}
    for node in groups[1]:
        graph[node] = ["production_config"]
    for shot in production.shots:
        graph[f"shot_renders[{shot.id}]"] = [
            "production_config",
            *(f"characters/{name}" for name in shot.subjects),
            f"locations/{shot.location}",
        ]
        graph[f"graded_shots[{shot.id}]"] = [f"shot_renders[{shot.id}]"]
    for node in groups[4]:
        graph[node] = list(groups[3])
    graph["manifest"] = list(groups[4])
    return graph


class _Worker:
    """One shot_batch process and the lines it prints."""

    def __init__(self, slot: int, source: str, batch: list[str], env: dict[str, str], log: Path):
        self.slot = slot
        self.batch = batch
        log.parent.mkdir(parents=True, exist_ok=True)
        # Dagster's and Blender's chatter goes to the worker's log; the console shows the progress display.
        with log.open("a") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "production_assets.engine.shot_batch", WAIT_FLAG, source, *batch],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                env=env,
                text=True,
                start_new_session=True,
            )
        self.finished = False
        self.lines: queue.Queue[str] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def go(self) -> None:
        """Start rendering (the process got ready while it waited)."""
        assert self.process.stdin is not None
        try:
            self.process.stdin.write("go\n")
            self.process.stdin.close()
        except BrokenPipeError:
            pass  # it died while waiting: its batch is reported as stopped

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith('{"event": "batch_end"'):
                self.finished = True  # the process still shuts down; its slot is free now
            else:
                self.lines.put(line)

    def signal(self, number: int) -> None:
        try:
            os.killpg(self.process.pid, number)
        except ProcessLookupError:
            pass

    @property
    def running(self) -> bool:
        return not self.finished and self.process.poll() is None


class ExecutionEngine:
    """Runs one production through its Dagster jobs; see the module docstring."""

    def __init__(
        self, path: str | Path, options: RunOptions | None = None, reporter: Reporter | None = None, read_only: bool = False
    ):
        self.path = Path(path)
        self.options = options or RunOptions()
        self.reporter: Reporter = reporter or PlainReporter()
        loaded = load_validated(self.path)
        if loaded.resolved is None:
            raise ValidationFailedError(f"{path} has {len(loaded.validation.errors)} validation error(s)", loaded.validation)
        self.production = loaded.resolved
        self.source_map = loaded.config.source
        self.warnings = [issue.format() for issue in loaded.validation.warnings]
        self.instance = get_instance(create=not read_only)
        self.jobs = job_names(self.production.slug)
        self.progress = RunProgress()
        self._active_runs: dict[str, dict[str, str | None]] = {}  # run id -> shot -> error ('' ok, None: not yet)
        self._versions: dict[str, str] = {}  # shot id -> the data version this run renders

    # ----- planning -------------------------------------------------------------------------------
    def plan(self) -> ProductionPlan:
        return plan_production(self.instance, self.production, self.options.only)

    def get_progress(self) -> RunProgress:
        self.progress.frames_done = self._frames_done([s.id for s in self.production.shots])
        return self.progress

    def estimate_remaining_time(self) -> float | None:
        """Seconds left in the shots phase at the current rate (None before the first frame)."""
        return self.get_progress().eta_seconds

    def state(self) -> ExecutionState:
        """The production's progress as Dagster's records and the frames on disk say."""
        plan = self.plan()
        runs = self.instance.get_runs(dg.RunsFilter(tags={"production/slug": self.production.slug}), limit=1)
        latest = runs[0] if runs else None
        return ExecutionState(
            production=self.production.title,
            shots=[
                ShotState(
                    shot_id=s.shot_id,
                    status=s.status,  # type: ignore[arg-type]
                    reason=s.reason,
                    frames_done=s.frames_done,
                    frame_count=s.frame_count,
                    data_version=s.data_version,
                    published_version=s.published_version,
                    building_version=s.in_progress_version,
                )
                for s in plan.shots
            ],
            latest_run_id=latest.run_id if latest else None,
            latest_run_status=latest.status.value if latest else None,
        )

    def save_checkpoint(self, path: str | Path) -> Path:
        """Write the ExecutionState snapshot (resume itself needs no file: Dagster has the records)."""
        target = Path(path)
        target.write_text(self.state().model_dump_json(indent=2))
        return target

    @staticmethod
    def load_checkpoint(path: str | Path) -> ExecutionState:
        return ExecutionState.model_validate_json(Path(path).read_text())

    # ----- execution ------------------------------------------------------------------------------
    def execute(self) -> ProductionResult:
        started = time.monotonic()
        result = self._new_result()
        try:
            with production_lock(self.production):
                plan = self.plan()
                self.reporter.message(
                    f"plan: {len(plan.shots_to_run)} of {len(plan.shots)} shots to render ({plan.frames_to_render} frames); "
                    f"deliverables: {plan.deliver_reason or 'up to date'}"
                )
                self._sync_partitions(plan)
                # A character or location that fails to prepare fails the shots that use it, not the
                # others. The shot workers warm up (Dagster, bpy) while it runs.
                self._render_shots(plan.shots_to_run, result, before=lambda: self._run_phase("prepare", result))
                waiting = self._shots_not_current() if self.options.only else []
                if waiting:
                    result.warnings.append(f"deliverables not built: {len(waiting)} shot(s) outside --only are not rendered yet")
                elif not result.shots_failed and not result.errors and (plan.deliver or result.shots_completed):
                    self._run_phase("export", result)
                result.shots_skipped = [shot.shot_id for shot in plan.shots if not shot.needs_work]
        finally:
            self.reporter.close()
        return self._finish(result, started)

    def execute_phase(self, phase: str) -> ProductionResult:
        """Run one phase on its own (shots: every stale or missing shot)."""
        if phase not in EXECUTION_PHASES:
            raise ValueError(f"unknown phase {phase!r}; phases: {', '.join(EXECUTION_PHASES)}")
        started = time.monotonic()
        result = self._new_result()
        with production_lock(self.production):
            if phase in ("shots", "post_process"):
                plan = self.plan()
                self._sync_partitions(plan)
                self._render_shots(plan.shots_to_run, result)
            elif phase != "validate":
                self._run_phase(phase, result)
        return self._finish(result, started)

    def execute_shot(self, shot_id: str) -> ProductionResult:
        """Render and grade one shot (a Dagster run of its partition), stale or not."""
        self.production.shot(shot_id)  # an unknown id is a KeyError here, before anything runs
        started = time.monotonic()
        result = self._new_result()
        with production_lock(self.production):
            plan = self.plan()
            self._sync_partitions(plan)
            planned = plan_production(self.instance, self.production, [shot_id]).shots[0]
            self._render_shots([dataclasses.replace(planned, status="stale", reason="requested")], result)
        return self._finish(result, started)

    def _shots_not_current(self) -> list[str]:
        full = plan_production(self.instance, self.production)
        return [shot.shot_id for shot in full.shots if shot.needs_work]

    def _new_result(self) -> ProductionResult:
        return ProductionResult(
            production=self.production.title, success=False, dagster_home=str(dagster_home()), warnings=list(self.warnings)
        )

    def _finish(self, result: ProductionResult, started: float) -> ProductionResult:
        result.total_time = round(time.monotonic() - started, 3)
        base = Path(self.production.base_dir)
        manifest = self.production.layout.manifest
        if manifest.is_file():
            document = json.loads(manifest.read_text())
            result.manifest_path = str(manifest)
            result.output_paths = [str(base / entry["path"]) for entry in document["outputs"]]
            result.deliverables = {d["name"]: str(base / d["path"]) for d in document.get("deliverables", [])}
            result.warnings += [f"output {e['name']} left out of the manifest: {e['reason']}" for e in document.get("excluded", [])]
        result.success = not result.errors and not result.shots_failed
        return result

    def _tags(self) -> dict[str, str]:
        return {"production/slug": self.production.slug, "production/source": "cli"}

    def _sync_partitions(self, plan: ProductionPlan) -> None:
        name = shot_partitions_name(self.production.slug)
        existing = set(self.instance.get_dynamic_partitions(name))
        missing = [shot.id for shot in self.production.shots if shot.id not in existing]
        if missing:
            self.instance.add_dynamic_partitions(name, missing)
        for shot_id in plan.removed_partitions:
            self.instance.delete_dynamic_partition(name, shot_id)

    def _run_phase(self, phase: str, result: ProductionResult) -> bool:
        self.progress.phase = phase
        self.reporter.message(f"phase: {phase}")
        outcome = execute_job_here(self.instance, self.production.root_file, self.jobs[PHASE_JOBS.get(phase, phase)], tags=self._tags())
        result.run_ids.append(outcome.run_id)
        if not outcome.success:
            result.errors.append(f"{phase} failed (Dagster run {outcome.run_id}): {failure_message(outcome)}")
        return outcome.success

    def _frames_done(self, shot_ids: list[str]) -> int:
        """Finished frames of the versions this run renders (a shot not planned here counts as 0)."""
        layout = self.production.layout
        return sum(
            min(count_frames(layout.frames_dir(s, self._versions[s])), self.production.shot(s).frame_count)
            for s in shot_ids
            if s in self._versions
        )

    def _render_shots(
        self, todo: list[ShotPlan], result: ProductionResult, before: Callable[[], object] | None = None
    ) -> None:
        """Render and grade `todo` on worker slots; `before` runs while the first workers warm up."""
        if not todo:
            if before is not None:
                before()
            return
        self._versions.update({shot.shot_id: shot.data_version for shot in todo})
        shot_ids = [shot.shot_id for shot in todo]
        frames = {shot.shot_id: shot.frame_count for shot in todo}
        batches = shot_batches(shot_ids, frames, self.options.parallel)
        slots = min(self.options.parallel.max_workers, len(batches))
        threads = max(1, (os.cpu_count() or 1) // slots)
        env = {
            **os.environ,
            "PRODUCTION_RENDER_THREADS": str(threads),
            "PRODUCTION_RENDER_SERVER": "1",
            "DAGSTER_HOME": str(dagster_home()),
        }
        pending = list(batches)

        def launch(slot: int) -> _Worker:
            log = self.production.layout.worker_log(slot)
            slot_env = {**env, CPUS_ENV: ",".join(map(str, worker_cpus(slot, slots)))} if slots > 1 else env
            return _Worker(slot, self.production.root_file, pending.pop(0), slot_env, log)

        workers = [launch(slot) for slot in range(slots)]
        try:
            if before is not None:
                before()
            self.progress = RunProgress(
                phase="shots",
                frames_total=sum(frames.values()),
                shots_total=len(shot_ids),
                workers=[WorkerState(slot) for slot in range(slots)],
            )
            self.progress.frames_at_start = self._frames_done(shot_ids)
            on = f"{slots} worker{'s' if slots != 1 else ''}"
            self.reporter.message(f"phase: shots ({len(shot_ids)} shots on {on}, {threads} threads each)")
            for worker in workers:
                worker.go()
            while pending or any(worker.running or not worker.lines.empty() for worker in workers):
                workers = [w for w in workers if w.running or not w.lines.empty()]
                busy = {w.slot for w in workers}
                for slot in range(slots):
                    if pending and slot not in busy:
                        workers.append(launch(slot))
                        workers[-1].go()
                for worker in workers:
                    while not worker.lines.empty():
                        self._record(worker, worker.lines.get(), result)
                self.progress.frames_done = self._frames_done(shot_ids)
                for state in self.progress.workers:
                    if state.shot:
                        state.frame = self._frames_done([state.shot])
                self.reporter.update(self.progress)
                time.sleep(0.25)
        except BaseException:
            self._stop(workers)
            raise
        for run_id in list(self._active_runs):  # a worker that died mid-run said nothing more
            for shot_id, outcome in self._active_runs.pop(run_id).items():
                self._shot_done(shot_id, outcome if outcome is not None else "the render worker stopped", result)
        result.frames_rendered += self._frames_done(shot_ids) - self.progress.frames_at_start

    def _record(self, worker: _Worker, line: str, result: ProductionResult) -> None:
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            return
        state = self.progress.workers[worker.slot]
        kind = event.get("event")
        if kind == "run":
            self._active_runs[event["run_id"]] = dict.fromkeys(event["shots"])
            result.run_ids.append(event["run_id"])
        elif kind == "start":
            state.shot, state.frames = event["shot"], self.production.shot(event["shot"]).frame_count
        elif kind == "end":
            outcomes = self._active_runs.setdefault(event["run_id"], {})
            if outcomes.get(event["shot"]) is None:
                self.progress.shots_done += 1
            outcomes[event["shot"]] = "" if event["success"] else event["error"] or "failed"
            state.shot = ""
            message = "done" if event["success"] else f"FAILED: {event['error'].splitlines()[0] if event['error'] else ''}"
            self.reporter.message(f"shot {event['shot']}: {message}")
        elif kind == "run_end":
            # The last outcome of each shot counts (a retry may redo a failed one); shots the run
            # never reached (it failed before them) fail with the run's error.
            for shot_id, outcome in self._active_runs.pop(event["run_id"], {}).items():
                self._shot_done(shot_id, outcome if outcome is not None else event["error"] or "run failed", result)

    def _shot_done(self, shot_id: str, error: str, result: ProductionResult) -> None:
        shot = self.production.shot(shot_id)
        if not error:
            result.shots_completed.append(shot.id)
            return
        where = ""
        if shot.source_index >= 0 and self.source_map is not None:
            location = self.source_map.locate(("production", "shots", shot.source_index))
            where = str(location) if location else ""
        version = self._versions.get(shot.id)
        tail = read_log_tail(str(self.production.layout.render_log(shot.id, version)), lines=8) if version else ""
        result.shots_failed.append(ShotFailure(shot_id=shot.id, message=error, location=where, log_tail=tail))

    def _stop(self, workers: list[_Worker]) -> None:
        """Ctrl-C: interrupt every worker's process group, then kill it; mark its runs cancelled."""
        self.reporter.message("stopping: interrupting the render workers (finished frames are kept)")
        for worker in workers:
            worker.signal(signal.SIGINT)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for worker in workers:
            try:
                worker.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                worker.signal(signal.SIGKILL)
                worker.process.wait()
        for run_id in self._active_runs:
            run = self.instance.get_run_by_id(run_id)
            if run is not None and not run.is_finished:
                self.instance.report_run_canceled(run, message="stopped by Ctrl-C in `production run`")


def execute_production(path: str | Path, options: RunOptions | None = None) -> ProductionResult:
    """Run a whole production (see :class:`ExecutionEngine`)."""
    return ExecutionEngine(Path(path), options).execute()
