"""Model files that act: a Mixamo-named rig takes the library, a .blend plays its own 'walk', a statue warns.

The rigs are built in a bpy subprocess here (:data:`MAKE_RIGS`): a Mixamo-named
armature in T-pose as an FBX import leaves it (rotated to Y-up, scaled 0.01,
centimetres), with boxes hung on its bones; a one-bone armature whose .blend
carries an action named ``walk``; and an OBJ box without any armature.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from render_jobs import make_job, worker_env
from test_render_acting import changed_blocks, frame_path, probe

from production_assets.model.acting import ActionClip
from production_assets.model.presets import WardrobeLook
from production_assets.model.render_job import CharacterPlacement

MAKE_RIGS = """
import math, sys
import bpy
from mathutils import Matrix, Vector

def box(name, centre, half):
    mesh = bpy.data.meshes.new(name)
    x, y, z = half
    corners = [(sx * x, sy * y, sz * z) for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)]
    mesh.from_pydata(corners, [], [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)])
    obj = bpy.data.objects.new(name, mesh)
    bpy.context.scene.collection.objects.link(obj)
    obj.location = centre
    return obj

def hang(obj, rig, bone_name):
    bpy.context.view_layer.update()
    world = obj.matrix_world.copy()
    obj.parent, obj.parent_type, obj.parent_bone = rig, "BONE", bone_name
    bone = rig.data.bones[bone_name]
    tail = rig.matrix_world @ bone.matrix_local @ Matrix.Translation((0, bone.length, 0))
    obj.matrix_parent_inverse = tail.inverted()
    obj.matrix_world = world

def armature(name, bones, rotation=(0, 0, 0), scale=1.0):
    data = bpy.data.armatures.new(name)
    rig = bpy.data.objects.new(name, data)
    bpy.context.scene.collection.objects.link(rig)
    rig.rotation_euler, rig.scale = rotation, (scale,) * 3
    bpy.context.view_layer.objects.active = rig
    bpy.ops.object.mode_set(mode="EDIT")
    for bone_name, head, tail, parent in bones:
        edit = data.edit_bones.new(bone_name)
        edit.head, edit.tail = head, tail
        if parent:
            edit.parent = data.edit_bones[parent]
    bpy.ops.object.mode_set(mode="OBJECT")
    return rig

bpy.ops.wm.read_factory_settings(use_empty=True)
# Mixamo: Y-up centimetres (x, up, -forward), rotated +90 deg about X and scaled 0.01 like an FBX import.
m = "mixamorig:"
spec = [("Hips", (0, 95, 0), (0, 105, 0), None), ("Spine", (0, 105, 0), (0, 118, 0), "Hips"),
        ("Spine1", (0, 118, 0), (0, 130, 0), "Spine"), ("Spine2", (0, 130, 0), (0, 145, 0), "Spine1"),
        ("Neck", (0, 145, 0), (0, 158, 0), "Spine2"), ("Head", (0, 158, 0), (0, 178, 0), "Neck")]
for side, s in (("Left", 1), ("Right", -1)):
    spec += [(side + "Shoulder", (s * 3, 142, 0), (s * 18, 142, 0), "Spine2"),
             (side + "Arm", (s * 18, 142, 0), (s * 45, 142, 0), side + "Shoulder"),
             (side + "ForeArm", (s * 45, 142, 0), (s * 70, 142, 0), side + "Arm"),
             (side + "Hand", (s * 70, 142, 0), (s * 80, 142, 0), side + "ForeArm"),
             (side + "UpLeg", (s * 10, 92, 0), (s * 10, 50, 0), "Hips"),
             (side + "Leg", (s * 10, 50, 0), (s * 10, 9, 0), side + "UpLeg"),
             (side + "Foot", (s * 10, 9, 0), (s * 10, 2, 14), side + "Leg")]
rig = armature("Armature", [(m + n, h, t, m + p if p else None) for n, h, t, p in spec], (math.pi / 2, 0, 0), 0.01)
bpy.context.view_layer.update()
for bone in rig.data.bones:
    head, tail = rig.matrix_world @ bone.head_local, rig.matrix_world @ bone.tail_local
    half = [max(abs(tail[i] - head[i]) / 2, 0.05) for i in range(3)]
    hang(box(bone.name.replace(m, "Body_"), (head + tail) / 2, half), rig, bone.name)
bpy.ops.wm.save_as_mainfile(filepath=sys.argv[1])

