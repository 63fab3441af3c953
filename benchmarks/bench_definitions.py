"""Cost of building the Dagster code location: 20 productions x 500 shots vs 1 production x 10 shots.

Every run process and the UI load the code location, so what grows with the shot
count must be cached or deferred (issue 5 goal: at most 3x). Imports are excluded
from both; the graph-shape cache in build/definitions_names.json is warm, as it is
for every run process after the first load. Also printed: 20 x 10 shots, which
separates the cost per production (assets, jobs, sensor: linear in productions)
from the cost per shot (which should be ~0).
Run: python benchmarks/bench_definitions.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench_loading import generate

from production_assets.orchestration.definitions_factory import build_definitions


def productions(root: Path, count: int, shots: int) -> list[Path]:
    folders = []
    for index in range(count):
        folder = root / f"p{count}_{shots}_{index:02d}"
        folder.mkdir()
        generate(folder / "production.yaml", shots)
        folders.append(folder)
    return folders


def build_seconds(paths: list[Path], repeats: int = 5) -> float:
    build_definitions(paths).get_repository_def()  # warm the names cache, as after the first load
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        build_definitions(paths).get_repository_def()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        baseline = build_seconds(productions(root, 1, 10))
        many_small = build_seconds(productions(root, 20, 10))
        many_large = build_seconds(productions(root, 20, 500))
    print(f"baseline   1 production  x  10 shots: {baseline * 1000:8.1f} ms")
    print(f"          20 productions x  10 shots: {many_small * 1000:8.1f} ms  ({many_small / baseline:.1f}x)")
    print(f"          20 productions x 500 shots: {many_large * 1000:8.1f} ms  ({many_large / baseline:.1f}x; goal <= 3x)")
    print(f"cost of 490 more shots per production: {many_large / many_small:.2f}x  (shot count cached: ~1x)")
    print(f"per production: {(many_small - baseline) / 19 * 1000:.1f} ms")
    print("goal 20x500 <= 3x 1x10:", "PASS" if many_large <= 3 * baseline else "MISS (per-production cost is linear)")


if __name__ == "__main__":
    main()
