"""A resolved shot's acting: what each character does and where it stands, from the YAML and the script.

A character's own ``action:`` in the shot decides what it does. Without it, the script does: a character
talks while it speaks a line, listens while another character of the shot speaks, and acts out the
action verbs of the script's action paragraphs between the lines (acting.verbs: "Mike sits", "Jo waves
at Mike"); anything else is ``idle``. A walk or run the script asks for needs somewhere to go, so it is
played only toward another character of the shot ("Mike walks to Jo"); point and turn aim at that
character when the sentence names one.

``blocking:`` marks may name a mark of the shot's set (``{Hero: {mark: "desk"}}``): the character stands
there, facing the way the mark faces unless ``facing`` says otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from production_assets.acting.blocking import Mark, block_shot
from production_assets.acting.registry import action_spec
from production_assets.acting.staging import Performer, Staging, stage_shot
from production_assets.errors import ConfigError, UnknownReferenceError
from production_assets.model.acting import ActionRequest, BlockingRequest, Vec2
from production_assets.model.resolved import ResolvedCharacter, ResolvedShot
from production_assets.model.sets import SetMark
from production_assets.suggest import did_you_mean

APPROACH_DISTANCE = 1.0  # a walk toward a character stops this far from it


def set_blocking(shot: ResolvedShot, marks: Mapping[str, SetMark]) -> dict[str, BlockingRequest]:
    """The shot's ``blocking:`` with named marks of the set turned into positions (and their facing)."""
    converted: dict[str, BlockingRequest] = {}
    for name, request in shot.blocking.items():
        if isinstance(request.mark, str):
            mark = marks.get(request.mark)
            if mark is None:
                hint = did_you_mean(request.mark, marks) or "marks of this set: " + ", ".join(sorted(marks))
                raise UnknownReferenceError(
                    f"blocking: {name!r} stands on unknown mark {request.mark!r}", suggestion=hint
                )
            facing = request.facing if request.facing is not None else mark.facing_deg
            request = BlockingRequest(mark=(mark.x, mark.y), facing=facing)
        converted[name] = request
    return converted


def _frames(start: float, end: float, frame_rate: float, frame_count: int) -> tuple[int, int]:
    first = min(frame_count, max(1, math.floor(start * frame_rate) + 1))
    last = min(frame_count, max(first, math.ceil(end * frame_rate)))
    return first, last


def _toward(actor: Vec2, target: Vec2) -> Vec2:
    """A point :data:`APPROACH_DISTANCE` short of ``target`` on the way from ``actor``."""
    distance = math.dist(actor, target)
    if distance <= APPROACH_DISTANCE:
        return actor
    scale = (distance - APPROACH_DISTANCE) / distance
    return (actor[0] + (target[0] - actor[0]) * scale, actor[1] + (target[1] - actor[1]) * scale)


def _script_request(action: str, actor: Vec2, target: Vec2 | None) -> dict[str, object] | None:
    spec = action_spec(action)
    if spec.needs_to:
        return {"name": action, "to": _toward(actor, target)} if target is not None else None
    if spec.accepts_to and target is not None:
        return {"name": action, "to": target}
    return {"name": action}


def script_requests(shot: ResolvedShot, marks: Mapping[str, Mark], frame_rate: float) -> dict[str, list[ActionRequest]]:
    """Each character's clips from the script: talk/listen over the lines, action verbs between them."""
    cast = set(shot.subjects)
    timed: dict[str, list[tuple[int, int, int, dict[str, object]]]] = {name: [] for name in shot.subjects}
    for line in shot.lines:
        first, last = _frames(line.start, line.end, frame_rate, shot.frame_count)
        for name in shot.subjects:
            speaking = line.character == name
            if speaking or line.character in cast:
                timed[name].append((first, 0 if speaking else 1, last, {"name": "talk" if speaking else "listen"}))
    for action in shot.script_actions:
        if action.character not in cast:
            continue
        target = marks[action.target].position if action.target in cast else None
        request = _script_request(action.action, marks[action.character].position, target)
        if request is not None:
            first, last = _frames(action.start, action.end, frame_rate, shot.frame_count)
            timed[action.character].append((first, 2, last, request))
    requests: dict[str, list[ActionRequest]] = {}
    for name, clips in timed.items():
        kept: list[ActionRequest] = []
        for first, _priority, last, request in sorted(clips, key=lambda clip: clip[:2]):
            previous = kept[-1] if kept else None
            if previous is not None and first <= (previous.end or 0):
                if (previous.start or 1) >= first:
                    continue  # one action at a time: the earlier (or the spoken) one wins
                kept[-1] = previous.model_copy(update={"end": first - 1})  # it ends where the next begins
            kept.append(ActionRequest.model_validate({**request, "start": first, "end": last}))
        if kept:
            requests[name] = kept
    return requests


def stage_resolved_shot(
    shot: ResolvedShot,
    characters: Mapping[str, ResolvedCharacter],
    set_marks: Mapping[str, SetMark],
    frame_rate: float,
) -> dict[str, Staging]:
    """Every character's mark, facing, clips and eyeline in ``shot`` (see the module docstring)."""
    performers = [Performer(n, characters[n].model, characters[n].height, characters[n].scale) for n in shot.subjects]
    shares_dialogue = len(set(shot.subjects) & set(shot.scene_speakers)) >= 2
    blocking = set_blocking(shot, set_marks)
    marks = block_shot(shot.subjects, shares_dialogue, blocking, shot.camera.yaw)
    requests = script_requests(shot, marks, frame_rate)
    requests.update(shot.action)
    return stage_shot(
        performers,
        shot.frame_count,
        shares_dialogue,
        action=requests,
        blocking=blocking,
        look_at=shot.look_at,
        camera_yaw_deg=shot.camera.yaw,
    )


def acting_problem(
    shot: ResolvedShot, characters: Mapping[str, ResolvedCharacter], set_marks: Mapping[str, SetMark], frame_rate: float
) -> ConfigError | None:
    """Why the shot's acting cannot be staged (None when it can): for validation."""
    try:
        stage_resolved_shot(shot, characters, set_marks, frame_rate)
    except ConfigError as error:
        return error
    return None