bpy.ops.wm.read_factory_settings(use_empty=True)
rig = armature("Rig", [("Body", (0, 0, 0.2), (0, 0, 1.6), None)])
hang(box("Trunk", (0, 0, 0.9), (0.25, 0.15, 0.9)), rig, "Body")
walk = bpy.data.actions.new("walk")
walk.use_fake_user = True
rig.animation_data_create()
rig.animation_data.action = walk
curve = walk.fcurve_ensure_for_datablock(rig, 'pose.bones["Body"].location', index=0)
curve.keyframe_points.insert(1, 0.0).interpolation = "LINEAR"
curve.keyframe_points.insert(11, 0.3).interpolation = "LINEAR"
bpy.ops.wm.save_as_mainfile(filepath=sys.argv[2])
"""
BOX_OBJ = """o Box
v -0.3 -0.3 0
v 0.3 -0.3 0
v 0.3 0.3 0
v -0.3 0.3 0
v 0 0 1.6
f 1 2 3 4
f 1 2 5
f 2 3 5
f 3 4 5
f 4 1 5
"""


@pytest.fixture(scope="module")
def model_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("models")
    files = {"mixamo": folder / "mixamo.blend", "walker": folder / "walker.blend", "box": folder / "box.obj"}
    made = subprocess.run(
        [sys.executable, "-c", MAKE_RIGS, str(files["mixamo"]), str(files["walker"])],
        env=worker_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr[-2000:]
    files["box"].write_text(BOX_OBJ, encoding="utf-8")
    return files


def direction(bones: dict, name: str) -> np.ndarray:
    """A bone's world direction (its Y axis)."""
    return np.array(bones[name]["axes"][1])


def test_a_mixamo_rig_plays_the_library_with_its_t_pose_arms_brought_down(
    tmp_path: Path, model_files: dict[str, Path]
) -> None:
    idle = make_job(tmp_path / "idle", "wide", frame_count=24)
    idle.characters = [CharacterPlacement(name="Mixamo", model=str(model_files["mixamo"]), look=WardrobeLook())]
    waving = make_job(tmp_path / "wave", "medium", frame_count=24, resolution=(160, 90), samples=2)
    wave = ActionClip(name="wave", start_frame=1, end_frame=24)
    waving.characters = [idle.characters[0].model_copy(update={"actions": [wave]})]

    reports = probe(tmp_path, [idle, waving], [1, 24], render=True)

    resting = reports[0]["1"]["characters"]["Mixamo"]["bones"]
    for side in ("Left", "Right"):
        assert direction(resting, f"mixamorig:{side}Arm")[2] < -0.8, "T-pose arms hang down"
        assert direction(resting, f"mixamorig:{side}UpLeg")[2] < -0.9
    assert direction(resting, "mixamorig:Spine")[2] > 0.9
    waved = reports[1]["24"]["characters"]["Mixamo"]["bones"]
    assert direction(waved, "mixamorig:RightArm")[2] > 0.1, "the right arm is raised"
    assert direction(waved, "mixamorig:RightForeArm")[2] > 0.5, "the forearm points up"
    assert direction(waved, "mixamorig:LeftArm")[2] < -0.8
    assert changed_blocks(frame_path(waving, 1), frame_path(waving, 24)) >= 20


def test_a_blend_plays_its_own_walk_while_its_root_travels(tmp_path: Path, model_files: dict[str, Path]) -> None:
    job = make_job(tmp_path / "walker", "wide", frame_count=24)
    clip = ActionClip(name="walk", start_frame=1, end_frame=24, to=(0.6, 0.0))
    job.characters = [
        CharacterPlacement(
            name="Walker", model=str(model_files["walker"]), look=WardrobeLook(), facing_deg=90.0, actions=[clip]
        )
    ]

    report = probe(tmp_path, [job], [1, 6, 24])[0]

    body = {frame: report[frame]["characters"]["Walker"]["bones"]["Body"]["location"][0] for frame in report}
    assert body["1"] == pytest.approx(0.0, abs=1e-4)
    assert body["6"] == pytest.approx(0.15, abs=1e-3), "frame 6 of the file's walk (0 -> 0.3 over frames 1-11)"
    root = report["24"]["characters"]["Walker"]["root"]
    assert math.dist(root[:2], (0.6, 0.0)) < 0.03


def test_a_model_that_cannot_act_holds_its_pose_and_says_so(tmp_path: Path, model_files: dict[str, Path]) -> None:
    job = make_job(tmp_path / "box", "wide", frame_count=2)
    wave = ActionClip(name="wave", start_frame=1, end_frame=2)
    dance = ActionClip(name="dance", start_frame=1, end_frame=2)
    job.characters = [
        CharacterPlacement(name="Box", model=str(model_files["box"]), look=WardrobeLook(), actions=[wave]),
        CharacterPlacement(
            name="Mixamo", model=str(model_files["mixamo"]), look=WardrobeLook(), position=(1, 0, 0), actions=[dance]
        ),
    ]
    script = (
        "import sys; from production_assets.model.render_job import RenderJob; "
        "from production_assets.render.shot import build_shot; "
        "build_shot(RenderJob.model_validate_json(open(sys.argv[1]).read()))"
    )
    job_path = tmp_path / "job.json"
    job_path.write_text(job.model_dump_json(), encoding="utf-8")

    result = subprocess.run(
        [sys.executable, "-c", script, str(job_path)], env=worker_env(), capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr[-2000:]
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: character")]
    assert warnings == [
        "warning: character 'Box' holds its pose: cannot play 'wave': it has no armature",
        "warning: character 'Mixamo': unknown action 'dance', idles instead",
    ]
