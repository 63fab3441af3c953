"""Scene build vs a one-frame render of the same shot, and what prepared .blend files save.

Goal (issue 4): building a shot's scene (everything before the first frame starts
rendering: reset, render settings, set, characters, camera, lights) costs at most
20% of a one-frame 320x180 Cycles render at 16 samples of that shot. The shot is
the example production's hero close-up (industrial location, cinematic_teal_orange
style, the mannequin in hero_casual, template hero_cu). Everything is measured in
one process after bpy is imported; each figure is the best of RUNS.
Run: python benchmarks/bench_scene_build.py
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import bpy  # noqa: F401 - imported before timing so its start-up cost is not counted

from production_assets.loading.production_file import load_production
from production_assets.loading.resolve import resolve_production
from production_assets.model.render_job import RenderJob
from production_assets.planning.versions import render_job
from production_assets.render.frames import render_one_frame
from production_assets.render.prepare_build import prepare_asset
from production_assets.render.prepare_contract import character_prepare_job, location_prepare_job
from production_assets.render.shot import build_shot

EXAMPLE = Path(__file__).resolve().parents[1] / "configs" / "production" / "examples" / "example_production"
SHOT_ID = "s001_hero_cu_hero"
RUNS = 3
GOAL = 0.20


def best_of(runs: int, action: Callable[[], float]) -> float:
    return min(action() for _ in range(runs))


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def benchmark_job(folder: Path) -> RenderJob:
    resolved = resolve_production(load_production(EXAMPLE))
    job = render_job(resolved, SHOT_ID)
    return job.model_copy(
        update={
            "resolution": (320, 180),
            "samples": 16,
            "frame_count": 1,
            "engine": "cycles",
            "frames_dir": str(folder / "frames"),
            "staging_dir": str(folder / "staging"),
        }
    )


def prepared_variant(job: RenderJob, folder: Path) -> tuple[RenderJob, str]:
    """Prepare the shot's character and location, and the job that uses them."""
    character = job.characters[0]
    character_blend = folder / "characters" / f"{character.name}.blend"
    location_blend = folder / "locations" / f"{job.location_name}.blend"
    looks = {character.look_name: character.look}
    prepare_asset(character_prepare_job(character.name, character.model, looks, character_blend, "bench"))
    prepare_asset(location_prepare_job(job.location_name, job.location, location_blend, "bench"))
    placement = character.model_copy(update={"prepared_blend": str(character_blend)})
    return job.model_copy(update={"characters": [placement]}), str(location_blend)


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        job = benchmark_job(folder)
        frame_path = str(folder / "frame.png")

        def render_once() -> float:
            scene = build_shot(job)
            return render_one_frame(scene, 1, frame_path)

        render_once()
        build = best_of(RUNS, lambda: timed(lambda: build_shot(job)))
        render = best_of(RUNS, render_once)
        prepared_job, location_blend = prepared_variant(job, folder / "prepared")
        build_shot(prepared_job, location_blend)
        prepared = best_of(RUNS, lambda: timed(lambda: build_shot(prepared_job, location_blend)))
    ratio = build / render
    print(f"shot: {SHOT_ID} (example production), 320x180, Cycles 16 samples, best of {RUNS}")
    print(f"scene build (built in-process):      {build * 1000:8.1f} ms")
    print(f"scene build (prepared .blend files): {prepared * 1000:8.1f} ms")
    print(f"one-frame render:                    {render * 1000:8.1f} ms")
    print(f"prepared files save {(build - prepared) * 1000:.1f} ms per shot ({(1 - prepared / build) * 100:.0f}%)")
    print(f"ratio build/render: {ratio * 100:.1f}% (goal <= {GOAL * 100:.0f}%) {'PASS' if ratio <= GOAL else 'MISS'}")


if __name__ == "__main__":
    main()
