"""Feature-film scale (issue 20): the commands a studio runs all day, on 100, 1,000 and 10,000 shots.

Productions of one-frame 32x18 shots (orchestration dominates). For each size, the production is put
in the state a finished render leaves (every shot's frame and graded frame of its current version on
disk, their materializations recorded in a fresh SQLite DAGSTER_HOME, the dynamic partitions added, the
film delivered and the manifest written) without rendering 10,000 frames: that state is what the
commands read, and setting it up goes through the product's own code (versions, layout, delivery).
One untimed `production run` then does what the last run of a finished render did (prepare these
inputs, store the loaded production), so the timed commands start from a studio's steady state.
Then it times, each as a fresh `production` process like a user runs it:

  status      `production status`
  noop        `production run` when nothing changed (peak RSS too)
  dry_run     `production run --dry-run`
  edit_start  one shot edited, `production run`: seconds until that shot's render starts (the render worker
              has its job and opens the shot's render.log in the new version's folder)
  edit        the same run: seconds until that shot's new frame is on disk
  sensor      one tick of the production sensor after the edit, in process (Dagster's build_sensor_context)
  ui_first    a real dagster-webserver: the partitions view's GraphQL (every shot's partition key and status,
              the latest materialization's metadata) answered the first time, code location load included
  ui          the same query again, as the page polls it

and prints each figure with its ratio to the same command at the smallest size.
Run: python benchmarks/bench_scale.py [--sizes 100 1000 10000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dagster as dg
import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TEMPLATES = ("wide", "medium", "close_up")
SHOT_LINE = "    - {{id: shot{index:05d}, template: {template}, scene: {scene}, character: Hero, duration: 1}}"


def write_production(folder: Path, shots: int) -> Path:
    folder.mkdir(parents=True)
    lines = [
        "production:",
        '  title: "Scale"',
        "  style: {preset: cinematic}",
        "  characters: [{name: Hero, wardrobe: {scenes_1_end: hero_casual}}]",
        "  locations: [{name: Stage, preset: studio}]",
        "  render_settings: {engine: cycles, samples: 1, resolution: [32, 18], frame_rate: 24}",
        '  outputs: [{name: web, format: streaming_1080p, resolution: [32, 18], path: "output/web/"}]',
        "  shots:",
    ]
    lines += [SHOT_LINE.format(index=i, template=TEMPLATES[i % 3], scene=1 + i // 20) for i in range(shots)]
    (folder / "production.yaml").write_text("\n".join(lines) + "\n")
    return folder


def publish_everything(folder: Path, home: Path) -> None:
    """The state a finished run leaves, through the product's code, without rendering (see the docstring)."""
    os.environ["DAGSTER_HOME"] = str(home)
    from production_assets.export.deliver import deliver_output
    from production_assets.export.manifest import write_manifest
    from production_assets.orchestration.run_tags import shot_partitions_name
    from production_assets.planning.production_loader import load_validated
    from production_assets.planning.versions import graded_data_version

    loaded = load_validated(folder, store=True)
    production = loaded.require_resolved()
    layout = production.layout
    frame = np.zeros((18, 32, 3), dtype=np.uint8)
    frame[4:14, 8:24] = (200, 120, 60)
    instance = dg.DagsterInstance.get()
    instance.add_dynamic_partitions(shot_partitions_name(production.slug), [shot.id for shot in production.shots])
    graded_versions = {}
    for shot in production.shots:
        version = loaded.versions[shot.id]
        graded = graded_data_version(version, production)
        graded_versions[shot.id] = graded
        for target in (layout.frames_dir(shot.id, version), layout.graded_dir(shot.id, graded)):
            target.mkdir(parents=True)
            Image.fromarray(frame).save(target / "frame_0001.png")
        for asset, data_version in (("shot_renders", version), ("graded_shots", graded)):
            instance.report_runless_asset_event(
                dg.AssetMaterialization(
                    dg.AssetKey([production.slug, asset]),
                    partition=shot.id,
                    tags={"dagster/data_version": data_version},
                )
            )
    for output in production.outputs:
        deliver_output(production, output, graded_versions)
    write_manifest(production)
    instance.dispose()


