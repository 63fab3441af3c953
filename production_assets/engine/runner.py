"""`production run`: validate, plan, then drive the production's Dagster jobs.

Phases as the user sees them: validate, prepare, characters, locations, shots,
post_process, export, finalize. Validate runs here; prepare, characters and
locations are one Dagster run (characters and locations share its departments
step); shots are split into neighbouring groups, one per worker slot
(:class:`~production_assets.engine.parallel.ParallelExecutor`), and each group
is one Dagster run over its range of shot partitions (render, then grade, each
shot recorded on its own); export + finalize is one run. Every phase is
reported on its own, with its state and seconds read back from Dagster's records.

Dagster's records are the source of truth, so every run resumes where the last
one stopped (finished frames and up-to-date shots are never redone) and a run
started here shows in the UI. Each run also leaves a checkpoint in the build
folder: the plan it started from (which shots, at which data versions) and how
it ended. ``resume`` continues exactly that plan (the same ``--only`` shots) and
refuses to start when the production changed since, so it never redoes work
under inputs other than the ones the run was started with.
"""

from __future__ import annotations

import dataclasses
import fcntl
import functools
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import dagster as dg

from production_assets.engine.batch_process import BatchMessage, BatchProcess
from production_assets.engine.checkpoint import (
    execution_state,
    read_checkpoint,
    require_resumable,
    write_checkpoint,
)
from production_assets.engine.dependencies import analyze_dependencies, asset_groups, create_execution_graph
from production_assets.engine.estimate import estimate_production
from production_assets.engine.instance import dagster_home, get_instance
from production_assets.engine.parallel import ParallelConfig, ParallelExecutor, default_parallel
from production_assets.engine.phases import (
    INPUTS_TAG,
    PHASE_JOBS,
    PHASES_TAG,
    job_phase_reports,
    job_phases,
    shot_phase_reports,
)
from production_assets.engine.progress import PlainReporter, Reporter, RunProgress, WorkerState
from production_assets.engine.shot_batch import failure_message
from production_assets.errors import ConfigError, ProductionLockedError, ValidationFailedError
from production_assets.export.manifest_schema import Manifest
from production_assets.loading.production_file import FOLDER_SECTIONS
from production_assets.model.production import ProductionConfig
from production_assets.model.resolved import ResolvedProduction
from production_assets.model.results import (
    EXECUTION_PHASES,
    ExecutionState,
    ProductionResult,
    RunOutcome,
    ShotFailure,
)
from production_assets.orchestration.assets import departments_current
from production_assets.orchestration.definitions_factory import job_names
from production_assets.orchestration.local_runs import execute_job_here
from production_assets.orchestration.run_tags import shot_partitions_name
from production_assets.orchestration.shot_progress import ShotEnded, ShotStarted
from production_assets.orchestration.staleness import plan_production
from production_assets.planning.production_loader import LoadedProduction, load_validated
from production_assets.planning.staleness import ProductionPlan, ShotPlan
from production_assets.render.shot_log import read_log_tail
from production_assets.storage.frames import FrameCounts, count_frames

__all__ = [
    "EXECUTION_PHASES",
    "ExecutionEngine",
    "ParallelConfig",
    "ParallelExecutor",
    "RunOptions",
    "analyze_dependencies",
    "asset_groups",
    "create_execution_graph",
    "default_parallel",
    "execute_production",
    "production_lock",
]


@dataclasses.dataclass
class RunOptions:
    """``only``: these shot ids (and the deliverables once every shot is current); ``resume``: continue the
    last run's plan (its ``only`` included), refusing when the production changed since; ``include_locked``:
    render approved and final shots whose inputs changed too (they are held by default)."""

    parallel: ParallelConfig = dataclasses.field(default_factory=ParallelConfig)
    only: list[str] | None = None
    resume: bool = False
    include_locked: bool = False


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


def production_path(production: ProductionConfig | str | Path) -> Path:
    """The file or folder a production is run from; a config must have been loaded from one."""
    if not isinstance(production, ProductionConfig):
        return Path(production)
    source = production.source
    if source is None:
        raise ConfigError(
            f"production {production.title!r} was built in Python, not loaded from a file: Dagster's runs read "
            "the production file",
            suggestion="write it as YAML and load it with load_production(path), or pass the path",
        )
    root = source.root_file
    from_folder = any(part.parent == root.parent / section for part in source.files for section in FOLDER_SECTIONS)
    return root.parent if from_folder else root


