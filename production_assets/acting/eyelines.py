"""Eyelines: where each character's head and eyes aim (no bpy).

A character looks at, in order of precedence: its ``look_at`` request (another
character's name: that character's eyes at its mark; ``"camera"``: the shot
camera, resolved by the renderer frame by frame; a point [x, y, z]); else the
character it faces in the blocking (its eyes); else nothing, which the
renderer reads as straight ahead along the facing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from production_assets.acting.blocking import CAMERA, Mark, check_shot_names
from production_assets.errors import UnknownReferenceError
from production_assets.model.acting import LookAtRequest, LookTarget
from production_assets.model.base import Vec3
from production_assets.suggest import did_you_mean


def eye_point(mark: Mark, eye_height: float) -> Vec3:
    """The eyes of a character standing on ``mark``."""
    return (mark.position[0], mark.position[1], eye_height)


def resolve_eyelines(
    characters: Sequence[str],
    marks: Mapping[str, Mark],
    eye_heights: Mapping[str, float],
    look_at: Mapping[str, LookAtRequest] | None = None,
) -> dict[str, LookTarget | None]:
    """Each character's head target: a world point, ``"camera"``, or None (straight ahead).

    ``eye_heights`` are the characters' eye heights above their feet
    (:func:`production_assets.acting.bodies.eye_height`).
    """
    look_at = dict(look_at or {})
    check_shot_names(characters, look_at, "look_at")
    targets: dict[str, LookTarget | None] = {}
    for name in characters:
        request = look_at.get(name)
        if request is None:
            faced = marks[name].faces
            targets[name] = eye_point(marks[faced], eye_heights[faced]) if faced else None
        elif isinstance(request, str):
            targets[name] = _named_target(name, request, characters, marks, eye_heights)
        else:
            targets[name] = (float(request[0]), float(request[1]), float(request[2]))
    return targets


def _named_target(
    name: str, request: str, characters: Sequence[str], marks: Mapping[str, Mark], eye_heights: Mapping[str, float]
) -> LookTarget:
    if request == CAMERA:
        return CAMERA
    if request not in marks or request == name:
        raise UnknownReferenceError(
            f"look_at: {name!r} looks at {request!r}, which is neither another character in the shot nor 'camera'",
            suggestion=did_you_mean(request, [*(other for other in characters if other != name), CAMERA]),
        )
    return eye_point(marks[request], eye_heights[request])
