"""Characters that act: rendered frames move, dialogue pairs face each other, walks arrive, prepared = built.

Shots are built by the real renderer in a bpy subprocess (:data:`PROBE`), which
reports bone and root positions at chosen frames and renders chosen frames
with Cycles (160x90, 2 samples), so frames far apart in a longer clip are
compared without rendering every frame in between.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from render_jobs import WORKER_TIMEOUT_S, load_presets, make_job, run_worker, worker_env, write_job

from production_assets.acting.registry import ACTION_NAMES
from production_assets.acting.staging import Performer, stage_shot
from production_assets.model.acting import ActionClip, ActionRequest
from production_assets.model.presets import WardrobeLook
from production_assets.model.render_job import RenderJob
from production_assets.render.prepare_contract import character_prepare_job

PROBE = """
import json, sys
import bpy
from bpy_extras.object_utils import world_to_camera_view
from production_assets.model.render_job import RenderJob
from production_assets.render.frames import render_one_frame
from production_assets.render.shot import build_shot

report = []
for entry in json.loads(open(sys.argv[1]).read()):
    job = RenderJob.model_validate(entry["job"])
    scene = build_shot(job)
    frames = {}
    for frame in entry["frames"]:
        scene.frame_set(frame)
        characters = {}
        for placement in job.characters:
            root = bpy.data.objects[placement.name + ".root"]
            rig = next((o for o in root.children_recursive if o.type == "ARMATURE"), None)
            bones = {}
            for pose_bone in (rig.pose.bones if rig else []):
                matrix = rig.matrix_world @ pose_bone.matrix
                bones[pose_bone.name] = {
                    "head": list(matrix.translation),
                    "location": list(pose_bone.location),
                    "axes": [list(matrix.to_3x3().normalized().col[i]) for i in range(3)],
                    "view": list(world_to_camera_view(scene, scene.camera, matrix.translation)),
                }
            characters[placement.name] = {"root": list(root.matrix_world.translation), "bones": bones}
        frames[str(frame)] = {"characters": characters, "camera": list(scene.camera.matrix_world.translation)}
        if entry.get("render"):
            render_one_frame(scene, frame, job.frames_dir + "/frame_%04d.png" % frame)
    report.append(frames)
json.dump(report, open(sys.argv[2], "w"))
"""
BLOCK = 4


def probe(folder: Path, jobs: list[RenderJob], frames: list[int], render: bool = False) -> list[dict[str, Any]]:
    """Build each job's shot in one bpy process; report (and render) ``frames``."""
    entries = [{"job": json.loads(job.model_dump_json()), "frames": frames, "render": render} for job in jobs]
    for job in jobs:
        Path(job.frames_dir).mkdir(parents=True, exist_ok=True)
    jobs_path, report_path = folder / "probe_jobs.json", folder / "probe_report.json"
    jobs_path.write_text(json.dumps(entries), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(jobs_path), str(report_path)],
        env=worker_env(),
        capture_output=True,
        text=True,
        timeout=WORKER_TIMEOUT_S * 2,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(report_path.read_text(encoding="utf-8"))


def read_image(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"), dtype=np.float64)


def changed_blocks(first: Path, second: Path) -> int:
    """How many 4x4 pixel blocks change by more than 12 levels (block means: sampling noise averages out)."""

    def blocks(image: np.ndarray) -> np.ndarray:
        height, width = image.shape[0] // BLOCK * BLOCK, image.shape[1] // BLOCK * BLOCK
        return image[:height, :width].reshape(height // BLOCK, BLOCK, width // BLOCK, BLOCK, 3).mean(axis=(1, 3))

    return int(np.sum(np.abs(blocks(read_image(first)) - blocks(read_image(second))).max(axis=-1) > 12))


def frame_path(job: RenderJob, frame: int) -> Path:
    return Path(job.frames_dir) / f"frame_{frame:04d}.png"


DESTINATIONS = {"walk": (1.0, 0.0), "run": (2.0, 0.0)}


def test_every_action_visibly_moves_the_body_in_a_static_shot(tmp_path: Path) -> None:
    jobs = {}
    for name in ACTION_NAMES:
        job = make_job(tmp_path / name, "medium", frame_count=24, resolution=(160, 90), samples=2)
        if name != "idle":
            job.characters[0].actions = [ActionClip(name=name, start_frame=1, end_frame=24, to=DESTINATIONS.get(name))]
        jobs[name] = job
    still = make_job(tmp_path / "still", "medium", frame_count=24, resolution=(160, 90), samples=2)
    still.characters = []

    probe(tmp_path, [*jobs.values(), still], [1, 24], render=True)

    assert changed_blocks(frame_path(still, 1), frame_path(still, 24)) == 0
    moved = {name: changed_blocks(frame_path(job, 1), frame_path(job, 24)) for name, job in jobs.items()}
    assert min(moved.values()) >= 30, moved


def test_once_actions_play_within_a_three_frame_shot_through_the_worker(tmp_path: Path) -> None:
    jobs = []
    for name, to in (("sit", None), ("fall", None), ("turn", (1.0, 0.0)), ("point", (-2.0, -1.0)), ("wave", None)):
        job = make_job(tmp_path / name, "medium", frame_count=3, resolution=(160, 90), samples=2)
        job.characters[0].actions = [ActionClip(name=name, start_frame=1, end_frame=3, to=to)]
        jobs.append(job)

    result = run_worker(tmp_path, *(write_job(job) for job in jobs))

    assert result.returncode == 0, result.stderr
    for job in jobs:
        assert changed_blocks(frame_path(job, 1), frame_path(job, 3)) >= 20, job.characters[0].actions[0].name


def head_forward(bone: dict[str, Any]) -> np.ndarray:
    """The built-in head's forward: its local Z axis (forward, -Y, at rest)."""
    return np.array(bone["axes"][2])


def angle_deg(a: np.ndarray, b: np.ndarray) -> float:
    cosine = float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))
    return math.degrees(math.acos(max(-1.0, min(1.0, cosine))))


