"""Default blocking and eyelines: marks, facing, head targets (no bpy)."""

from __future__ import annotations

import math
import re

import pytest

from production_assets.acting.blocking import BlockingError, Mark, block_shot, facing_toward
from production_assets.acting.eyelines import resolve_eyelines
from production_assets.errors import UnknownReferenceError
from production_assets.model.acting import BlockingRequest


def forward(mark: Mark) -> tuple[float, float]:
    """Where a character faces: facing 0 is -Y, counter-clockwise seen from above."""
    angle = math.radians(mark.facing_deg)
    return math.sin(angle), -math.cos(angle)


def faces(mark: Mark, point: tuple[float, float], within_deg: float = 1.0) -> bool:
    toward = (point[0] - mark.position[0], point[1] - mark.position[1])
    look = forward(mark)
    cosine = (toward[0] * look[0] + toward[1] * look[1]) / math.hypot(*toward)
    return cosine >= math.cos(math.radians(within_deg))


def test_facing_convention_zero_faces_minus_y_ninety_faces_plus_x() -> None:
    assert facing_toward((0.0, 0.0), (0.0, -3.0)) == pytest.approx(0.0)
    assert facing_toward((0.0, 0.0), (2.0, 0.0)) == pytest.approx(90.0)
    assert facing_toward((0.0, 0.0), (-2.0, 0.0)) == pytest.approx(-90.0)


def test_a_dialogue_pair_stands_about_a_metre_and_a_half_apart_facing_each_other() -> None:
    marks = block_shot(["Hero", "Villain"], shares_dialogue=True)
    hero, villain = marks["Hero"], marks["Villain"]
    assert 1.2 <= math.dist(hero.position, villain.position) <= 1.6
    assert faces(hero, villain.position) and faces(villain, hero.position)
    assert (hero.faces, villain.faces) == ("Villain", "Hero")
    assert hero.position[0] < villain.position[0], "the first character is on the left of a camera at yaw 0"


def test_characters_without_shared_dialogue_face_the_camera_side() -> None:
    marks = block_shot(["A", "B", "C"], shares_dialogue=False)
    assert [mark.position for mark in marks.values()] == [(-0.9, 0.0), (0.0, 0.0), (0.9, 0.0)]
    for mark in marks.values():
        assert forward(mark)[1] < -0.9, "toward a camera at -Y"
    assert block_shot(["Solo"], camera_yaw_deg=30.0)["Solo"].facing_deg == pytest.approx(30.0)


def test_a_dialogue_group_faces_its_centre() -> None:
    marks = block_shot(["A", "B", "C"], shares_dialogue=True)
    centre = (sum(m.position[0] for m in marks.values()) / 3, sum(m.position[1] for m in marks.values()) / 3)
    assert all(faces(mark, centre) for mark in marks.values())


def test_marks_and_facing_requests_override_the_defaults() -> None:
    blocking = {
        "Hero": BlockingRequest(mark=(0.0, 0.0), facing="Villain"),
        "Villain": BlockingRequest(mark=(2.0, 2.0), facing="camera"),
        "Kid": BlockingRequest(facing=45.0),
    }
    marks = block_shot(["Hero", "Villain", "Kid"], True, blocking, camera_yaw_deg=10.0)
    assert marks["Hero"].position == (0.0, 0.0)
    assert faces(marks["Hero"], (2.0, 2.0))
    assert marks["Villain"].facing_deg == pytest.approx(10.0)
    assert marks["Kid"].facing_deg == 45.0


def test_blocking_errors_name_the_problem_and_suggest() -> None:
    with pytest.raises(UnknownReferenceError, match=re.escape("did you mean 'Villain'?")):
        block_shot(["Hero", "Villain"], blocking={"Hero": BlockingRequest(facing="Vilain")})
    with pytest.raises(UnknownReferenceError, match="'Heroo' is not a character in the shot"):
        block_shot(["Hero"], blocking={"Heroo": BlockingRequest(mark=(0.0, 0.0))})
    with pytest.raises(BlockingError, match="cannot face itself"):
        block_shot(["Hero"], blocking={"Hero": BlockingRequest(facing="Hero")})
    same_mark = {"A": BlockingRequest(mark=(1, 1)), "B": BlockingRequest(mark=(1, 1), facing="A")}
    with pytest.raises(BlockingError, match="same mark"):
        block_shot(["A", "B"], blocking=same_mark)


def test_eyelines_aim_at_the_faced_characters_eyes_the_camera_or_a_point() -> None:
    names = ["Hero", "Kid", "Extra"]
    marks = block_shot(names, False, {"Hero": BlockingRequest(facing="Kid")})
    eyes = {"Hero": 1.7, "Kid": 1.1, "Extra": 1.6}
    targets = resolve_eyelines(names, marks, eyes, {"Kid": "camera", "Extra": [1.0, 2.0, 3.0]})
    assert targets["Hero"] == (*marks["Kid"].position, 1.1)
    assert targets["Kid"] == "camera"
    assert targets["Extra"] == (1.0, 2.0, 3.0)
    assert resolve_eyelines(names, marks, eyes)["Extra"] is None
    with pytest.raises(UnknownReferenceError, match=re.escape("did you mean 'Kid'?")):
        resolve_eyelines(names, marks, eyes, {"Hero": "Kidd"})
