"""The action library as numbers: planted feet, arrivals, postures, determinism (no bpy)."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
from render_jobs import worker_env

from production_assets.acting.bodies import BODIES, MANNEQUIN, skeleton
from production_assets.acting.registry import ACTION_NAMES
from production_assets.model.acting import ActionClip
from production_assets.render.kinematics import joint_positions, to_world
from production_assets.render.performance import perform
from production_assets.render.retarget import CONVENTIONS, map_bones
from production_assets.render.timeline import PoseTrack

BONES = skeleton(BODIES[MANNEQUIN])
FPS = 24.0


def act(*clips: ActionClip, frames: int = 72, facing: float = 0.0, name: str = "Hero", scale: float = 1.0) -> PoseTrack:
    return perform(list(clips), frames, FPS, BONES, scale, (0.0, 0.0, 0.0), facing, name)


def world_joint(track: PoseTrack, bone: str, end: int = 0, scale: float = 1.0) -> np.ndarray:
    """A bone's head (end 0) or tail (end 1) in world space, frame by frame."""
    points = joint_positions(BONES, track.rotations, track.hips_offset)[bone][end]
    return to_world(points, track.root_location, track.root_yaw, scale)


GAITS = [("walk", (2.0, 0.0), 1.0, 90.0), ("walk", (1.0, 2.0), 1.4, 0.0), ("run", (4.0, -1.0), 1.0, 80.0)]


@pytest.mark.parametrize(("gait", "to", "speed", "facing"), GAITS)
def test_planted_feet_do_not_skate(gait: str, to: tuple[float, float], speed: float, facing: float) -> None:
    track = act(ActionClip(name=gait, start_frame=1, end_frame=90, to=to, speed=speed), frames=96, facing=facing)
    for side in "LR":
        ankle = world_joint(track, f"foot.{side}")
        grounded = ankle[:, 2] < BONES[f"foot.{side}"].head[2] + 5e-4
        both = grounded[1:] & grounded[:-1]
        slip = np.linalg.norm(np.diff(ankle[:, :2], axis=0), axis=1)[both]
        assert both.sum() > 5
        assert slip.max() < 0.005, f"{side} foot slides {slip.max() * 1000:.1f} mm in a frame"
    moving = np.linalg.norm(np.diff(track.root_location[:, :2], axis=0), axis=1)
    assert moving.max() > (0.06 if gait == "run" else 0.03)


def test_a_walk_arrives_at_its_destination_faces_its_way_and_stops_with_feet_together() -> None:
    track = act(ActionClip(name="walk", start_frame=1, end_frame=70, to=(1.5, 0.8)), frames=96)
    assert track.root_location[0] == pytest.approx([0.0, 0.0, 0.0])
    assert track.root_location[-1][:2] == pytest.approx([1.5, 0.8], abs=1e-6)
    assert math.degrees(track.root_yaw[-1]) == pytest.approx(math.degrees(math.atan2(1.5, -0.8)))
    assert np.ptp(track.root_location[-20:], axis=0).max() == 0.0
    left, right = (world_joint(track, f"foot.{side}")[-1] for side in "LR")
    assert math.dist(left, right) < 0.25
    assert left[2] < 0.11 and right[2] < 0.11


def test_a_walk_cut_short_stops_on_the_way_at_the_clip_end() -> None:
    track = act(ActionClip(name="walk", start_frame=1, end_frame=24, to=(0.0, -5.0)), frames=48)
    travelled = -track.root_location[:, 1]
    assert 0.5 < travelled[23] < 1.3
    assert travelled[23:] == pytest.approx(np.full(25, travelled[23]))


def test_the_walk_stride_is_matched_to_ground_speed_at_any_speed() -> None:
    slow, fast = (act(ActionClip(name="walk", start_frame=1, end_frame=96, to=(0.0, -8.0), speed=s), frames=96)
                  for s in (0.6, 1.8))  # fmt: skip
    assert abs(fast.root_location[60, 1]) > 2 * abs(slow.root_location[60, 1])


