"""A render worker slot: runs Dagster shot runs for a batch of shots, one after another.

``python -m production_assets.engine.shot_batch PRODUCTION SHOT_ID...`` loads the
production's definitions once (amortising start-up over the batch) and prints
one JSON line per shot on stdout: {"shot", "success", "run_id", "error"}.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from production_assets.engine.instance import get_instance
from production_assets.orchestration.definitions_factory import (
    QUIET_RUN_CONFIG,
    build_definitions,
    job_names,
    production_names,
)


def _failure_message(result) -> str:  # type: ignore[no-untyped-def]
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            data = event.step_failure_data
            error = data.error if data else None
            return error.message.strip() if error else "step failed"
    return "run failed"


def run_batch(path: Path, shot_ids: list[str]) -> int:
    defs = build_definitions([path])
    slug = production_names(path).slug
    job = defs.resolve_job_def(job_names(slug)["shots"])
    instance = get_instance()
    failures = 0
    for shot_id in shot_ids:
        result = job.execute_in_process(
            run_config=QUIET_RUN_CONFIG, instance=instance, partition_key=shot_id, raise_on_error=False
        )
        message = "" if result.success else _failure_message(result)
        failures += not result.success
        print(json.dumps({"shot": shot_id, "success": result.success, "run_id": result.run_id, "error": message}), flush=True)
    return 1 if failures else 0


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    return run_batch(Path(argv[0]), argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
