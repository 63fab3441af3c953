"""Default blocking: where a shot's characters stand and which way they face (no bpy).

Without marks, characters who share dialogue in the shot face each other: two
stand :data:`DIALOGUE_SPACING` apart along X (the first on the left as seen
from a camera at yaw 0), three or more on an arc open toward the camera, each
facing the arc's centre. Characters who do not share dialogue stand in a row
along X, :data:`ROW_SPACING` apart, facing the camera side (turned slightly
toward the middle of the row). A ``mark`` [x, y] replaces the default
position; ``facing`` (another character's name, ``"camera"`` or degrees)
replaces the default facing. Facing angles follow the placement convention:
0 faces -Y, positive is counter-clockwise seen from above.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from production_assets.errors import ConfigError, UnknownReferenceError
from production_assets.model.acting import BlockingRequest, Vec2
from production_assets.suggest import did_you_mean

DIALOGUE_SPACING = 1.4
ROW_SPACING = 0.9
ROW_TURN_DEG_PER_M = 15.0
ARC_RADIUS = 1.1
CAMERA = "camera"


class BlockingError(ConfigError):
    """Blocking that cannot be resolved (a mark facing itself, a bad facing value)."""


@dataclass(frozen=True)
class Mark:
    """A character's resolved mark: feet position (x, y), facing angle, and whom it faces (if anyone)."""

    position: Vec2
    facing_deg: float
    faces: str | None = None


def facing_toward(origin: Vec2, target: Vec2) -> float:
    """The facing angle (degrees) that turns a character at ``origin`` toward ``target``."""
    dx, dy = target[0] - origin[0], target[1] - origin[1]
    return math.degrees(math.atan2(dx, -dy))


def default_positions(characters: Sequence[str], shares_dialogue: bool) -> dict[str, Vec2]:
    """Marks before any explicit ``mark``: a face-to-face pair, an arc around the origin, or a row."""
    count = len(characters)
    if shares_dialogue and count == 2:
        half = DIALOGUE_SPACING / 2.0
        return {characters[0]: (-half, 0.0), characters[1]: (half, 0.0)}
    if shares_dialogue and count > 2:
        spread = math.radians(min(200.0, 70.0 * (count - 1)))
        angles = [-spread / 2.0 + spread * index / (count - 1) for index in range(count)]
        return {
            name: (ARC_RADIUS * math.sin(a), ARC_RADIUS * math.cos(a))
            for name, a in zip(characters, angles, strict=True)
        }
    return {name: ((index - (count - 1) / 2.0) * ROW_SPACING, 0.0) for index, name in enumerate(characters)}


def block_shot(
    characters: Sequence[str],
    shares_dialogue: bool = False,
    blocking: Mapping[str, BlockingRequest] | None = None,
    camera_yaw_deg: float = 0.0,
) -> dict[str, Mark]:
    """Resolve every character's mark and facing for one shot.

    ``camera_yaw_deg`` is the shot template's yaw: facing "camera" turns a
    character toward a camera at that yaw (0: the camera stands at -Y).
    """
    blocking = dict(blocking or {})
    check_shot_names(characters, blocking, "blocking")
    positions = default_positions(characters, shares_dialogue)
    positions.update({name: request.mark for name, request in blocking.items() if request.mark is not None})
    marks = {}
    for name in characters:
        facing = blocking[name].facing if name in blocking else None
        if facing is None:
            marks[name] = _default_mark(name, characters, positions, shares_dialogue, camera_yaw_deg)
        else:
            marks[name] = _requested_mark(name, characters, positions, facing, camera_yaw_deg)
    return marks


def _default_mark(
    name: str, characters: Sequence[str], positions: dict[str, Vec2], shares_dialogue: bool, camera_yaw: float
) -> Mark:
    """A pair faces each other, a group faces its centre, anyone else the camera side."""
    position = positions[name]
    if shares_dialogue and len(characters) == 2:
        partner = characters[1] if name == characters[0] else characters[0]
        return _facing_character(name, partner, positions)
    if shares_dialogue and len(characters) > 2:
        centre = (
            sum(point[0] for point in positions.values()) / len(positions),
            sum(point[1] for point in positions.values()) / len(positions),
        )
        return Mark(position, facing_toward(position, centre))
    row_turn = -ROW_TURN_DEG_PER_M * position[0] if len(characters) > 1 else 0.0
    return Mark(position, camera_yaw + row_turn)


def _requested_mark(
    name: str, characters: Sequence[str], positions: dict[str, Vec2], facing: str | float, camera_yaw: float
) -> Mark:
    if isinstance(facing, (int, float)):
        return Mark(positions[name], float(facing))
    if facing == CAMERA:
        return Mark(positions[name], camera_yaw)
    if facing not in positions:
        raise UnknownReferenceError(
            f"blocking: {name!r} faces {facing!r}, which is neither a character in the shot nor 'camera'",
            suggestion=did_you_mean(facing, [*characters, CAMERA]),
        )
    return _facing_character(name, facing, positions)


def _facing_character(name: str, other: str, positions: dict[str, Vec2]) -> Mark:
    if other == name:
        raise BlockingError(f"blocking: {name!r} cannot face itself")
    position, target = positions[name], positions[other]
    if math.dist(position, target) < 1e-6:
        raise BlockingError(f"blocking: {name!r} and {other!r} stand on the same mark {position}")
    return Mark(position, facing_toward(position, target), faces=other)


def check_shot_names(characters: Sequence[str], keyed: Mapping[str, object], key: str) -> None:
    """Every key of a shot's ``action:``/``blocking:``/``look_at:`` must be one of the shot's characters."""
    for name in keyed:
        if name not in characters:
            raise UnknownReferenceError(
                f"{key}: {name!r} is not a character in the shot", suggestion=did_you_mean(name, characters)
            )