def cli(*args: str, home: Path) -> tuple[float, int, subprocess.CompletedProcess[str]]:
    """Seconds and peak RSS (KiB) of one `production` process."""
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "production_assets", *args], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        raise SystemExit(f"production {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return seconds, max(peak, before), done


def edit_and_render(folder: Path, home: Path) -> tuple[float, float]:
    """Edit one shot, start `production run`: seconds until the edited shot's render starts, and until its new
    frame is on disk."""
    path = folder / "production.yaml"
    edited = "    - {id: shot00006, template: wide, scene: 1, character: Hero, duration: 1}"
    text = path.read_text()
    assert edited in text
    path.write_text(text.replace(edited, edited.replace("template: wide", "template: close_up")))
    renders = folder / "build" / "shots" / "shot00006" / "renders"
    before = {p.name for p in renders.iterdir()}
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "production_assets", "run", str(folder)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    render_start = None
    while True:
        fresh = [p for p in renders.iterdir() if p.name not in before]
        if render_start is None and any((p / "render.log").exists() for p in fresh):
            render_start = time.perf_counter() - started
        if any((p / "frames" / "frame_0001.png").exists() for p in fresh):
            seconds = time.perf_counter() - started
            break
        if process.poll() is not None:
            raise SystemExit("the edit run ended without rendering the edited shot")
        time.sleep(0.02)
    process.wait()
    return render_start or seconds, seconds


def sensor_tick(folder: Path, home: Path) -> float:
    """One tick of the production's sensor after an edit (in process, as the daemon runs it)."""
    os.environ["DAGSTER_HOME"] = str(home)
    from production_assets.orchestration.definitions_factory import build_definitions

    path = folder / "production.yaml"
    text = path.read_text()
    edited = "    - {id: shot00011, template: close_up, scene: 1, character: Hero, duration: 1}"
    path.write_text(text.replace(edited, edited.replace("template: close_up", "template: medium")))
    defs = build_definitions([folder])
    sensor = next(iter(defs.sensors or []))
    with dg.DagsterInstance.get() as instance:
        context = dg.build_sensor_context(instance=instance, cursor=None)
        started = time.perf_counter()
        result = sensor(context)
        seconds = time.perf_counter() - started
    requested = [request.partition_key for request in getattr(result, "run_requests", [])]
    assert requested == ["shot00011"], (requested, result)
    return seconds


PARTITIONS_VIEW = """query Partitions($path: [String!]!) {
  assetNodeOrError(assetKey: {path: $path}) {
    ... on AssetNode {
      partitionKeysByDimension { name partitionKeys }
      assetPartitionStatuses {
        ... on DefaultPartitionStatuses { materializedPartitions failedPartitions unmaterializedPartitions }
      }
      assetMaterializations(limit: 1) { partition metadataEntries { label } }
    }
  }
}"""


def ui_queries(folder: Path, home: Path, size: int) -> tuple[float, float]:
    """Seconds of the partitions view's GraphQL through a real webserver: first answer, then warm."""
    from production_assets_tests.webserver import graphql, running_webserver

    timings = []
    with running_webserver(str(folder), home) as url:
        for _ in range(2):
            started = time.perf_counter()
            answer = graphql(url, PARTITIONS_VIEW, {"path": ["scale", "graded_shots"]})
            timings.append(time.perf_counter() - started)
            statuses = answer["data"]["assetNodeOrError"]["assetPartitionStatuses"]
            assert len(statuses["materializedPartitions"]) >= size - 2, answer.get("errors")
    return timings[0], timings[1]


def measure(size: int, root: Path) -> dict[str, float]:
    folder, home = write_production(root / f"p{size}" / "scale", size), root / f"p{size}" / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry: {enabled: false}\n")
    started = time.perf_counter()
    publish_everything(folder, home)
    setup = time.perf_counter() - started
    figures: dict[str, float] = {"setup": setup}
    cli("run", str(folder), home=home)  # the run that finished last: it prepared these inputs and stored them
    figures["status"], _, _ = cli("status", str(folder), home=home)
    figures["noop"], peak, done = cli("run", str(folder), home=home)
    assert "0 shots rendered" in done.stdout, done.stdout[-500:]
    figures["noop_rss_mb"] = peak / 1024
    figures["dry_run"], _, _ = cli("run", str(folder), "--dry-run", home=home)
    figures["edit_start"], figures["edit"] = edit_and_render(folder, home)
    figures["sensor"] = sensor_tick(folder, home)
    figures["ui_first"], figures["ui"] = ui_queries(folder, home, size)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--keep", type=Path, help="keep the productions in this folder")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    results = {size: measure(size, root) for size in args.sizes}
    base = results[args.sizes[0]]
    print(f"{'command':12s}" + "".join(f"{size:>22,d} shots" for size in args.sizes))
    for name in ("status", "noop", "dry_run", "edit_start", "edit", "sensor", "ui_first", "ui", "noop_rss_mb", "setup"):
        unit = "MB" if name.endswith("_mb") else "s"
        cells = [
            f"{results[size][name]:10.2f} {unit} ({results[size][name] / base[name]:4.1f}x)" for size in args.sizes
        ]
        print(f"{name:12s}" + "".join(f"{cell:>28s}" for cell in cells))
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
