"""Cost of loading the Dagster code location: 20 productions x 500 shots vs 1 production x 10 shots.

The code location holds one repository per production, each built when asked for
(production_assets.definitions). Every run process loads the code location again,
through its run's code pointer: the module attribute named after the run's
production, so it builds that production only. Measured here as Dagster does it
(``load_def_in_module``), with 20 productions of 500 shots configured, against
the same with one production of 10 shots (issue 5 goal: at most 3x). Also printed:
the UI's code server, which builds every repository (linear in productions: it
shows 20x the assets), and the all-in-one Definitions of the 20 (what one
repository for every production would cost each run process).
Imports are excluded; the graph-shape cache in build/definitions_names.json is
warm, as it is for every run process after the first load.
Run: python benchmarks/bench_definitions.py
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_loading import generate
from dagster._core.definitions.reconstruct import load_def_in_module
from dagster._core.workspace.autodiscovery import loadable_targets_from_python_module

from production_assets.orchestration import definitions_factory
from production_assets.orchestration.code_location import DEFINITIONS_MODULE
from production_assets.orchestration.definitions_factory import build_definitions, production_slug_at

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
    """Best of `repeats` fresh loads with PRODUCTION_PATHS = `paths` (per-process caches emptied)."""
    os.environ["PRODUCTION_PATHS"] = os.pathsep.join(map(str, paths))
    best = float("inf")
    for repeat in range(repeats + 1):
        definitions_factory._configured_productions.cache_clear()
        definitions_factory._repository.cache_clear()
        started = time.perf_counter()
        load()
        if repeat:  # the first load warms the names cache, as the first process after an edit does
            best = min(best, time.perf_counter() - started)
    return best


def run_process_load(slug: str) -> Callable[[], object]:
    return lambda: load_def_in_module(DEFINITIONS_MODULE, slug, None)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        small = productions(root, 1, 10)
        large = productions(root, PRODUCTIONS, SHOTS)
        baseline = best_seconds(small, run_process_load(production_slug_at(small[0])))
        ours = best_seconds(large, run_process_load(production_slug_at(large[PRODUCTIONS // 2])))
        code_server = best_seconds(large, lambda: loadable_targets_from_python_module(DEFINITIONS_MODULE, None), 3)
        all_in_one = best_seconds(large, lambda: build_definitions(large).get_repository_def(), 3)
    print(f"baseline: a run process's load, 1 production x 10 shots configured:  {baseline * 1000:7.1f} ms")
    print(
        f"ours: a run process's load, {PRODUCTIONS} productions x {SHOTS} shots configured: {ours * 1000:7.1f} ms"
        f"  ({ours / baseline:.2f}x; goal <= 3x)"
    )
    for label, seconds in (
        ("the UI's code server, every repository built:", code_server),
        (f"one Definitions holding all {PRODUCTIONS} (the former design):", all_in_one),
    ):
        print(f"{label:<54} {seconds * 1000:7.1f} ms  ({seconds / baseline:.1f}x)")
    print("goal: a run process's load <= 3x:", "PASS" if ours <= 3 * baseline else "MISS")


if __name__ == "__main__":
    main()
