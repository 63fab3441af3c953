"""A render worker slot: runs Dagster shot runs for a batch of shots, one after another.

``python -m production_assets.engine.shot_batch PRODUCTION SHOT_ID...`` loads the
production's definitions once (amortising start-up over the batch) and prints
JSON lines on stdout for the parent: ``{"event": "start", "shot", "run_id"}``
before a shot's run and ``{"event": "end", "shot", "run_id", "success", "error"}``
after it. SIGINT stops the batch between or inside runs (Dagster records the
interrupted run as failed; the parent marks it cancelled).
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path
from typing import Any

from production_assets.engine.instance import get_instance
from production_assets.orchestration.definitions_factory import job_names, production_names
from production_assets.orchestration.local_runs import execute_job_here


def failure_message(result: Any) -> str:
    """The most telling error of a failed run (the cause, not "Exceeded max_retries")."""
    messages = []
    for event in result.all_events:
        if event.event_type_value in ("STEP_FAILURE", "STEP_UP_FOR_RETRY"):
            error = getattr(event.event_specific_data, "error", None)
            while error is not None:
                messages.append(error.message.strip())
                error = error.cause
    useful = [m for m in messages if not m.startswith("Exceeded max_retries")]
    return (useful or messages or ["run failed"])[-1]


def _emit(**fields: Any) -> None:
    print(json.dumps(fields), flush=True)


def run_batch(path: Path, shot_ids: list[str]) -> int:
    slug = production_names(path).slug
    job_name = job_names(slug)["shots"]
    tags = {"production/slug": slug, "production/source": "cli"}
    instance = get_instance()
    failures = 0
    for shot_id in shot_ids:
        run_id = str(uuid.uuid4())
        _emit(event="start", shot=shot_id, run_id=run_id)
        result = execute_job_here(instance, path, job_name, partition_key=shot_id, tags=tags, run_id=run_id)
        failures += not result.success
        _emit(
            event="end",
            shot=shot_id,
            run_id=run_id,
            success=result.success,
            error="" if result.success else failure_message(result),
        )
    return 1 if failures else 0


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        return run_batch(Path(argv[0]), argv[1:])
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
