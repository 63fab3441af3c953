"""Framing from blocking: across the line of action, and over the shoulder (no bpy)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from render_jobs import load_presets

from production_assets.model.presets import ShotTemplate
from production_assets.render.framing import (
    Figure,
    frame_over_the_shoulder,
    frame_subjects,
    horizontal_fov_deg,
    is_over_the_shoulder,
    line_of_action_yaw,
    poses_for_shot,
)

ASPECT = 16 / 9
OTS = ShotTemplate.model_validate(load_presets("shot_templates")["over_the_shoulder"])


def camera_forward(rotation_euler: tuple[float, float, float]) -> np.ndarray:
    """Where a Blender camera with this XYZ rotation looks (its -Z axis), horizontally."""
    pitch, _, yaw = rotation_euler
    return np.array([-math.sin(yaw) * math.sin(pitch), math.cos(yaw) * math.sin(pitch)])


def bearing_deg(origin: np.ndarray, forward: np.ndarray, point: tuple[float, float]) -> float:
    """Signed horizontal angle of ``point`` off the camera's axis (positive: to the camera's left)."""
    toward = np.array(point) - origin
    return math.degrees(math.atan2(forward[0] * toward[1] - forward[1] * toward[0], forward @ toward))


def test_the_line_of_action_yaw_looks_across_the_pair_from_the_minus_y_side() -> None:
    left, right = Figure((-0.7, 0.0), 1.8), Figure((0.7, 0.0), 1.8)
    assert line_of_action_yaw(left, right) == pytest.approx(0.0)
    assert line_of_action_yaw(right, left) == pytest.approx(0.0)
    assert line_of_action_yaw(Figure((0.0, 0.0), 1.8), Figure((0.0, 2.0), 1.8)) == pytest.approx(-90.0)
    assert line_of_action_yaw(Figure((0.0, 0.0), 1.8), Figure((1.0, 1.0), 1.8)) == pytest.approx(45.0)


def test_a_two_shot_across_a_rotated_pair_sees_both_side_by_side() -> None:
    template = ShotTemplate.model_validate(load_presets("shot_templates")["two_shot"])
    first, second = Figure((0.0, -0.7), 1.8), Figure((0.0, 0.7), 1.8)
    yaw = template.yaw + line_of_action_yaw(first, second)
    framing = frame_subjects(template, (-0.3, -1.0, 0.0), (0.3, 1.0, 1.8), ASPECT, yaw_deg=yaw)
    pose = poses_for_shot(template, framing, 1)[0]
    origin, forward = np.array(pose.location[:2]), camera_forward(pose.rotation_euler)
    bearings = [bearing_deg(origin, forward, figure.position) for figure in (first, second)]
    assert abs(forward @ np.array([0.0, 1.0])) < 1e-6, "looks across the line, not along it"
    assert bearings[0] * bearings[1] < 0 and all(abs(b) > 5 for b in bearings)


@pytest.mark.parametrize("turn_deg", [0.0, 90.0, 200.0])
def test_over_the_shoulder_looks_at_the_first_character_past_the_seconds_shoulder(turn_deg: float) -> None:
    turn = math.radians(turn_deg)

    def placed(x: float, y: float) -> tuple[float, float]:
        return (x * math.cos(turn) - y * math.sin(turn), x * math.sin(turn) + y * math.cos(turn))

    subject, foreground = Figure(placed(-0.7, 0.0), 1.8), Figure(placed(0.7, 0.0), 1.7)
    assert is_over_the_shoulder(OTS, 2) and not is_over_the_shoulder(OTS, 1)

    framing = frame_over_the_shoulder(OTS, subject, foreground, ASPECT)
    pose = poses_for_shot(OTS, framing, 1)[0]

    origin, forward = np.array(pose.location[:2]), camera_forward(pose.rotation_euler)
    assert math.dist(origin, subject.position) > math.dist(origin, foreground.position) + 0.5, "behind the shoulder"
    half_fov = horizontal_fov_deg(OTS.lens) / 2.0
    subject_bearing = bearing_deg(origin, forward, subject.position)
    foreground_bearing = bearing_deg(origin, forward, foreground.position)
    assert 0.0 < -subject_bearing < 0.4 * half_fov, "subject a little off-centre, away from the shoulder"
    assert 0.6 * half_fov < foreground_bearing < 1.5 * half_fov, "the shoulder at the frame's edge"
    assert pose.location[2] == pytest.approx(framing.target[2])


def test_single_subject_templates_keep_their_own_yaw_and_side_offset() -> None:
    framing = frame_subjects(OTS, (-0.3, -0.2, 0.0), (0.3, 0.2, 1.8), ASPECT)
    assert (framing.yaw_deg, framing.side_offset, framing.pan_deg) == (OTS.yaw, OTS.side_offset, 0.0)
