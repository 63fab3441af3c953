"""The eight phases a run reports, which Dagster step does each, and their seconds from Dagster's records.

Dagster does the work in three jobs: ``prepare`` (the production_config step, then one departments
step that prepares characters and locations side by side), ``shots`` (one step that renders a shot,
then grades it, shot after shot) and ``deliver`` (the exports step, then the manifest step). So two
phases can share one step; each is still reported on its own. A phase's seconds are the wall-clock
time during which its work was going on, read back from what Dagster recorded: when a run started
and when each asset (or shot partition) was recorded, and when a shot's render began.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

import dagster as dg

from production_assets.engine.parallel import ParallelExecutor
from production_assets.model.resolved import ResolvedProduction
from production_assets.model.results import EXECUTION_PHASES, PhaseName, PhaseReport, PhaseStatus

PHASE_STEPS: dict[PhaseName, str] = {
    "validate": "production run itself (the production_config asset's checks repeat it in Dagster)",
    "prepare": "prepare run, production_config step",
    "characters": "prepare run, departments step (side by side with locations)",
    "locations": "prepare run, departments step (side by side with characters)",
    "shots": "shots runs, shots step: renders a shot, then post_process grades it",
    "post_process": "shots runs, shots step: grades each shot once it is rendered",
    "export": "deliver run, exports step",
    "finalize": "deliver run, manifest step (manifest.json, report.html)",
}
# The asset (second part of its key, after the production's slug) whose records tell each phase's progress.
ASSET_PHASES: dict[str, PhaseName] = {
    "production_config": "prepare",
    "characters": "characters",
    "locations": "locations",
    "shot_renders": "shots",
    "graded_shots": "post_process",
    "exports": "export",
    "manifest": "finalize",
}
# The Dagster job each phase runs in, and the order of the stages within a prepare or deliver run.
PHASE_JOBS: dict[PhaseName, str] = {
    "prepare": "prepare",
    "characters": "prepare",
    "locations": "prepare",
    "shots": "shots",
    "post_process": "shots",
    "export": "deliver",
    "finalize": "deliver",
}
JOB_STAGES: dict[str, tuple[tuple[PhaseName, ...], ...]] = {
    "prepare": (("prepare",), ("characters", "locations")),
    "deliver": (("export",), ("finalize",)),
}
# What a prepare or deliver phase records, as its notes count them.
RECORDED: dict[PhaseName, str] = {
    "prepare": "production config(s)",
    "characters": "character(s)",
    "locations": "location(s)",
    "export": "output(s)",
    "finalize": "manifest(s)",
}
# Tag the engine puts on the runs it starts: the phases that run does.
PHASES_TAG = "production/phases"
INPUTS_TAG = "production/inputs"  # what a run's production was loaded from (LoadedProduction.inputs)

Interval = tuple[float, float]


def pending_phases() -> dict[PhaseName, PhaseReport]:
    return {phase: PhaseReport(step=PHASE_STEPS[phase]) for phase in EXECUTION_PHASES}


def job_phases(job: str) -> list[PhaseName]:
    return [phase for phase in EXECUTION_PHASES if PHASE_JOBS.get(phase) == job]


def union_seconds(intervals: Iterable[Interval]) -> float:
    """Seconds covered by at least one interval."""
    total, reach = 0.0, float("-inf")
    for start, end in sorted(intervals):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


@dataclass(frozen=True)
class Outcome:
    state: PhaseStatus
    intervals: list[Interval]
    note: str = ""

    def report(self, phase: PhaseName) -> PhaseReport:
        return PhaseReport(
            state=self.state, seconds=round(union_seconds(self.intervals), 3), step=PHASE_STEPS[phase], note=self.note
        )


def recorded_times(
    instance: dg.DagsterInstance, run_id: str, keys: Iterable[dg.AssetKey]
) -> dict[PhaseName, list[float]]:
    """When run ``run_id`` recorded each of ``keys`` (unpartitioned assets), by phase."""
    times: dict[PhaseName, list[float]] = {}
    for key in keys:
        phase = ASSET_PHASES.get(key.path[1]) if len(key.path) > 1 else None
        if phase is None:
            continue
        for record in instance.fetch_materializations(key, limit=1).records:
            if record.run_id == run_id:
                times.setdefault(phase, []).append(record.timestamp)
    return times


def staged_run_outcomes(
    job: str, span: Interval, times: dict[PhaseName, list[float]], expected: dict[PhaseName, int], success: bool
) -> dict[PhaseName, Outcome]:
    """Each phase of a prepare or deliver run: a stage starts when the one before it recorded its last
    asset; a phase ends when it recorded its last. In a failed run the first stage short of its assets
    failed and later stages were not reached."""
    outcomes: dict[PhaseName, Outcome] = {}
    cursor = span[0]
    failed_stage = False
    for stage in JOB_STAGES[job]:
        stage_end = cursor
        for phase in stage:
            recorded = times.get(phase, [])
            if not expected.get(phase):
                outcomes[phase] = Outcome("skipped", [], f"no {RECORDED[phase]}")
            elif failed_stage:
                outcomes[phase] = Outcome("skipped", [], "not reached: an earlier phase failed")
            elif success or len(recorded) >= expected[phase]:
                end = max(recorded, default=span[1])
                outcomes[phase] = Outcome("done", [(cursor, end)], f"{len(recorded)} {RECORDED[phase]} recorded")
                stage_end = max(stage_end, end)
            else:
                note = f"{len(recorded)} of {expected[phase]} {RECORDED[phase]} recorded"
                outcomes[phase] = Outcome("failed", [(cursor, span[1])], note)
                stage_end = span[1]
        failed_stage = failed_stage or any(outcomes[phase].state == "failed" for phase in stage)
        cursor = stage_end
    return outcomes


def shot_times(
    instance: dg.DagsterInstance, key: dg.AssetKey, shot_ids: list[str], run_ids: set[str], after: float
) -> dict[str, float]:
    """When the runs ``run_ids`` last recorded each shot partition of ``key`` (one query)."""
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=key, asset_partitions=shot_ids, after_timestamp=after),
        limit=4 * len(shot_ids) + 8,
    ).records
    times: dict[str, float] = {}
    for record in records:
        if record.run_id in run_ids and record.partition_key is not None:
            times[record.partition_key] = max(times.get(record.partition_key, 0.0), record.timestamp)
    return times


def shot_outcomes(
    started: dict[str, float],
    ended: dict[str, float],
    rendered: dict[str, float],
    graded: dict[str, float],
    failed: set[str],
) -> dict[PhaseName, Outcome]:
    """shots: from each shot's start until its render was recorded; post_process: from then until its grade
    was recorded. A failed shot fails the phase it was in."""
    render_spans: list[Interval] = []
    grade_spans: list[Interval] = []
    render_failed = len(failed - started.keys())  # never started: the worker stopped before them
    grade_failed = 0
    for shot_id, start in started.items():
        end = ended.get(shot_id, start)
        if shot_id in rendered:
            render_spans.append((start, rendered[shot_id]))
            grade_spans.append((rendered[shot_id], graded.get(shot_id, end)))
            grade_failed += shot_id in failed
        else:
            render_spans.append((start, end))
            render_failed += shot_id in failed
    return {
        "shots": Outcome(
            "failed" if render_failed else "done",
            render_spans,
            f"{render_failed} shot(s) failed to render" if render_failed else f"{len(rendered)} shot(s) rendered",
        ),
        "post_process": Outcome(
            "failed" if grade_failed else "done",
            grade_spans,
            f"{grade_failed} shot(s) failed to grade" if grade_failed else f"{len(graded)} shot(s) graded",
        ),
    }


def job_phase_reports(
    instance: dg.DagsterInstance, production: ResolvedProduction, job: str, outcome: dg.JobExecutionResult
) -> dict[PhaseName, PhaseReport]:
    """The phases a finished prepare or deliver run did, from its records."""
    record = instance.get_run_record_by_id(outcome.run_id)
    now = time.time()
    span = (record.start_time or now, record.end_time or now) if record else (now, now)
    keys = [event.asset_key for event in outcome.get_asset_materialization_events() if event.asset_key]
    expected: dict[PhaseName, int] = {
        "prepare": 1,
        "characters": len(production.characters),
        "locations": len(production.locations),
        "export": len(production.outputs),
        "finalize": 1,
    }
    times = recorded_times(instance, outcome.run_id, keys)
    outcomes = staged_run_outcomes(job, span, times, expected, outcome.success)
    return {phase: settled.report(phase) for phase, settled in outcomes.items()}


def shot_phase_reports(
    instance: dg.DagsterInstance,
    production: ResolvedProduction,
    executor: ParallelExecutor,
    failed: set[str],
    began: float,
) -> dict[PhaseName, PhaseReport]:
    """shots and post_process after ``executor`` ran (``began``: epoch seconds, before its first run)."""
    shot_ids = list(executor.started)
    run_ids = set(executor.run_ids)
    rendered = shot_times(instance, dg.AssetKey([production.slug, "shot_renders"]), shot_ids, run_ids, began - 1)
    graded = shot_times(instance, dg.AssetKey([production.slug, "graded_shots"]), shot_ids, run_ids, began - 1)
    outcomes = shot_outcomes(executor.started, executor.ended, rendered, graded, failed)
    return {phase: settled.report(phase) for phase, settled in outcomes.items()}
