"""A shot's acting, from its YAML requests to placement fields (no bpy): the orchestrator's entry point.

:func:`stage_shot` takes a shot's characters, whether they share dialogue, and
the shot keys ``action:``, ``blocking:`` and ``look_at:`` (parsed with the
models of :mod:`production_assets.model.acting`), and returns per character the
fields of its :class:`~production_assets.model.render_job.CharacterPlacement`:
``position``, ``facing_deg``, ``actions`` and ``look_at``
(:meth:`Staging.placement_fields`).

Clip timing: one action covers the whole shot; a list plays one after another,
each without ``start``/``end`` taking an equal share of the frames between its
neighbours' bounds.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from production_assets.acting.blocking import block_shot, check_shot_names, facing_toward
from production_assets.acting.bodies import MANNEQUIN, body_of, eye_height, leg_length
from production_assets.acting.eyelines import resolve_eyelines
from production_assets.acting.registry import action_spec, locomotion_seconds
from production_assets.errors import ConfigError
from production_assets.model.acting import (
    ActionClip,
    ActionRequest,
    BlockingRequest,
    LookAtRequest,
    LookTarget,
    Vec2,
)
from production_assets.model.base import Vec3


class ActingError(ConfigError):
    """A shot's action requests cannot be laid out (frames outside the shot, walk without ``to``)."""


@dataclass(frozen=True)
class Performer:
    """A character of the shot as acting needs it: name, model, and the size it is placed at."""

    name: str
    model: str = MANNEQUIN
    height: float | None = None
    scale: float = 1.0


@dataclass(frozen=True)
class Staging:
    """One character's acting in one shot: the placement fields it sets."""

    position: Vec3
    facing_deg: float
    actions: list[ActionClip] = field(default_factory=list)
    look_at: LookTarget | None = None

    def placement_fields(self) -> dict[str, Any]:
        """``placement.model_copy(update=staging.placement_fields())`` applies it."""
        return {
            "position": self.position,
            "facing_deg": self.facing_deg,
            "actions": self.actions,
            "look_at": self.look_at,
        }


def stage_shot(
    performers: Sequence[Performer],
    frame_count: int,
    shares_dialogue: bool = False,
    action: Mapping[str, Sequence[ActionRequest]] | None = None,
    blocking: Mapping[str, BlockingRequest] | None = None,
    look_at: Mapping[str, LookAtRequest] | None = None,
    camera_yaw_deg: float = 0.0,
) -> dict[str, Staging]:
    """Marks, facing, clips and eyelines of every performer in a shot of ``frame_count`` frames."""
    names = [performer.name for performer in performers]
    action = dict(action or {})
    check_shot_names(names, action, "action")
    marks = block_shot(names, shares_dialogue, blocking, camera_yaw_deg)
    eyes = {p.name: eye_height(p.model, p.height, p.scale) for p in performers}
    targets = resolve_eyelines(names, marks, eyes, look_at)
    staged = {}
    for performer in performers:
        mark = marks[performer.name]
        clips = action_clips(action.get(performer.name, []), frame_count, performer)
        position = (mark.position[0], mark.position[1], 0.0)
        staged[performer.name] = Staging(position, mark.facing_deg, clips, targets[performer.name])
    return staged


def action_clips(requests: Sequence[ActionRequest], frame_count: int, performer: Performer) -> list[ActionClip]:
    """Timed clips for one character's requests (see the module docstring for the timing rule).

    Names are checked against the library for built-in models; a model file may
    bring its own actions, so any name passes there.
    """
    for request in requests:
        _check_request(request, performer)
    bounds = _clip_bounds(requests, frame_count)
    clips = []
    for index, request in enumerate(requests):
        start, end = bounds[index], request.end if request.end is not None else bounds[index + 1] - 1
        if not 1 <= start <= end <= frame_count:
            raise ActingError(
                f"action {request.name!r} of {performer.name!r} covers frames {start}..{end}, "
                f"outside the shot's 1..{frame_count} (or empty)"
            )
        clip = ActionClip(name=request.name, start_frame=start, end_frame=end, to=request.to, speed=request.speed)
        clips.append(clip)
    return clips


def _check_request(request: ActionRequest, performer: Performer) -> None:
    if body_of(performer.model) is None and not _is_library_action(request.name):
        return
    spec = action_spec(request.name)
    if spec.needs_to and request.to is None:
        raise ActingError(f"action {request.name!r} of {performer.name!r} needs 'to' (where to go: [x, y])")
    if request.to is not None and not (spec.needs_to or spec.accepts_to):
        raise ActingError(f"action {request.name!r} of {performer.name!r} takes no 'to'")


def _is_library_action(name: str) -> bool:
    try:
        action_spec(name)
    except ConfigError:
        return False
    return True


def _clip_bounds(requests: Sequence[ActionRequest], frame_count: int) -> list[int]:
    """Start frame of each request, then one past the last frame; unknown bounds shared out evenly."""
    count = len(requests)
    known: list[float | None] = [None] * (count + 1)
    known[0], known[count] = 1, frame_count + 1
    for index, request in enumerate(requests):
        if request.start is not None:
            known[index] = request.start
        if request.end is not None and index + 1 < count and requests[index + 1].start is None:
            known[index + 1] = request.end + 1
    anchors = [index for index, value in enumerate(known) if value is not None]
    for left, right in itertools.pairwise(anchors):
        low, high = known[left], known[right]
        assert low is not None and high is not None
        for index in range(left + 1, right):
            known[index] = low + (high - low) * (index - left) / (right - left)
    return [round(value) for value in known if value is not None]


def locomotion_frames(
    performer: Performer,
    start: Vec2,
    clip: ActionClip | ActionRequest,
    frame_rate: float = 24.0,
    facing_deg: float = 0.0,
) -> int:
    """Frames a walk or run from ``start`` (facing ``facing_deg``) to its ``to`` needs.

    A shorter clip stops short of ``to``; validation can warn with this number.
    """
    if clip.to is None:
        raise ActingError(f"action {clip.name!r} of {performer.name!r} needs 'to' (where to go: [x, y])")
    distance = math.dist(start, clip.to)
    heading = facing_toward(start, clip.to) if distance > 0 else facing_deg
    turn = (heading - facing_deg + 180.0) % 360.0 - 180.0
    legs = leg_length(performer.model, performer.height, performer.scale)
    return math.ceil(locomotion_seconds(clip.name, distance, clip.speed, legs, turn) * frame_rate) + 1
