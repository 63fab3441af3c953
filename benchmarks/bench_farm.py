"""Farm throughput and dispatch: ``python benchmarks/bench_farm.py [--shots 12] [--samples 3] [--dispatch-shots 24]``.

Starts a farm on 127.0.0.1 (scripts/farm/farmctl.py: PostgreSQL, Redis, the
Dagster daemon, Celery workers), renders tiny shots (64x36, 1 sample, 2 frames)
and prints a table:

1. throughput: N shots through the farm profile with 1 and with 2 Celery
   workers (wall seconds, shots/min, ratio), dispatched in ranges (the default);
2. per-shot dispatch overhead, farm vs the local default (SQLite, a process per
   run): seconds from the run's creation to its start, and from creation to its
   end, minus the seconds its render step reported, one shot at a time;
3. dispatch: M one-frame shots on 2 workers (orchestration dominates), a run per
   shot against ranges of neighbouring shots (the default range size): runs,
   wall seconds from the first launch to the last shot recorded, shots per
   second, and ranges / one-run-per-shot.

Needs the farm packages (see docs/farm.md). Everything is torn down at the end.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

import dagster as dg

from production_assets.orchestration import farm_supervisor, launch
from production_assets.orchestration.definitions_factory import job_names, production_names
from production_assets.orchestration.shot_dispatch import QUEUE_TAG
from production_assets.planning.production_loader import load_validated

REPO = Path(__file__).resolve().parents[1]


def load_farmctl() -> ModuleType:
    spec = importlib.util.spec_from_file_location("farmctl", REPO / "scripts" / "farm" / "farmctl.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_shots_production(folder: Path, shots: int, frames: int = 2) -> Path:
    templates = ["wide", "close_up", "medium"]
    lines = [
        f"    - {{template: {templates[i % 3]}, scene: {i // 3 + 1}, character: Hero, duration: {frames}}}"
        for i in range(shots)
    ]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "production.yaml"
    path.write_text(
        f"""production:
  title: "{folder.name}"
  style: {{preset: cinematic}}
  characters:
    - {{name: Hero, model: "builtin:mannequin", wardrobe: {{scenes_1_end: hero_casual}}}}
  locations:
    - {{name: Stage, preset: studio}}
  shots:
{chr(10).join(lines)}
  render_settings: {{engine: cycles, samples: 1, resolution: [64, 36], frame_rate: 24}}
  outputs:
    - {{name: web, format: streaming_1080p, resolution: [64, 36], path: "output/web/"}}
