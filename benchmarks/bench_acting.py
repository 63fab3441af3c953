"""Acting cost vs a one-frame render of the same shot.

Goal (issue 17): building the rigged characters and evaluating their actions
for a shot costs at most 5% of a one-frame 320x180 Cycles render at 16
samples of that shot. The shot: a 4-second (96-frame) dialogue two-shot in the
industrial location (cinematic style), the mannequin talking and the female
mannequin listening, blocked and eyelined by production_assets.acting.staging.

Counted as acting: building both characters (bodies, armatures, faces; all of
it, not only what the armature adds), evaluating their performances, keying
rigs, roots and eyeline constraints, and evaluating the scene on every frame of
the shot (``frame_set``, which the renderer does before each frame anyway).
Everything is measured in one process after bpy is imported; each figure is
the best of RUNS. Run: python benchmarks/bench_acting.py
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import bpy
import yaml

from production_assets.acting.staging import Performer, stage_shot
from production_assets.model.acting import ActionRequest
from production_assets.model.presets import LocationPreset, ShotTemplate, StylePreset, WardrobeLook
from production_assets.model.render_job import CharacterPlacement, RenderJob
from production_assets.render.animation import perform_on_stage, rehearse
from production_assets.render.camera import build_camera, frame_shot
from production_assets.render.characters import place_characters
from production_assets.render.frames import render_one_frame
from production_assets.render.scene import reset_scene
from production_assets.render.shot import build_shot

PRESETS = Path(__file__).resolve().parents[1] / "configs" / "presets"
FRAMES = 96
RUNS = 3
GOAL = 0.05


def preset(kind: str, name: str) -> dict:
    with open(PRESETS / f"{kind}.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)[name]


def benchmark_job(folder: Path) -> RenderJob:
    performers = [Performer("Hero"), Performer("Villain", "builtin:mannequin_female")]
    action = {"Hero": [ActionRequest(name="talk")], "Villain": [ActionRequest(name="listen")]}
    staged = stage_shot(performers, FRAMES, shares_dialogue=True, action=action)
    look = WardrobeLook.model_validate(preset("wardrobes", "hero_casual"))
    characters = [
        CharacterPlacement(name=p.name, model=p.model, look=look, **staged[p.name].placement_fields())
        for p in performers
    ]
    return RenderJob(
        shot_id="bench_two_shot",
        data_version="bench",
        frames_dir=str(folder / "frames"),
        staging_dir=str(folder / "staging"),
        frame_count=FRAMES,
        resolution=(320, 180),
        samples=16,
        location_name="industrial",
        location=LocationPreset.model_validate(preset("locations", "industrial")),
        camera=ShotTemplate.model_validate(preset("shot_templates", "two_shot")),
        style=StylePreset.model_validate(preset("styles", "cinematic")),
        characters=characters,
    )


def best_of(runs: int, action: Callable[[], float]) -> float:
    return min(action() for _ in range(runs))


def acting_seconds(job: RenderJob) -> tuple[float, float, float]:
    """(build the characters, evaluate and key their performances, evaluate every frame) in a fresh scene."""
    scene = reset_scene()
    scene.frame_start, scene.frame_end = 1, job.frame_count
    started = time.perf_counter()
    cast = place_characters(job.characters)
    bpy.context.view_layer.update()
    built = time.perf_counter()
    actings = [rehearse(character, job.frame_count, job.frame_rate) for character in cast]
    framing = frame_shot(job.camera, ((-1.0, -0.3, 0.0), (1.0, 0.3, 1.8)), 16 / 9)
    camera = build_camera(scene, job.camera, framing, job.frame_count)
    keyed_start = time.perf_counter()
    for acting in actings:
        perform_on_stage(acting, camera)
    keyed = time.perf_counter()
    for frame in range(1, job.frame_count + 1):
        scene.frame_set(frame)
    evaluated = time.perf_counter()
    performances = (keyed_start - built) + (keyed - keyed_start)
    return built - started, performances, evaluated - keyed


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        job = benchmark_job(Path(temp))
        frame_path = str(Path(temp) / "frame.png")

        def render_once() -> float:
            scene = build_shot(job)
            return render_one_frame(scene, FRAMES // 2, frame_path)

        render_once()
        acting_seconds(job)
        parts = [acting_seconds(job) for _ in range(RUNS)]
        build, perform, evaluate = (min(part[index] for part in parts) for index in range(3))
        acting = min(sum(part) for part in parts)
        render = best_of(RUNS, render_once)
    ratio = acting / render
    print(f"shot: dialogue two-shot, 2 characters, {FRAMES} frames, 320x180, Cycles 16 samples, best of {RUNS}")
    print(f"build 2 rigged characters (bodies, armatures, faces): {build * 1000:8.1f} ms")
    print(f"evaluate + key 2 performances ({FRAMES} frames):        {perform * 1000:8.1f} ms")
    print(f"evaluate the scene on all {FRAMES} frames:                {evaluate * 1000:8.1f} ms")
    print(f"acting total:                                        {acting * 1000:8.1f} ms")
    print(f"one-frame render:                                    {render * 1000:8.1f} ms")
    print(f"ratio acting/render: {ratio * 100:.1f}% (goal <= {GOAL * 100:.0f}%) {'PASS' if ratio <= GOAL else 'MISS'}")


if __name__ == "__main__":
    main()
