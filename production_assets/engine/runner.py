"""`production run`: validate, plan, then drive the production's Dagster jobs.

Phases as the user sees them: validate, prepare, characters, locations, shots,
post_process, export, finalize. Prepare (+ characters, locations) is one Dagster
run; every shot is its own partitioned run (render + grade), executed by N
worker slots in parallel; export + finalize is one run. Dagster's records are
the source of truth, so the next run resumes where this one stopped.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from production_assets.engine.instance import dagster_home, get_instance
from production_assets.engine.plan import ProductionPlan, plan_production
from production_assets.errors import ProductionLockedError, ValidationFailedError
from production_assets.export.frames import list_frames
from production_assets.model.resolved import ResolvedProduction
from production_assets.model.results import ProductionResult, ShotFailure
from production_assets.orchestration.definitions_factory import QUIET_RUN_CONFIG, build_definitions, job_names
from production_assets.orchestration.production_loader import load_validated

EXECUTION_PHASES = ("validate", "prepare", "characters", "locations", "shots", "post_process", "export", "finalize")
Reporter = Callable[[str], None]


def default_parallel() -> int:
    """Two render workers on a 2-core machine share its cores; more cores, more workers (at most 4)."""
    return max(1, min(4, (os.cpu_count() or 1) // 2 or 1))


@dataclass
class RunOptions:
    parallel: int = field(default_factory=default_parallel)
    only: list[str] | None = None
    dry_run: bool = False


@contextmanager
def production_lock(production: ResolvedProduction) -> Iterator[None]:
    """One `production run` per production at a time."""
    production.build_dir.mkdir(parents=True, exist_ok=True)
    lock_path = production.build_dir / ".run.lock"
    with lock_path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ProductionLockedError(
                f"another `production run` is working on {production.title!r}",
                suggestion="wait for it to finish, or follow it with `production status`",
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield


def _batches(shot_ids: list[str], frames: dict[str, int], workers: int) -> list[list[str]]:
    """Spread shots over workers, longest first, to balance frames."""
    batches: list[list[str]] = [[] for _ in range(max(1, min(workers, len(shot_ids))))]
    loads = [0] * len(batches)
    for shot_id in sorted(shot_ids, key=lambda s: -frames[s]):
        slot = loads.index(min(loads))
        batches[slot].append(shot_id)
        loads[slot] += frames[shot_id]
    for batch in batches:
        batch.sort(key=shot_ids.index)
    return [batch for batch in batches if batch]


def _frames_done(production: ResolvedProduction, shot_ids: list[str]) -> int:
    return sum(len(list_frames(production.shot_dir(s) / "frames")) for s in shot_ids)


class ExecutionEngine:
    """Runs one production through its Dagster jobs."""

    def __init__(self, path: Path, options: RunOptions | None = None, report: Reporter | None = None):
        self.path = path
        self.options = options or RunOptions()
        self.report = report or (lambda line: print(line, file=sys.stderr, flush=True))
        loaded = load_validated(path)
        if loaded.resolved is None:
            raise ValidationFailedError(f"{path} has {len(loaded.validation.errors)} validation error(s)", loaded.validation)
        self.production = loaded.resolved
        self.warnings = [issue.format() for issue in loaded.validation.warnings]
        self.instance = get_instance()
        self.defs = build_definitions([loaded.config.source.root_file if loaded.config.source else path])
        self.jobs = job_names(self.production.slug)

    def plan(self) -> ProductionPlan:
        return plan_production(self.instance, self.production, self.options.only)

    def execute(self) -> ProductionResult:
        started = time.monotonic()
        production = self.production
        result = ProductionResult(production=production.title, success=False, dagster_home=str(dagster_home()))
        result.warnings = self.warnings
        with production_lock(production):
            plan = self.plan()
            self.report(
                f"plan: {len(plan.shots_to_run)} of {len(plan.shots)} shots to render "
                f"({plan.frames_to_render} frames), deliverables: {'yes' if plan.deliver else 'up to date'}"
            )
            self._sync_partitions(plan)
            if not self._run_job("prepare", result):
                return self._finish(result, started)
            self._render_shots(plan, result)
            if not result.shots_failed and (plan.deliver or result.shots_completed):
                self._run_job("deliver", result)
            result.shots_skipped = [shot.shot_id for shot in plan.shots if not shot.needs_work]
        return self._finish(result, started)

    def _finish(self, result: ProductionResult, started: float) -> ProductionResult:
        result.total_time = round(time.monotonic() - started, 3)
        manifest = Path(self.production.base_dir) / "manifest.json"
        if manifest.is_file():
            result.manifest_path = str(manifest)
            entries = json.loads(manifest.read_text())["outputs"]
            result.output_paths = [str(Path(self.production.base_dir) / entry["path"]) for entry in entries]
            for output in self.production.outputs:
                if any(entry["output"] == output.name for entry in entries):
                    films = [e["path"] for e in entries if e["output"] == output.name and "codec" in e]
                    result.deliverables[output.name] = str(Path(self.production.base_dir) / films[0]) if films else output.path
        result.success = not result.errors and not result.shots_failed
        return result

    def _sync_partitions(self, plan: ProductionPlan) -> None:
        name = f"{self.production.slug}_shots"
        existing = set(self.instance.get_dynamic_partitions(name))
        missing = [shot.id for shot in self.production.shots if shot.id not in existing]
        if missing:
            self.instance.add_dynamic_partitions(name, missing)
        for shot_id in plan.removed_partitions:
            self.instance.delete_dynamic_partition(name, shot_id)

    def _run_job(self, phase: str, result: ProductionResult) -> bool:
        self.report(f"phase: {phase}")
        outcome = self.defs.resolve_job_def(self.jobs[phase]).execute_in_process(
            run_config=QUIET_RUN_CONFIG, instance=self.instance, raise_on_error=False
        )
        result.run_ids.append(outcome.run_id)
        if not outcome.success:
            failures = [
                event.step_failure_data.error.message.strip()
                for event in outcome.all_events
                if event.event_type_value == "STEP_FAILURE" and event.step_failure_data and event.step_failure_data.error
            ]
            result.errors.append(f"{phase} failed (run {outcome.run_id}): " + ("; ".join(failures) or "see the run in Dagster"))
        return outcome.success

    def _render_shots(self, plan: ProductionPlan, result: ProductionResult) -> None:
        todo = plan.shots_to_run
        if not todo:
            return
        for shot in todo:
            if shot.status == "stale":
                shutil.rmtree(self.production.shot_dir(shot.shot_id) / "frames", ignore_errors=True)
        shot_ids = [shot.shot_id for shot in todo]
        frames = {shot.shot_id: shot.frame_count for shot in todo}
        batches = _batches(shot_ids, frames, self.options.parallel)
        threads = max(1, (os.cpu_count() or 1) // len(batches))
        self.report(f"phase: shots ({len(shot_ids)} shots on {len(batches)} workers, {threads} threads each)")
        env = {**os.environ, "PRODUCTION_RENDER_THREADS": str(threads)}
        source = str(self.production.root_file)
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "production_assets.engine.shot_batch", source, *batch],
                stdout=subprocess.PIPE,
                env=env,
                text=True,
            )
            for batch in batches
        ]
        total = sum(frames.values())
        start_done = _frames_done(self.production, shot_ids)
        started = time.monotonic()
        try:
            self._watch(workers, shot_ids, total, start_done, started)
        except KeyboardInterrupt:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait()
            raise
        for worker in workers:
            assert worker.stdout is not None
            for line in worker.stdout.read().splitlines():
                self._record(line, result)
        result.frames_rendered = _frames_done(self.production, shot_ids) - start_done

    def _watch(self, workers: list[subprocess.Popen[str]], shot_ids: list[str], total: int, start_done: int, started: float) -> None:
        last = ""
        while any(worker.poll() is None for worker in workers):
            time.sleep(0.5)
            done = _frames_done(self.production, shot_ids)
            rendered = done - start_done
            elapsed = time.monotonic() - started
            rate = rendered / elapsed if elapsed > 0 else 0.0
            eta = (total - done) / rate if rate > 0 else float("nan")
            line = f"shots: {done}/{total} frames, {rate:.2f} frames/s, ETA {eta:.0f} s"
            if line != last and (rendered or not last):
                self.report(line)
                last = line

    def _record(self, line: str, result: ProductionResult) -> None:
        try:
            outcome = json.loads(line)
        except json.JSONDecodeError:
            return
        result.run_ids.append(outcome["run_id"])
        if outcome["success"]:
            result.shots_completed.append(outcome["shot"])
            self.report(f"shot {outcome['shot']}: done")
            return
        shot = self.production.shot(outcome["shot"])
        where = ""
        if shot.source_index >= 0 and (loaded := load_validated(self.path)).config.source:
            location = loaded.config.source.locate(("production", "shots", shot.source_index))
            where = str(location) if location else ""
        result.shots_failed.append(ShotFailure(shot_id=shot.id, message=outcome["error"], location=where))
        self.report(f"shot {shot.id}: FAILED: {outcome['error']}")


def execute_production(path: str | Path, options: RunOptions | None = None) -> ProductionResult:
    """Run a whole production (see :class:`ExecutionEngine`)."""
    return ExecutionEngine(Path(path), options).execute()
