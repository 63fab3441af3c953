"""The built-in rigged bodies: bones, parts on bones, a face that moves, three sizes, prepared files keep it all."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from render_jobs import WORKER_TIMEOUT_S, worker_env

from production_assets.acting.bodies import BODIES, BONE_NAMES, BUILTIN_MODELS
from production_assets.model.presets import WardrobeLook
from production_assets.render.prepare_contract import character_prepare_job

RIG_PROBE = """
import json, math, sys
import bpy
from mathutils import Quaternion, Vector
from production_assets.model.presets import WardrobeLook
from production_assets.render.mannequin import ROLE_PROPERTY, build_body, look_materials
from production_assets.render.scene import reset_scene

def extent(objects):
    corners = [o.matrix_world @ Vector(c) for o in objects for c in o.bound_box]
    return [min(c[i] for c in corners) for i in range(3)], [max(c[i] for c in corners) for i in range(3)]

def centres(objects):
    return {o.name: list(o.matrix_world @ (sum((Vector(c) for c in o.bound_box), Vector()) / 8)) for o in objects}

def size(obj):
    low, high = extent([obj])
    return [h - l for l, h in zip(low, high)]

report = {}
for model in sys.argv[2:]:
    scene = reset_scene()
    if model.endswith(".blend"):
        with bpy.data.libraries.load(model) as (source, target):
            target.objects = list(source.objects)
        objects = [o for o in target.objects if o is not None]
        for obj in objects:
            scene.collection.objects.link(obj)
        objects.sort(key=lambda o: o.type != "ARMATURE")
    else:
        objects = build_body("X", model, look_materials("X", WardrobeLook()), scene.collection)
    rig, parts = objects[0], [o for o in objects[1:] if o.type == "MESH"]
    bpy.context.view_layer.update()
    low, high = extent(parts)
    before = centres(parts)
    sizes_before = {name: size(bpy.data.objects[name]) for name in ("X.eye.L", "X.mouth")}
    rig.pose.bones["upper_arm.L"].rotation_quaternion = Quaternion((1, 0, 0), math.radians(-90))
    rig.pose.bones["eye.L"].scale = (1, 1, 0.1)
    rig.pose.bones["mouth"].scale = (1, 1, 4)
    bpy.context.view_layer.update()
    after = centres(parts)
    report[model] = {
        "rig_type": rig.type,
        "bones": [bone.name for bone in rig.data.bones],
        "parents": {o.name: [o.parent.name if o.parent else None, o.parent_type, o.parent_bone] for o in parts},
        "roles": {o.name: o.get(ROLE_PROPERTY) for o in parts},
        "height": high[2] - low[2],
        "lowest": low[2],
        "moved": sorted(name for name in before if max(abs(a - b) for a, b in zip(before[name], after[name])) > 1e-4),
        "sizes_before": sizes_before,
        "sizes_after": {name: size(bpy.data.objects[name]) for name in ("X.eye.L", "X.mouth")},
    }
json.dump(report, open(sys.argv[1], "w"))
"""


def run_rig_probe(folder: Path, *models: str) -> dict[str, Any]:
    report = folder / "rig_report.json"
    result = subprocess.run(
        [sys.executable, "-c", RIG_PROBE, str(report), *models],
        env=worker_env(),
        capture_output=True,
        text=True,
        timeout=WORKER_TIMEOUT_S,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(report.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def bodies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return run_rig_probe(tmp_path_factory.mktemp("rig"), *BUILTIN_MODELS)


@pytest.mark.parametrize("model", BUILTIN_MODELS)
def test_every_built_in_body_has_the_named_bones_and_every_part_hangs_on_one(bodies: dict, model: str) -> None:
    body = bodies[model]
    assert body["rig_type"] == "ARMATURE"
    assert sorted(body["bones"]) == sorted(BONE_NAMES)
    for name, (parent, parent_type, bone) in body["parents"].items():
        assert (parent, parent_type) == ("X.rig", "BONE"), name
        assert bone in BONE_NAMES, name


@pytest.mark.parametrize("model", BUILTIN_MODELS)
def test_bodies_stand_on_the_ground_at_their_own_heights(bodies: dict, model: str) -> None:
    assert bodies[model]["lowest"] == pytest.approx(0.0, abs=1e-3)
    assert bodies[model]["height"] == pytest.approx(BODIES[model].height, abs=0.01)


def test_parts_follow_their_bones(bodies: dict) -> None:
    moved = bodies["builtin:mannequin"]["moved"]
    left_arm = {"X.forearm.L", "X.elbow.L", "X.hand.L", "X.upper_arm.L"}
    assert left_arm <= set(moved)
    assert not {name for name in moved if name.endswith(".R") or "head" in name or "thigh" in name}


def test_the_face_has_eyes_brows_and_a_mouth_that_blink_and_open(bodies: dict) -> None:
    body = bodies["builtin:mannequin"]
    roles = body["roles"]
    assert {roles[f"X.eye.{s}"] for s in "LR"} == {"eye_white"} and {roles[f"X.iris.{s}"] for s in "LR"} == {"iris"}
    assert roles["X.mouth"] == "mouth" and {roles[f"X.brow.{s}"] for s in "LR"} == {"hair"}
    eye_before, eye_after = body["sizes_before"]["X.eye.L"][2], body["sizes_after"]["X.eye.L"][2]
    assert eye_after == pytest.approx(eye_before * 0.1, rel=0.05)
    mouth_before, mouth_after = body["sizes_before"]["X.mouth"][2], body["sizes_after"]["X.mouth"][2]
    assert mouth_after == pytest.approx(mouth_before * 4, rel=0.05)


def test_a_prepared_body_carries_its_rig_and_face(tmp_path: Path) -> None:
    blend = tmp_path / "X.blend"
    job = character_prepare_job("X", "builtin:child", {"default": WardrobeLook()}, blend, "v1")
    (tmp_path / "prepare.json").write_text(job.model_dump_json(), encoding="utf-8")
    command = [sys.executable, "-m", "production_assets.render.prepare", "--job", str(tmp_path / "prepare.json")]
    prepared = subprocess.run(command, env=worker_env(), capture_output=True, text=True, timeout=WORKER_TIMEOUT_S)
    assert prepared.returncode == 0, prepared.stderr

    loaded = run_rig_probe(tmp_path, str(blend))[str(blend)]

    assert sorted(loaded["bones"]) == sorted(BONE_NAMES)
    assert all(parent_type == "BONE" for _, parent_type, _ in loaded["parents"].values())
    assert loaded["height"] == pytest.approx(BODIES["builtin:child"].height, abs=0.01)
    assert {"X.mouth", "X.eye.L", "X.iris.R", "X.brow.L"} <= set(loaded["roles"])
    assert loaded["sizes_after"]["X.mouth"][2] == pytest.approx(loaded["sizes_before"]["X.mouth"][2] * 4, rel=0.05)