"""
    )
    return path


def shot_ids(path: Path) -> list[str]:
    resolved = load_validated(path).resolved
    assert resolved is not None
    return [shot.id for shot in resolved.shots]


def prepare(instance: dg.DagsterInstance, path: Path) -> None:
    run_id = launch.launch_job(instance, path, job_names(production_names(path).slug)["prepare"])
    status = launch.wait_for_runs(instance, [run_id], timeout=300)[run_id]
    if status != dg.DagsterRunStatus.SUCCESS:
        raise SystemExit(f"prepare of {path} ended {status.value}")


def timed_farm_render(instance: dg.DagsterInstance, path: Path, shots_per_run: int | None = None) -> tuple[float, int]:
    """(wall seconds, runs) to render every shot of ``path`` under the supervisor."""
    shots = shot_ids(path)
    started = time.monotonic()
    outcomes = farm_supervisor.render_shots(instance, path, shots, timeout=1800, poll=0.5, shots_per_run=shots_per_run)
    elapsed = time.monotonic() - started
    failed = [s for s, o in outcomes.items() if o.status != dg.DagsterRunStatus.SUCCESS]
    if failed:
        raise SystemExit(f"shots failed on the farm: {failed}")
    return elapsed, len({run_id for outcome in outcomes.values() for run_id in outcome.run_ids})


def render_seconds(instance: dg.DagsterInstance, path: Path, shot_id: str) -> float:
    slug = production_names(path).slug
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey([slug, "shot_renders"]), asset_partitions=[shot_id]), limit=1
    ).records
    metadata = records[0].asset_materialization.metadata  # type: ignore[union-attr]
    return float(metadata["render_seconds"].value)  # type: ignore[arg-type]


def dispatch_overhead(instance: dg.DagsterInstance, path: Path, count: int) -> tuple[float, float]:
    """Mean (creation -> start, creation -> end minus render seconds) of ``count`` shot runs, one at a time."""
    to_start, overhead = [], []
    for shot_id in shot_ids(path)[:count]:
        [run_id] = launch.launch_shot_runs(instance, path, [shot_id])
        if launch.wait_for_runs(instance, [run_id], timeout=300, poll=0.2)[run_id] != dg.DagsterRunStatus.SUCCESS:
            raise SystemExit(f"shot {shot_id} failed")
        [record] = instance.get_run_records(dg.RunsFilter(run_ids=[run_id]))
        created = record.create_timestamp.timestamp()
        assert record.start_time is not None and record.end_time is not None
        to_start.append(record.start_time - created)
        overhead.append(record.end_time - created - render_seconds(instance, path, shot_id))
    return statistics.mean(to_start), statistics.mean(overhead)


def local_overhead(root: Path, count: int) -> tuple[float, float]:
    home = root / "local_home"
    home.mkdir()
    shutil.copyfile(REPO / "deploy" / "local" / "dagster.yaml", home / "dagster.yaml")
    path = write_shots_production(root / "local_shots", count)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        prepare(instance, path)
        return dispatch_overhead(instance, path, count)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shots", type=int, default=12)
    parser.add_argument("--samples", type=int, default=3, help="shots timed one at a time for the overhead")
    parser.add_argument("--dispatch-shots", type=int, default=24, help="one-frame shots for the dispatch measure")
    args = parser.parse_args()
    farmctl = load_farmctl()
    missing = farmctl.missing_binaries()
    if missing:
        print("cannot run: " + "; ".join(missing), file=sys.stderr)
        return 2
    os.environ["PRODUCTION_RENDER_THREADS"] = "1"
    root = Path(tempfile.mkdtemp(prefix="bench-farm-"))
    names = ("one_worker", "two_workers", "dispatch")
    paths = {name: write_shots_production(root / name, args.shots) for name in names}
    for name in ("run_per_shot", "ranges"):
        paths[name] = write_shots_production(root / name, args.dispatch_shots, frames=1)
    farm = farmctl.Farm(root / "state")
    try:
        farm.up(1, ["dagster"], os.pathsep.join(map(str, paths.values())), max_runs=16)
        os.environ.update(farm.environment())
        with dg.DagsterInstance.from_config(str(farm.dagster_home)) as instance:
            for path in paths.values():
                prepare(instance, path)
            one, _ = timed_farm_render(instance, paths["one_worker"])
            farm_start, farm_overhead = dispatch_overhead(instance, paths["dispatch"], args.samples)
            farm.start_worker("w2", ["dagster"])
            warm_up = launch.launch_job(
                instance,
                paths["one_worker"],
                job_names(production_names(paths["one_worker"]).slug)["prepare"],
                tags={QUEUE_TAG: "worker.w2"},
            )  # the new worker loads the code before the clock starts, as w1 did
            launch.wait_for_runs(instance, [warm_up], timeout=300)
            two, _ = timed_farm_render(instance, paths["two_workers"])
            per_shot, per_shot_runs = timed_farm_render(instance, paths["run_per_shot"], shots_per_run=1)
            ranged, ranged_runs = timed_farm_render(instance, paths["ranges"])
        for key in farm.environment():
            os.environ.pop(key, None)
        local_start, local_total = local_overhead(root, args.samples)
    finally:
        farm.down()
        shutil.rmtree(root, ignore_errors=True)
    print(f"\nfarm benchmark: {args.shots} shots of 64x36, 1 sample, 2 frames; {os.cpu_count()} cores\n")
    print(f"{'measure':<44}{'value':>12}")
    print(f"{'1 Celery worker: wall seconds':<44}{one:>12.1f}")
    print(f"{'2 Celery workers: wall seconds':<44}{two:>12.1f}")
    print(f"{'1 worker: shots per minute':<44}{60 * args.shots / one:>12.1f}")
    print(f"{'2 workers: shots per minute':<44}{60 * args.shots / two:>12.1f}")
    print(f"{'speed-up 2 vs 1 workers':<44}{one / two:>11.2f}x")
    print(f"{'farm: run created -> started (s/shot)':<44}{farm_start:>12.2f}")
    print(f"{'local: run created -> started (s/shot)':<44}{local_start:>12.2f}")
    print(f"{'farm: overhead beyond render (s/shot)':<44}{farm_overhead:>12.2f}")
    print(f"{'local: overhead beyond render (s/shot)':<44}{local_total:>12.2f}")
    print(f"{'farm minus local overhead (s/shot)':<44}{farm_overhead - local_total:>12.2f}")
    count = args.dispatch_shots
    print(f"\ndispatch: {count} one-frame shots on 2 Celery workers\n")
    print(f"{'measure':<44}{'run per shot':>14}{'ranges':>12}")
    print(f"{'runs':<44}{per_shot_runs:>14}{ranged_runs:>12}")
    print(f"{'wall seconds':<44}{per_shot:>14.1f}{ranged:>12.1f}")
    print(f"{'shots per second':<44}{count / per_shot:>14.2f}{count / ranged:>12.2f}")
    print(f"{'ranges vs run per shot (shots/s ratio)':<44}{per_shot / ranged:>25.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
