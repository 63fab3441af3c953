"""A render worker slot: renders a batch of shots in as few Dagster runs as it can.

``python -m production_assets.engine.shot_batch PRODUCTION SHOT_ID...``
runs the shots job once per range of consecutive shot partitions in the batch
(one run for the whole batch when its shots are neighbours, as `production run`
makes them), in this process, with one bpy worker kept for every shot.

It prints one JSON message a line on stdout for the parent (see :mod:`.batch_process`). With
``--wait-for-go PRODUCTION`` it gets ready first and renders the shots of the ``go`` line that arrives
on stdin, so `production run` warms a worker up while it loads, plans and prepares.
PRODUCTION_WORKER_CPUS keeps it and its bpy worker to some cores. SIGINT stops the batch
(Dagster records the interrupted run as failed; the parent marks it cancelled).
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path
from typing import Any

from production_assets.engine.batch_process import CPUS_ENV, WAIT_FLAG, BatchEnded, RunEnded, RunStarted, read_go
from production_assets.engine.instance import get_instance
from production_assets.model.base import StrictModel
from production_assets.orchestration import shot_progress
from production_assets.orchestration.definitions_factory import job_names, production_slug_at
from production_assets.orchestration.local_runs import execute_job_here, production_job
from production_assets.orchestration.render_workers import keep_worker, start_server, stop_server
from production_assets.orchestration.run_tags import shot_partitions_name
from production_assets.planning.shot_ranges import neighbour_ranges
from production_assets.post.grade_kernel import grade_kernel


def failure_message(result: Any) -> str:
    """The most telling error of a failed run: the step's own description, else the cause
    (not "Exceeded max_retries")."""
    descriptions, messages = [], []
    for event in result.all_events:
        if event.event_type_value in ("STEP_FAILURE", "STEP_UP_FOR_RETRY"):
            failure = getattr(event.event_specific_data, "user_failure_data", None)
            if failure is not None and failure.description:
                descriptions.append(failure.description.strip())
            error = getattr(event.event_specific_data, "error", None)
            while error is not None:
                messages.append(error.message.strip())
                error = error.cause
    useful = [m for m in messages if not m.startswith("Exceeded max_retries")]
    return (descriptions or useful or messages or ["run failed"])[-1]


def _emit(message: StrictModel) -> None:
    print(message.model_dump_json(), flush=True)


def run_batch(path: Path, shot_ids: list[str] | None) -> int:
    """Run the shots; with None, get ready (Dagster, a bpy worker, the grading kernel, the production's
    definitions: last, so the parent has stored the loaded production by then) and then run the shots of
    the ``go`` line that arrives on stdin (EOF: leave without running anything)."""
    instance = get_instance()
    if shot_ids is None or keep_worker(len(shot_ids)):
        start_server()
    grade_kernel()
    slug = production_slug_at(path)
    job_name = job_names(slug)["shots"]
    tags = {"production/slug": slug, "production/source": "cli"}
    production_job(str(path.resolve()), job_name)
    if shot_ids is None:
        shot_ids = read_go(sys.stdin.readline())
        if not shot_ids:
            stop_server()
            return 0
    shot_progress.listen(_emit)
    failures = 0
    for shots in neighbour_ranges(shot_ids, instance.get_dynamic_partitions(shot_partitions_name(slug))):
        run_id = str(uuid.uuid4())
        _emit(RunStarted(run_id=run_id, shots=shots))
        result = execute_job_here(
            instance, path, job_name, partition_range=(shots[0], shots[-1]), tags=tags, run_id=run_id
        )
        failures += not result.success
        error = "" if result.success else failure_message(result)
        _emit(RunEnded(run_id=run_id, error=error))
    _emit(BatchEnded())
    stop_server()
    return 1 if failures else 0


def keep_to_cpus() -> None:
    """Keep this process (and the bpy worker it starts) to the cores PRODUCTION_WORKER_CPUS names."""
    cpus = {int(c) for c in os.environ.get(CPUS_ENV, "").split(",") if c.strip().isdigit()}
    if cpus and hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, cpus)
        except OSError:
            pass  # cores not available here: run unpinned


def main(argv: list[str]) -> int:
    keep_to_cpus()
    wait_for_go = bool(argv) and argv[0] == WAIT_FLAG
    arguments = argv[1:] if wait_for_go else argv
    well_formed = len(arguments) == 1 if wait_for_go else len(arguments) >= 2
    if not well_formed:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        return run_batch(Path(arguments[0]), None if wait_for_go else arguments[1:])
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
