"""What a run process pays to load the code location: 20 productions x 500 shots vs 1 production x 10 shots.

The code location is one ``defs`` (production_assets.definitions) holding every
configured production. A run launched from the UI, a sensor or a backfill
executes in a process that loads it again and builds every production, then
takes its job. Measured here as that process does it (``defs()``, then the
run's job), with 20 productions of 500 shots configured, against the same with
one production of 10 shots. Also printed: what a run made by `production run`
or orchestration.launch loads (its own production only, through
local_runs.production_job), and what every run process pays before any of it
(starting Python and importing Dagster and the code location), to say whether
the difference is one a user would notice.
Imports are excluded from the loads; the graph-shape cache in
build/definitions_names.json is warm, as it is for every run process after the
first load.
Run: python benchmarks/bench_definitions.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_loading import generate

from production_assets import definitions as code_location
from production_assets.orchestration.definitions_factory import build_definitions, job_names, production_slug_at

PRODUCTIONS = 20
SHOTS = 500


def productions(root: Path, count: int, shots: int) -> list[Path]:
    folders = []
    for index in range(count):
        folder = root / f"p{count}_{shots}_{index:02d}"
        folder.mkdir()
        generate(folder / "production.yaml", shots)
        folders.append(folder)
    return folders


def best_seconds(paths: list[Path], load: Callable[[], object], repeats: int = 7) -> float:
    """Best of `repeats` fresh loads with PRODUCTION_PATHS = `paths`."""
    os.environ["PRODUCTION_PATHS"] = os.pathsep.join(map(str, paths))
    best = float("inf")
    for repeat in range(repeats + 1):
        started = time.perf_counter()
        load()
        if repeat:  # the first load warms the names cache, as the first process after an edit does
            best = min(best, time.perf_counter() - started)
    return best


def location_run_load(path: Path) -> Callable[[], object]:
    """A run launched from the UI: every configured production built, then the run's job."""
    job = job_names(production_slug_at(path))["shots"]
    return lambda: code_location.defs().resolve_job_def(job)


def own_production_load(path: Path) -> Callable[[], object]:
    """A run of `production run` or orchestration.launch: its production alone, then the job."""
    job = job_names(production_slug_at(path))["shots"]
    return lambda: build_definitions([path]).resolve_job_def(job)


def process_start_seconds(repeats: int = 3) -> float:
    """Python started, Dagster and the code location imported: what every run process pays first."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import production_assets.definitions"], check=True)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        small = productions(root, 1, 10)
        large = productions(root, PRODUCTIONS, SHOTS)
        target = large[PRODUCTIONS // 2]
        baseline = best_seconds(small, location_run_load(small[0]))
        ours = best_seconds(large, location_run_load(target))
        own = best_seconds(large, own_production_load(target))
    start = process_start_seconds()
    print(f"baseline: a UI-launched run process's load, 1 production x 10 shots configured: {baseline * 1000:7.1f} ms")
    print(
        f"ours: the same, {PRODUCTIONS} productions x {SHOTS} shots configured:             {ours * 1000:7.1f} ms"
        f"  ({ours / baseline:.1f}x; +{(ours - baseline) * 1000:.0f} ms per run)"
    )
    print(f"a run of `production run` / launch.py (its production only), same 20 x 500:  {own * 1000:7.1f} ms")
    print(f"every run process first starts Python and imports Dagster and the location:  {start * 1000:7.1f} ms")
    print(f"what 20 x 500 adds to a UI-launched run's start-up: {(ours - baseline) / start:.1%} of that start")


if __name__ == "__main__":
    main()