class ExecutionEngine:
    """Runs one production through its Dagster jobs; see the module docstring.

    ``production``: a ProductionConfig loaded from a file (``load_production``) or the file or folder itself.
    ``warm_worker``: a batch process started before Dagster was even imported
    (:func:`~production_assets.engine.batch_process.warm_batch`, as `production run` does), the first
    worker slot when the run renders on one; released otherwise.
    """

    def __init__(
        self,
        production: ProductionConfig | str | Path,
        options: RunOptions | None = None,
        reporter: Reporter | None = None,
        read_only: bool = False,
        warm_worker: BatchProcess | None = None,
    ):
        self.path = production_path(production)
        self._warm_worker = warm_worker
        self.options = options or RunOptions()
        self.reporter: Reporter = reporter or PlainReporter()
        self.read_only = read_only
        self._load()
        if isinstance(production, ProductionConfig) and production.model_dump() != self.config.model_dump():
            raise ConfigError(
                f"this ProductionConfig differs from {self.path} (changed in Python, or the file changed since it "
                "was loaded); Dagster's runs read the file",
                suggestion="save the change to the file, or load it again",
            )
        self.instance = get_instance(create=not read_only)
        self.progress = RunProgress()
        self.checkpoint: ExecutionState | None = None
        self._planned = False
        self._versions: dict[str, str] = {}  # shot id -> the data version this run renders
        self._frame_counts: FrameCounts | None = None  # how the last plan counted frames

    def _load(self) -> float:
        """Load, validate and resolve the production file; returns the seconds it took."""
        began = time.monotonic()
        loaded = load_validated(self.path, store=not self.read_only)
        self.production = loaded.require_resolved()
        self.loaded: LoadedProduction = loaded
        self.warnings = [issue.format() for issue in loaded.validation.warnings]
        self.jobs = job_names(self.production.slug)
        return time.monotonic() - began

    @property
    def config(self) -> ProductionConfig:
        """The production file as typed data (parsed on first use: a run needs only the resolved production)."""
        return self.loaded.config

    # ----- planning and progress -------------------------------------------------------------------
    def plan(self) -> ProductionPlan:
        layout = self.production.layout
        self._frame_counts = FrameCounts(layout.build_dir, layout.frame_counts)
        return plan_production(
            self.instance,
            self.production,
            self.options.only,
            include_locked=self.options.include_locked,
            known_versions=self.loaded.versions,
            frames=self._frame_counts,
        )

    def get_progress(self) -> dict[str, Any]:
        """phase, phases (state, seconds, step, note), frames_done/frames_total, shots_done/shots_total,
        frames_per_second, eta_seconds and workers; before a run: the plan and its estimate."""
        if not self._planned:
            self._prepare_progress(self.plan())
        return self.progress.as_dict()

    def estimate_remaining_time(self) -> float:
        """Seconds until the run is done: never negative, 0 when done, the estimate before the first frame."""
        if not self._planned:
            self._prepare_progress(self.plan())
        return self.progress.remaining_seconds

    def _prepare_progress(self, plan: ProductionPlan) -> None:
        todo = plan.shots_to_run
        self._versions.update({shot.shot_id: shot.data_version for shot in todo})
        self.progress.frames_total = sum(shot.frame_count for shot in todo)
        self.progress.frames_at_start = self.progress.frames_done = sum(shot.frames_done for shot in todo)
        self.progress.shots_total = len(todo)
        workers = self.options.parallel.max_workers
        self.progress.estimates = estimate_production(self.production, plan, workers, calibrate=False).phases
        self._planned = True

    def state(self) -> ExecutionState:
        """The production's progress as Dagster's records and the frames on disk say."""
        return execution_state(self.instance, self.production, self.plan(), self.options.only)

    # ----- checkpoints -----------------------------------------------------------------------------
    def save_checkpoint(self, path: str | Path, state: ExecutionState | None = None) -> Path:
        """Write a checkpoint: ``state``, else this engine's last run (the plan it started from and how it
        ended), else the production's state now. ``self.checkpoint`` is what was written."""
        self.checkpoint = state or self.checkpoint or self.state()
        return write_checkpoint(path, self.checkpoint)

    @staticmethod
    def load_checkpoint(path: str | Path) -> ExecutionState:
        return read_checkpoint(path)

    def last_checkpoint(self) -> ExecutionState | None:
        """The checkpoint the last `production run` of this production left, if any."""
        path = self.production.layout.run_checkpoint
        return self.load_checkpoint(path) if path.is_file() else None

    def resume_plan(self) -> ProductionPlan:
        """The last run's plan again (its shot selection), when its shots are at the versions it started with."""
        checkpoint = self.last_checkpoint()
        if checkpoint is not None:
            self.options = dataclasses.replace(self.options, only=checkpoint.selection)
        plan = self.plan()
        checkpoint = require_resumable(checkpoint, plan, self.production.title)
        shots = ", ".join(checkpoint.selection) if checkpoint.selection else "all shots"
        self.reporter.message(f"resuming the run started {checkpoint.saved_at} ({checkpoint.run_outcome}): {shots}")
        return plan

    # ----- execution -------------------------------------------------------------------------------
    def execute(self) -> ProductionResult:
        """Validate, prepare, render and grade what is missing or stale, then deliver."""
        if self.options.resume and self.options.only:
            raise ValueError("resume continues the last run's shot selection; leave `only` unset")
        return self._run(self._execute_all)

    def execute_phase(self, phase: str) -> ProductionResult:
        """Run one phase on its own (and what its Dagster step also does; shots: every stale or missing shot)."""
        if phase not in EXECUTION_PHASES:
            raise ValueError(f"unknown phase {phase!r}; phases: {', '.join(EXECUTION_PHASES)}")

        def one_phase(plan: ProductionPlan, result: ProductionResult) -> None:
            job = PHASE_JOBS.get(phase)  # type: ignore[call-overload]
            if job == "shots":
                self._render_shots(plan.shots_to_run, result)
            elif job is not None:
                self._run_job(job, result)
            for other in EXECUTION_PHASES:
                self.progress.skip(other, f"not part of execute_phase({phase!r})")

        return self._run(one_phase, checkpoint=False)

    def execute_shot(self, shot_id: str) -> ProductionResult:
        """Render and grade one shot (a Dagster run of its partition), stale or not."""
        self.production.shot(shot_id)  # an unknown id is a KeyError here, before anything runs

        def one_shot(plan: ProductionPlan, result: ProductionResult) -> None:
            planned = plan_production(self.instance, self.production, [shot_id]).shots[0]
            self._render_shots([dataclasses.replace(planned, status="stale", reason="requested")], result)
            for other in EXECUTION_PHASES:
                self.progress.skip(other, "not part of execute_shot")

        return self._run(one_shot, checkpoint=False)

    def _run(
        self, work: Callable[[ProductionPlan, ProductionResult], None], checkpoint: bool = True
    ) -> ProductionResult:
        """Validate, take the lock, plan, do ``work``; a whole run (``checkpoint``) records its plan and how it
        ended for ``resume``."""
        began = time.monotonic()
        self.progress = RunProgress()
        self.progress.begin("validate")
        validated = self.loaded
        try:
            seconds = self._load()
        except ValidationFailedError:
            self.progress.settle("validate", self.progress.phases["validate"].model_copy(update={"state": "failed"}))
            raise
        result = self._new_result()
        self._settle_validate(seconds, unchanged=self.loaded is validated)
        try:
            with production_lock(self.production):
                plan = self.resume_plan() if self.options.resume else self.plan()
                self._prepare_progress(plan)
                self.reporter.update(self.progress)
                with self._checkpointed(plan, result) if checkpoint else nullcontext():
                    self._sync_partitions(plan)
                    work(plan, result)
                    result.skipped_shot_ids = [shot.shot_id for shot in plan.shots if not shot.needs_work]
                    self._finish(result, began)
        finally:
            self.reporter.close()
            if self._frame_counts is not None and not self.read_only:
                self._frame_counts.save()  # the next plan lists only the frame folders that changed since this one
            if self._warm_worker is not None:  # the run ended before rendering
                self._warm_worker.release()
                self._warm_worker = None
        return result

    @contextmanager
    def _checkpointed(self, plan: ProductionPlan, result: ProductionResult) -> Iterator[None]:
        """Leave the run's checkpoint: the plan it starts from now, how it ended when it does."""
        path = self.production.layout.run_checkpoint
        started = execution_state(self.instance, self.production, plan, self.options.only, "running")
        self.save_checkpoint(path, started)
        outcome: RunOutcome = "failed"
        try:
            yield
            outcome = "succeeded" if result.success else "failed"
        except KeyboardInterrupt:
            outcome = "interrupted"
            raise
        finally:
            self.save_checkpoint(path, started.model_copy(update={"run_outcome": outcome, "run_ids": result.run_ids}))

    def _settle_validate(self, seconds: float, unchanged: bool) -> None:
        report = self.progress.phases["validate"]
        note = f"valid, {len(self.warnings)} warning(s)"
        if unchanged:
            note += "; the files are unchanged since they were validated"
        update = {"state": "done", "seconds": round(seconds, 3), "note": note}
        self.progress.settle("validate", report.model_copy(update=update))

    def _execute_all(self, plan: ProductionPlan, result: ProductionResult) -> None:
        self.reporter.message(
            f"plan: {len(plan.shots_to_run)} of {len(plan.shots)} shots to render ({plan.frames_to_render} frames); "
            f"deliverables: {plan.deliver_reason or 'up to date'}"
        )
        # The shot workers warm up (Dagster, bpy) while the prepare run builds characters and locations; one
        # that fails to prepare fails the shots that use it, not the others. When every one of them is current
        # the prepare run only records them and the production, so the shots start without waiting for it.
        prepare = functools.partial(self._prepare, plan, result)
        if plan.shots_to_run and departments_current(self.production):
            self._render_shots(plan.shots_to_run, result, alongside=prepare)
        else:
            self._render_shots(plan.shots_to_run, result, before=prepare)
        waiting = self._shots_not_current() if self.options.only else []
        if waiting:
            note = f"{len(waiting)} shot(s) outside --only are not rendered yet"
            result.warnings.append(f"deliverables not built: {note}")
        elif result.failed_shots or result.errors:
            note = "not reached: earlier work failed"
        elif plan.deliver or result.completed_shot_ids:
            self._run_job("deliver", result)
            return
        else:
            note = "up to date"
        for phase in job_phases("deliver"):
            self.progress.skip(phase, note)

    def _prepare(self, plan: ProductionPlan, result: ProductionResult) -> None:
        """Run the prepare job, unless there is nothing to do and a run already prepared these very files
        (a no-op run then asks Dagster one question instead of running a job over every shot)."""
        if not plan.shots_to_run and not plan.deliver:
            done = self.instance.get_runs(
                dg.RunsFilter(
                    job_name=self.jobs["prepare"],
                    statuses=[dg.DagsterRunStatus.SUCCESS],
                    tags={INPUTS_TAG: self.loaded.inputs},
                ),
                limit=1,
            )
            if done:
                for phase in job_phases("prepare"):
                    self.progress.skip(phase, f"up to date (prepared by run {done[0].run_id[:8]})")
                return
        self._run_job("prepare", result)

    def _shots_not_current(self) -> list[str]:
        full = plan_production(self.instance, self.production)
        return [shot.shot_id for shot in full.shots if shot.needs_work]

    def _new_result(self) -> ProductionResult:
        return ProductionResult(
            production=self.production.title,
            success=False,
            dagster_home=str(dagster_home()),
            warnings=list(self.warnings),
        )

    def _finish(self, result: ProductionResult, began: float) -> None:
        result.total_time = round(time.monotonic() - began, 3)
        base = Path(self.production.base_dir)
        manifest = self.production.layout.manifest
        if manifest.is_file():
            document = Manifest.model_validate_json(manifest.read_bytes())
            result.manifest_path = str(manifest)
            result.output_paths = [str(base / entry.path) for entry in document.outputs]
            result.deliverables = {d.name: str(base / d.path) for d in document.deliverables}
            result.warnings += [f"output {e.name} left out of the manifest: {e.reason}" for e in document.excluded]
        for phase in EXECUTION_PHASES:
            self.progress.skip(phase, "not reached")
        result.phases = dict(self.progress.phases)
        result.success = not result.errors and not result.failed_shots
        self.reporter.update(self.progress)

    def _tags(self, job: str) -> dict[str, str]:
        phases = ",".join(job_phases(job))
        tags = {"production/slug": self.production.slug, "production/source": "cli", PHASES_TAG: phases}
        return {**tags, INPUTS_TAG: self.loaded.inputs} if self.loaded.inputs else tags

    def _sync_partitions(self, plan: ProductionPlan) -> None:
        name = shot_partitions_name(self.production.slug)
        existing = set(self.instance.get_dynamic_partitions(name))
        missing = [shot.id for shot in self.production.shots if shot.id not in existing]
        if missing:
            self.instance.add_dynamic_partitions(name, missing)
        for shot_id in plan.removed_partitions:
            self.instance.delete_dynamic_partition(name, shot_id)

    def _run_job(self, job: str, result: ProductionResult) -> bool:
        """Run the prepare or deliver job; settle its phases from what Dagster recorded."""
        phases = job_phases(job)
        self.progress.begin(*phases)
        self.reporter.message(f"phase: {' + '.join(phases)} (one Dagster run)")
        self.reporter.update(self.progress)
        outcome = execute_job_here(self.instance, self.production.root_file, self.jobs[job], tags=self._tags(job))
        result.run_ids.append(outcome.run_id)
        if not outcome.success:
            why = failure_message(outcome)
            result.errors.append(f"{' + '.join(phases)} failed (Dagster run {outcome.run_id}): {why}")
        self.progress.phases.update(job_phase_reports(self.instance, self.production, job, outcome))
        self.reporter.update(self.progress)
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
        self,
        todo: list[ShotPlan],
        result: ProductionResult,
        before: Callable[[], object] | None = None,
        alongside: Callable[[], object] | None = None,
    ) -> None:
        """Render and grade `todo` on worker slots; `before` runs while the first workers warm up, `alongside`
        once they have their shots."""
        warm, self._warm_worker = self._warm_worker, None
        executor = ParallelExecutor(self.options.parallel, self.instance, warm)
        if not todo:
            executor.execute(self.production, [], before=before, alongside=alongside)
            for phase in ("shots", "post_process"):
                self.progress.skip(phase, "up to date")  # type: ignore[arg-type]
            return
        self._versions.update({shot.shot_id: shot.data_version for shot in todo})
        shot_ids = [shot.shot_id for shot in todo]
        work = executor.plan(shot_ids, {shot.shot_id: shot.frame_count for shot in todo})
        self.progress.frames_total = sum(shot.frame_count for shot in todo)
        self.progress.frames_at_start = self.progress.frames_done = self._frames_done(shot_ids)
        self.progress.shots_total = len(todo)
        began = time.time()

        def start_shots() -> None:
            if before is not None:
                before()
            self.progress.workers = [WorkerState(slot) for slot in range(work.slots)]
            self.progress.begin("shots")
            on = f"{work.slots} worker{'s' if work.slots != 1 else ''}"
            threads = f"{work.threads} threads each"
            self.reporter.message(f"phase: shots + post_process ({len(shot_ids)} shots on {on}, {threads})")

        def on_event(slot: int, message: BatchMessage) -> None:
            if isinstance(message, ShotStarted):
                self.progress.shot_started(slot, message.shot, self.production.shot(message.shot).frame_count)
            elif isinstance(message, ShotEnded):
                self.progress.shot_ended(slot, message.shot)
                outcome = "done" if message.success else f"FAILED: {message.error.splitlines()[0]}"
                self.reporter.message(f"shot {message.shot}: {outcome}")

        def on_tick() -> None:
            self.progress.frames_seen(self._frames_done(shot_ids), lambda shot: self._frames_done([shot]))
            self.reporter.update(self.progress)

        outcomes = executor.execute(
            self.production, shot_ids, on_event, on_tick, start_shots, self.reporter.message, alongside
        )
        result.run_ids.extend(executor.run_ids)
        for shot_id in shot_ids:
            self._shot_done(shot_id, outcomes.get(shot_id, "not run"), result)
        result.frames_rendered += self._frames_done(shot_ids) - self.progress.frames_at_start
        failed = {failure.shot_id for failure in result.failed_shots}
        self.progress.phases.update(shot_phase_reports(self.instance, self.production, executor, failed, began))

    def _shot_done(self, shot_id: str, error: str, result: ProductionResult) -> None:
        shot = self.production.shot(shot_id)
        if not error:
            result.completed_shot_ids.append(shot.id)
            return
        where = shot.source
        version = self._versions.get(shot.id)
        tail = read_log_tail(str(self.production.layout.render_log(shot.id, version)), lines=8) if version else ""
        result.failed_shots.append(ShotFailure(shot_id=shot.id, message=error, location=where, log_tail=tail))


def execute_production(
    production: ProductionConfig | str | Path, options: RunOptions | None = None
) -> ProductionResult:
    """Run a whole production (see :class:`ExecutionEngine`)."""
    return ExecutionEngine(production, options).execute()
