"""The action library's catalogue: every action's name, whether it loops, and what it needs (no bpy).

The renderer's procedural library (:mod:`production_assets.render.actions`)
implements exactly these names; validation and the YAML loader check names
here. A looping action repeats over its clip; a once action plays at its
natural duration from the clip's start (faster when the clip is shorter) and
holds its last pose (``sit`` stays seated until ``stand_up``, ``fall`` stays
down until ``stand_up``). Walk and run move the character from its mark to
``to`` (x, y in metres, world) at ``speed`` times their natural pace.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from production_assets.errors import UnknownReferenceError
from production_assets.suggest import did_you_mean


@dataclass(frozen=True)
class ActionSpec:
    """One action of the library."""

    name: str
    loops: bool
    description: str
    needs_to: bool = False
    accepts_to: bool = False
    pace_mps: float | None = None
    ramp_seconds: float | None = None
    natural_seconds: float | None = None


ACTIONS: dict[str, ActionSpec] = {
    spec.name: spec
    for spec in (
        ActionSpec("idle", True, "Breathing, weight shift, blinks; the default, so no character is ever frozen."),
        ActionSpec("talk", True, "Mouth opening in syllable rhythm, head and hand gestures."),
        ActionSpec("listen", True, "Nods and small head tilts."),
        ActionSpec("walk", True, "Walk from the mark to `to` at `speed`, then idle.", True, True, 1.15, 0.35),
        ActionSpec("run", True, "Run from the mark to `to` at `speed`, then idle.", True, True, 3.2, 0.5),
        ActionSpec("sit", False, "Sit down on an imaginary seat behind the mark; stays seated.", natural_seconds=1.4),
        ActionSpec("stand_up", False, "Stand up from sitting (or from the ground after a fall).", natural_seconds=1.3),
        ActionSpec(
            "turn",
            False,
            "Turn on the spot: toward `to` when given, else half a turn.",
            accepts_to=True,
            natural_seconds=0.9,
        ),
        ActionSpec(
            "point",
            False,
            "Point with the right arm toward `to` (else straight ahead) and hold it.",
            accepts_to=True,
            natural_seconds=0.6,
        ),
        ActionSpec("wave", True, "Raise the right hand and wave."),
        ActionSpec("look_around", True, "Scan the surroundings, head and eyes sweeping side to side."),
        ActionSpec("fall", False, "Knees buckle, fall on the back; stays down.", natural_seconds=1.1),
    )
}
ACTION_NAMES: tuple[str, ...] = tuple(ACTIONS)
DEFAULT_ACTION = "idle"
LOCOMOTION = frozenset(name for name, spec in ACTIONS.items() if spec.pace_mps is not None)
# A walk or run toward a point more than this far off the facing first turns on the spot, this long.
SMALL_TURN_DEG = 25.0
TURN_BEFORE_GOING_S = 0.5
# Natural paces are an adult's (legs 0.92 m); longer or shorter legs go faster or slower (as the square root).
REFERENCE_LEG_LENGTH = 0.92


class UnknownActionError(UnknownReferenceError):
    """An action name the library does not have."""


def action_spec(name: str) -> ActionSpec:
    """The action called ``name``; :class:`UnknownActionError` with a suggestion otherwise."""
    spec = ACTIONS.get(name)
    if spec is None:
        raise UnknownActionError(f"unknown action {name!r}", suggestion=did_you_mean(name, ACTIONS))
    return spec


def is_known_action(name: str) -> bool:
    return name in ACTIONS


def ground_speed(name: str, speed: float, leg_length: float) -> float:
    """Cruising speed (m/s) of walk or run at ``speed`` for legs ``leg_length`` metres long."""
    spec = action_spec(name)
    if spec.pace_mps is None:
        raise ValueError(f"action {name!r} does not move the character")
    return spec.pace_mps * speed * math.sqrt(leg_length / REFERENCE_LEG_LENGTH)


def locomotion_seconds(name: str, distance: float, speed: float, leg_length: float, turn_deg: float = 0.0) -> float:
    """How long walk or run takes to cover ``distance`` metres, speeding up and slowing down at the ends.

    ``turn_deg`` is how far the destination lies off the character's facing (a
    turn on the spot comes first when it exceeds :data:`SMALL_TURN_DEG`).
    """
    pace = ground_speed(name, speed, leg_length)
    ramp = action_spec(name).ramp_seconds or 0.0
    turning = TURN_BEFORE_GOING_S if abs(turn_deg) > SMALL_TURN_DEG else 0.0
    if distance >= pace * ramp:
        return turning + distance / pace + ramp
    return turning + 2.0 * math.sqrt(distance * ramp / pace)
