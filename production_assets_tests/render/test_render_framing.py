"""Camera framing maths (no bpy)."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from render_jobs import worker_env

from production_assets.model.presets import ShotTemplate
from production_assets.render.framing import (
    SENSOR_WIDTH_MM,
    distance_to_fill_height,
    frame_set,
    frame_subjects,
    poses_for_shot,
    visible_height,
)

FIGURE = ((-0.3, -0.2, 0.0), (0.3, 0.2, 1.8))
ASPECT = 16 / 9


def project_height(point_z: float, camera_z: float, depth: float, lens: float) -> float:
    """Vertical image coordinate (-1 bottom .. 1 top) of a point seen by a level camera."""
    half_sensor_height = SENSOR_WIDTH_MM / ASPECT / 2.0
    return (point_z - camera_z) / depth * lens / half_sensor_height


def test_close_up_stands_closer_than_wide_for_the_same_subject() -> None:
    wide = frame_subjects(ShotTemplate(lens=35, frame_low=0.0, frame_high=1.0, margin=1.2), *FIGURE, ASPECT)
    close = frame_subjects(ShotTemplate(lens=35, frame_low=0.76, frame_high=1.0, margin=1.2), *FIGURE, ASPECT)
    assert close.distance < wide.distance / 3


def test_band_fills_the_frame_height_exactly_with_margin() -> None:
    template = ShotTemplate(lens=50, frame_low=0.5, frame_high=1.0, margin=1.0)
    framing = frame_subjects(template, *FIGURE, ASPECT)
    pose = poses_for_shot(template, framing, 1)[0]
    depth = framing.distance
    bottom = project_height(0.9, pose.location[2], depth, template.lens)
    top = project_height(1.8, pose.location[2], depth, template.lens)
    assert bottom == pytest.approx(-1.0)
    assert top == pytest.approx(1.0)


def test_margin_leaves_air_around_the_band() -> None:
    template = ShotTemplate(lens=50, frame_low=0.0, frame_high=1.0, margin=1.5)
    framing = frame_subjects(template, *FIGURE, ASPECT)
    assert visible_height(framing.distance, 50, SENSOR_WIDTH_MM, ASPECT) == pytest.approx(1.8 * 1.5)


def test_a_close_up_aims_at_the_head() -> None:
    framing = frame_subjects(ShotTemplate(lens=85, frame_low=0.76, frame_high=1.0), *FIGURE, ASPECT)
    assert framing.target[2] == pytest.approx(1.8 * 0.88)


def test_wide_group_is_fitted_by_width() -> None:
    template = ShotTemplate(lens=35, frame_low=0.5, frame_high=1.0, margin=1.0)
    group = ((-3.0, -0.2, 0.0), (3.0, 0.2, 1.8))
    framing = frame_subjects(template, *group, ASPECT)
    assert framing.distance == pytest.approx(6.0 * 35 / SENSOR_WIDTH_MM)


def test_distance_scales_with_lens() -> None:
    long_lens = distance_to_fill_height(1.0, 100, 36, ASPECT)
    assert long_lens == pytest.approx(2 * distance_to_fill_height(1.0, 50, 36, ASPECT))


def test_yaw_zero_camera_stands_at_minus_y_looking_plus_y() -> None:
    template = ShotTemplate(lens=50)
    pose = poses_for_shot(template, frame_subjects(template, *FIGURE, ASPECT), 1)[0]
    assert pose.location[0] == pytest.approx(0.0)
    assert pose.location[1] < -1.0
    assert pose.rotation_euler == pytest.approx((math.radians(90), 0.0, 0.0))


def test_positive_angle_looks_down_from_above_the_target() -> None:
    template = ShotTemplate(lens=50, angle=30)
    framing = frame_subjects(template, *FIGURE, ASPECT)
    pose = poses_for_shot(template, framing, 1)[0]
    assert pose.location[2] == pytest.approx(framing.target[2] + framing.distance * 0.5)
    assert pose.rotation_euler[0] == pytest.approx(math.radians(60))


def test_yaw_orbits_the_camera_around_the_target_at_the_same_distance() -> None:
    template = ShotTemplate(lens=50, yaw=90)
    framing = frame_subjects(template, *FIGURE, ASPECT)
    x, y, _ = poses_for_shot(template, framing, 1)[0].location
    assert math.hypot(x - framing.target[0], y - framing.target[1]) == pytest.approx(framing.distance)
    assert x == pytest.approx(framing.distance)


@pytest.mark.parametrize(("move", "closer_at_end"), [("dolly_in", True), ("dolly_out", False)])
def test_dolly_changes_distance_by_move_amount(move: str, closer_at_end: bool) -> None:
    template = ShotTemplate(lens=50, move=move, move_amount=0.2)
    framing = frame_subjects(template, *FIGURE, ASPECT)
    poses = poses_for_shot(template, framing, 10)
    first, last = (-pose.location[1] for pose in (poses[0], poses[-1]))
    assert first == pytest.approx(framing.distance)
    assert last == pytest.approx(framing.distance * (0.8 if closer_at_end else 1.2))


def test_orbit_sweeps_move_amount_times_half_a_turn() -> None:
    template = ShotTemplate(lens=50, move="orbit", move_amount=0.25)
    poses = poses_for_shot(template, frame_subjects(template, *FIGURE, ASPECT), 5)
    assert math.degrees(poses[-1].rotation_euler[2] - poses[0].rotation_euler[2]) == pytest.approx(45.0)


def test_pan_turns_the_camera_in_place() -> None:
    template = ShotTemplate(lens=24, move="pan", move_amount=0.15)
    poses = poses_for_shot(template, frame_subjects(template, *FIGURE, ASPECT), 5)
    assert poses[0].location == pytest.approx(poses[-1].location)
    assert poses[0].rotation_euler[2] != pytest.approx(poses[-1].rotation_euler[2])


def test_set_shots_frame_twelve_metres_around_the_origin() -> None:
    framing = frame_set(ShotTemplate(lens=24, subject="set", margin=1.0))
    assert framing.distance == pytest.approx(12.0 * 24 / SENSOR_WIDTH_MM)
    assert framing.target[:2] == (0.0, 0.0)


def test_framing_maths_imports_without_bpy() -> None:
    code = "import sys, production_assets.render.framing; assert 'bpy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, env=worker_env(), timeout=60)
