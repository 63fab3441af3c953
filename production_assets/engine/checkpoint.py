"""A run's checkpoint: the plan it started from and how it ended, and what `production run --resume` does with it.

Dagster's records say what is done, and every `production run` picks up from them. The checkpoint
says what the last run set out to do: its shot selection (``--only``) and each planned shot's data
version when it started, then how it ended (succeeded, failed, interrupted; ``running`` when the
process died without saying). ``--resume`` continues that plan, the same shots, and refuses to start
when one of them is no longer at the version the run started with (or was added or removed): a
resume never turns quietly into a different run.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from production_assets.errors import ResumeRefusedError
from production_assets.model.resolved import ResolvedProduction
from production_assets.model.results import ExecutionState, RunOutcome, ShotState
from production_assets.planning.staleness import ProductionPlan
from production_assets.storage.atomic import write_text_atomic


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def execution_state(
    instance: dg.DagsterInstance,
    production: ResolvedProduction,
    plan: ProductionPlan,
    selection: list[str] | None = None,
    outcome: RunOutcome | None = None,
) -> ExecutionState:
    """The plan's shots as an ExecutionState, with the production's latest Dagster run."""
    runs = instance.get_runs(dg.RunsFilter(tags={"production/slug": production.slug}), limit=1)
    latest = runs[0] if runs else None
    return ExecutionState(
        production=production.title,
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
                locked=s.locked,
            )
            for s in plan.shots
        ],
        latest_run_id=latest.run_id if latest else None,
        latest_run_status=latest.status.value if latest else None,
        selection=selection,
        run_outcome=outcome,
        saved_at=now_iso(),
    )


def write_checkpoint(path: str | Path, state: ExecutionState) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(target, state.model_dump_json(indent=2))
    return target


def read_checkpoint(path: str | Path) -> ExecutionState:
    try:
        return ExecutionState.model_validate_json(Path(path).read_text())
    except (OSError, ValueError) as error:
        raise ResumeRefusedError(
            f"cannot read the checkpoint {path}: {error}", suggestion="remove it and run without --resume"
        ) from None


def changes_since(checkpoint: ExecutionState, plan: ProductionPlan) -> list[str]:
    """The shots of a checkpoint's plan that are not what they were: added, removed, or at another data version."""
    before = {shot.shot_id: shot.data_version for shot in checkpoint.shots}
    now = {shot.shot_id: shot.data_version for shot in plan.shots}
    changes = [f"{shot_id} removed" for shot_id in before if shot_id not in now]
    for shot_id, version in now.items():
        if shot_id not in before:
            changes.append(f"{shot_id} added")
        elif before[shot_id] != version:
            changes.append(f"{shot_id} changed (data version {before[shot_id][:12]} -> {version[:12]})")
    return changes


def require_resumable(checkpoint: ExecutionState | None, plan: ProductionPlan, title: str) -> ExecutionState:
    """The checkpoint to resume; a ProductionError when there is none or the production changed since."""
    if checkpoint is None:
        raise ResumeRefusedError(
            f"nothing to resume: no `production run` of {title!r} left a checkpoint", suggestion="run without --resume"
        )
    changes = changes_since(checkpoint, plan)
    if changes:
        raise ResumeRefusedError(
            f"the production changed since the run being resumed (started {checkpoint.saved_at}): "
            f"{'; '.join(changes)}; nothing was run",
            suggestion="run without --resume to build the production as it is now",
        )
    return checkpoint
