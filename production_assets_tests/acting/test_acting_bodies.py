"""Built-in bodies: names, proportions and skeleton (no bpy)."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from production_assets.acting.bodies import (
    BODIES,
    BONE_NAMES,
    BUILTIN_MODELS,
    CHILD,
    MANNEQUIN,
    MANNEQUIN_FEMALE,
    eye_height,
    leg_length,
    skeleton,
)


def test_every_builtin_model_has_proportions_and_the_three_differ_in_height() -> None:
    assert BUILTIN_MODELS == ("builtin:mannequin", "builtin:mannequin_female", "builtin:child")
    assert set(BODIES) == set(BUILTIN_MODELS)
    assert BODIES[CHILD].height < BODIES[MANNEQUIN_FEMALE].height < BODIES[MANNEQUIN].height
    child, adult = BODIES[CHILD], BODIES[MANNEQUIN]
    assert child.head_half[2] / child.height > adult.head_half[2] / adult.height


@pytest.mark.parametrize("model", BUILTIN_MODELS)
def test_skeleton_has_every_bone_parents_first_and_stands_on_the_ground(model: str) -> None:
    bones = skeleton(BODIES[model])
    assert tuple(bones) == BONE_NAMES
    seen: set[str] = set()
    for name, bone in bones.items():
        assert bone.parent is None or bone.parent in seen, name
        seen.add(name)
    assert [name for name, bone in bones.items() if bone.parent is None] == ["hips"]
    assert bones["head"].tail[2] == pytest.approx(BODIES[model].height)
    assert min(min(bone.head[2], bone.tail[2]) for bone in bones.values()) > 0.0
    assert bones["eye.L"].head[0] > 0 > bones["eye.R"].head[0]
    assert bones["eye.L"].head[1] < 0, "the face looks toward -Y"
    assert bones["foot.L"].tail[1] < bones["foot.L"].head[1], "toes point toward -Y"


def test_thigh_and_shin_meet_at_the_knee_and_reach_the_ankle() -> None:
    bones = skeleton(BODIES[MANNEQUIN])
    assert bones["thigh.L"].tail == bones["shin.L"].head
    assert bones["shin.L"].tail == bones["foot.L"].head
    assert math.dist(bones["thigh.L"].head, bones["shin.L"].tail) == pytest.approx(0.82, abs=0.01)


def test_eye_height_scales_with_height_and_scale() -> None:
    natural = eye_height(MANNEQUIN)
    assert natural == pytest.approx(1.705, abs=0.01)
    assert eye_height(MANNEQUIN, height=1.803 / 2) == pytest.approx(natural / 2)
    assert eye_height(CHILD, scale=2.0) == pytest.approx(2 * eye_height(CHILD))
    assert eye_height("/models/hero.glb", height=2.0) == pytest.approx(1.86)
    assert leg_length(MANNEQUIN, height=1.803 / 2) == pytest.approx(0.46)


def test_bodies_import_without_bpy() -> None:
    code = "import sys, production_assets.acting.bodies; assert 'bpy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