def test_a_dialogue_two_shot_shows_the_pair_facing_each_other(tmp_path: Path) -> None:
    job = make_job(tmp_path / "two_shot", "two_shot", characters=2, frame_count=48)
    performers = [Performer("Actor0"), Performer("Actor1", "builtin:child")]
    action = {"Actor0": [ActionRequest(name="talk")], "Actor1": [ActionRequest(name="listen")]}
    staged = stage_shot(performers, job.frame_count, shares_dialogue=True, action=action)
    job.characters = [
        placement.model_copy(update={"model": performer.model, **staged[performer.name].placement_fields()})
        for placement, performer in zip(job.characters, performers, strict=True)
    ]

    report = probe(tmp_path, [job], [1, 20, 48])[0]

    for frame in ("1", "20", "48"):
        first, second = (report[frame]["characters"][name]["bones"] for name in ("Actor0", "Actor1"))
        between = np.subtract(second["head"]["head"], first["head"]["head"])
        assert angle_deg(head_forward(first["head"]), between) < 20.0, frame
        assert angle_deg(head_forward(second["head"]), -between) < 20.0, frame
        for bones in (first, second):
            assert 0.05 < bones["head"]["view"][0] < 0.95 and bones["head"]["view"][2] > 0, "both heads in frame"


def test_a_walk_goes_from_its_mark_to_its_destination_and_stops(tmp_path: Path) -> None:
    job = make_job(tmp_path / "walk", "wide", frame_count=72)
    job.characters[0].actions = [ActionClip(name="walk", start_frame=1, end_frame=72, to=(1.5, 0.8))]

    report = probe(tmp_path, [job], [1, 36, 66, 72])[0]

    roots = {frame: np.array(report[frame]["characters"]["Actor0"]["root"]) for frame in report}
    assert roots["1"] == pytest.approx([0.0, 0.0, 0.0], abs=1e-6)
    assert math.dist(roots["72"][:2], (1.5, 0.8)) < 0.03
    assert 0.3 < math.dist(roots["36"][:2], (0.0, 0.0)) < 1.5
    assert math.dist(roots["66"], roots["72"]) < 1e-3, "arrived and stopped"
    bones = report["72"]["characters"]["Actor0"]["bones"]
    assert all(bones[f"foot.{side}"]["head"][2] < 0.12 for side in "LR"), "standing on both feet"
    assert np.array(bones["head"]["axes"][2])[:2] @ np.array([1.5, 0.8]) > 0, "faces the way it walked"
    for side in "LR":
        view = report["1"]["characters"]["Actor0"]["bones"][f"foot.{side}"]["view"], bones[f"foot.{side}"]["view"]
        assert all(0.0 < v[0] < 1.0 and 0.0 < v[1] < 1.0 for v in view), "framed over the whole path"


GREEN = (0.05, 0.8, 0.05)


def test_a_prepared_character_acts_exactly_like_one_built_in_process(tmp_path: Path) -> None:
    look = WardrobeLook.model_validate(load_presets("wardrobes")["hero_casual"])
    blend = tmp_path / "build" / "Actor0.blend"
    prepare = character_prepare_job("Actor0", "builtin:mannequin_female", {"casual": look}, blend, "v1")
    (tmp_path / "prepare.json").write_text(prepare.model_dump_json(), encoding="utf-8")
    command = [sys.executable, "-m", "production_assets.render.prepare", "--job", str(tmp_path / "prepare.json")]
    prepared = subprocess.run(command, env=worker_env(), capture_output=True, text=True, timeout=WORKER_TIMEOUT_S)
    assert prepared.returncode == 0, prepared.stderr
    built = make_job(tmp_path / "built", "medium", frame_count=24, resolution=(160, 90), samples=2)
    built.characters[0].model, built.characters[0].look_name = "builtin:mannequin_female", "casual"
    built.characters[0].actions = [ActionClip(name="wave", start_frame=1, end_frame=24)]
    built.characters[0].look_at = "camera"
    from_file = built.model_copy(
        update={
            "frames_dir": str(tmp_path / "from_file" / "frames"),
            "characters": [built.characters[0].model_copy(update={"prepared_blend": str(blend)})],
        }
    )

    reports = probe(tmp_path, [built, from_file], [1, 24], render=True)

    for frame in ("1", "24"):
        ours, theirs = (report[frame]["characters"]["Actor0"]["bones"] for report in reports)
        assert set(ours) == set(theirs)
        for name in ours:
            assert ours[name]["head"] == pytest.approx(theirs[name]["head"], abs=1e-5), (frame, name)
        difference = read_image(frame_path(built, int(frame))) - read_image(frame_path(from_file, int(frame)))
        assert np.abs(difference).mean() < 1.0
    assert changed_blocks(frame_path(from_file, 1), frame_path(from_file, 24)) >= 30