def test_sitting_lowers_the_hips_onto_an_imaginary_seat_and_standing_up_returns() -> None:
    track = act(
        ActionClip(name="sit", start_frame=1, end_frame=40),
        ActionClip(name="stand_up", start_frame=50, end_frame=90),
        frames=96,
    )
    hips = world_joint(track, "thigh.L")
    assert hips[0, 2] == pytest.approx(0.92, abs=0.02)
    assert hips[45, 2] < 0.56, "hip joints down near knee height"
    assert hips[45, 1] > 0.3, "sat back"
    assert hips[-1, 2] == pytest.approx(0.92, abs=0.02)
    ankles = world_joint(track, "foot.L")
    assert np.ptp(ankles, axis=0).max() < 0.01, "feet stay where they stand"


def test_a_fall_ends_lying_on_the_floor() -> None:
    track = act(ActionClip(name="fall", start_frame=1, end_frame=30), frames=48)
    head = world_joint(track, "head", end=1)
    assert head[0, 2] > 1.7
    assert head[-1, 2] < 0.35
    assert world_joint(track, "hips")[-1, 2] < 0.3


def test_a_turn_ends_facing_the_other_way_or_toward_its_target() -> None:
    half = act(ActionClip(name="turn", start_frame=1, end_frame=30), frames=36, facing=20.0)
    assert (math.degrees(half.root_yaw[-1]) - 200.0) % 360.0 == pytest.approx(0.0, abs=1e-6)
    toward = act(ActionClip(name="turn", start_frame=1, end_frame=30, to=(3.0, 0.0)), frames=36)
    assert math.degrees(toward.root_yaw[-1]) == pytest.approx(90.0)
    ankle = world_joint(half, "foot.L")
    assert ankle[:, 2].max() > 0.12, "feet step round"


def test_pointing_raises_the_right_arm_toward_the_target() -> None:
    track = act(ActionClip(name="point", start_frame=1, end_frame=24, to=(-3.0, -3.0)), frames=24, facing=0.0)
    shoulder, wrist = world_joint(track, "forearm.R")[-1], world_joint(track, "forearm.R", end=1)[-1]
    aim = (wrist - shoulder)[:2] / np.linalg.norm((wrist - shoulder)[:2])
    target = np.array([-3.0, -3.0]) / math.hypot(3.0, 3.0)
    assert aim @ target > math.cos(math.radians(25))


def test_every_action_moves_some_bone_and_idle_never_freezes() -> None:
    for name in ACTION_NAMES:
        to = (1.0, 0.0) if name in ("walk", "run") else None
        clips = [] if name == "idle" else [ActionClip(name=name, start_frame=1, end_frame=24, to=to)]
        track = act(*clips, frames=24)
        change = max(np.abs(q[0] - q[-1]).max() for q in track.rotations.values())
        assert change > 0.02, name
        steps = [max(np.abs(q[i] - q[i + 1]).max() for q in track.rotations.values()) for i in range(23)]
        assert min(steps) > 0.0, f"{name}: a frozen frame"


def test_talking_opens_the_mouth_in_a_syllable_rhythm_and_blinks_happen() -> None:
    track = act(ActionClip(name="talk", start_frame=1, end_frame=96), frames=96)
    openings = np.sum((track.mouth[1:] > 0.3) & (track.mouth[:-1] <= 0.3))
    assert 8 <= openings <= 20, "about 4 syllables a second"
    assert track.blink.max() > 0.9


def test_performances_are_deterministic_per_character_name() -> None:
    clip = ActionClip(name="talk", start_frame=1, end_frame=48)
    first, again, other = act(clip, name="Hero"), act(clip, name="Hero"), act(clip, name="Villain")
    assert np.array_equal(first.mouth, again.mouth)
    assert all(np.array_equal(first.rotations[b], again.rotations[b]) for b in first.rotations)
    assert not np.array_equal(first.mouth, other.mouth)


def test_bone_conventions_map_rigify_and_mixamo_names() -> None:
    mixamo = [f"mixamorig1:{name}" for name in CONVENTIONS["mixamo"].values()]
    assert map_bones(mixamo)["thigh.L"] == "mixamorig1:LeftUpLeg"
    rigify = list(CONVENTIONS["rigify_deform"].values()) + ["root", "DEF-upper_arm.L.001"]
    assert map_bones(rigify)["chest"] == "DEF-spine.003"
    assert map_bones(["Bone", "Bone.001"]) is None


def test_the_motion_modules_import_without_bpy() -> None:
    modules = "actions, framing, gait, kinematics, performance, pose_layers, retarget, rotations, timeline"
    code = f"import sys; from production_assets.render import {modules}; assert 'bpy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, env=worker_env(), timeout=60)
