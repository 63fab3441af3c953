"""Script coverage: the shots that cover each scene of the screenplay, cut on its beats.

Every scene of the timed screenplay (:mod:`.script_timing`) becomes a run of shots whose durations
add up to the scene's, so the cut follows the dialogue:

- ``singles``: the heading and the action before the first line are an establishing shot of the set,
  until a paragraph has a character act ("Mike sits."); from there action is a ``wide`` master of the
  scene's cast (who speaks in it, and who its action has act or acted towards); each line a
  character speaks is a ``close_up`` on them; a line two characters speak at once (dual dialogue) a
  ``two_shot`` of both.
- ``over_the_shoulder``: like singles, but a line spoken to another character of the scene is an
  ``over_the_shoulder`` shot on the speaker past the listener's shoulder.
- ``master_only``: one ``wide`` master per scene (``establishing_wide`` when nobody in it is a character).

Lines of speakers who are not characters (an intercom, a voice on the phone) play over the shot that
is on screen: they extend it. Beats that give the same shot in a row are one shot. Each shot's length
is its beats' rounded to whole frames on its own, so editing a line changes the shots that show it and
no other; the film follows the script within half a frame per shot (script_lines anchors every
generated shot at its beats' exact start, so no line drifts within a shot).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from production_assets.acting.verbs import actions_in_paragraph
from production_assets.loading.script_timing import Beat, SceneTiming, ScriptTimeline
from production_assets.model.production import Shot

Coverage = Literal["singles", "over_the_shoulder", "master_only"]
ESTABLISHING = "establishing_wide"
MASTER = "wide"
SINGLE = "close_up"
PAIR = "two_shot"
OVER_THE_SHOULDER = "over_the_shoulder"


@dataclass(frozen=True)
class CoveredShot:
    """A generated shot, the script line of the first beat it covers and when that beat starts (ms from the
    scene's start, before rounding to frames)."""

    shot: Shot
    line: int
    start_ms: int


@dataclass
class _Segment:
    template: str
    subjects: tuple[str, ...]
    start_ms: int
    end_ms: int
    line: int


def _frame(milliseconds: int, fps: float) -> int:
    return round(milliseconds * fps / 1000)


def _partner(beats: list[Beat], index: int, speaker: str, known: dict[str, str]) -> str | None:
    """The character a line is spoken to: the nearest other known speaker before it, else after it."""
    order = list(range(index - 1, -1, -1)) + list(range(index + 1, len(beats)))
    for other in order:
        name = beats[other].speaker
        if beats[other].kind == "dialogue" and name and name.lower() in known and known[name.lower()] != speaker:
            return known[name.lower()]
    return None


def _shot_for(
    beats: list[Beat], index: int, known: dict[str, str], cast: tuple[str, ...], coverage: Coverage
) -> tuple[str, tuple[str, ...]] | None:
    """The template and subjects of one beat's shot; None when it plays over the shot on screen."""
    beat = beats[index]
    if beat.kind == "heading":
        return ESTABLISHING, ()
    if beat.kind != "dialogue" or not beat.speaker:
        return (MASTER, cast) if cast else (ESTABLISHING, ())
    speaker = known.get(beat.speaker.lower())
    if speaker is None or beat.off_screen:
        return None
    partner_beat = beats[index + 1] if index + 1 < len(beats) and beats[index + 1].dual else None
    partner = known.get((partner_beat.speaker or "").lower()) if partner_beat else None
    if partner and partner != speaker:
        return PAIR, (speaker, partner)
    if coverage == "over_the_shoulder" and (listener := _partner(beats, index, speaker, known)):
        return OVER_THE_SHOULDER, (speaker, listener)
    return SINGLE, (speaker,)


def _actors(beat: Beat, known: dict[str, str]) -> list[str]:
    """The characters an action paragraph has act, and those they act towards ("Jo walks to Mike")."""
    if beat.kind != "action":
        return []
    actions = actions_in_paragraph(beat.text, list(known.values()))
    return [name for action in actions for name in (action.character, action.target) if name]


def scene_cast(scene: SceneTiming, known: dict[str, str]) -> tuple[str, ...]:
    """The characters on screen in a scene: those who speak in it and those its action has act, in order."""
    names: list[str] = []
    for beat in scene.beats:
        if beat.kind == "dialogue" and beat.speaker and not beat.off_screen and beat.speaker.lower() in known:
            names.append(known[beat.speaker.lower()])
        names += _actors(beat, known)
    return tuple(dict.fromkeys(names))


def _segments(scene: SceneTiming, known: dict[str, str], coverage: Coverage) -> list[_Segment]:
    beats = scene.beats
    cast = scene_cast(scene, known)
    if coverage == "master_only" or not beats:
        template, subjects = (MASTER, cast) if cast else (ESTABLISHING, ())
        return [_Segment(template, subjects, 0, scene.duration_ms, scene.line)]
    segments: list[_Segment] = []
    for index, beat in enumerate(beats):
        if beat.dual:
            continue  # shares the slot of the line before it, which chose the shot
        opening = all(segment.template == ESTABLISHING for segment in segments)
        choice = (
            None
            if opening and segments and beat.kind == "action" and not _actors(beat, known)
            else _shot_for(beats, index, known, cast, coverage)
        )
        if segments and (choice is None or (segments[-1].template, segments[-1].subjects) == choice):
            segments[-1].end_ms = beat.end_ms
            continue
        template, subjects = choice or ((MASTER, cast) if cast else (ESTABLISHING, ()))
        segments.append(_Segment(template, subjects, beat.start_ms, beat.end_ms, beat.line))
    return segments


def cover_screenplay(
    timeline: ScriptTimeline, characters: list[str], coverage: Coverage, frame_rate: float
) -> list[CoveredShot]:
    """The generated shots of every scene, in film order (see the module docstring)."""
    known = {name.lower(): name for name in characters}
    covered: list[CoveredShot] = []
    for scene in timeline.scenes:
        for segment in _segments(scene, known, coverage):
            shot = Shot(
                template=segment.template,
                scene=scene.number,
                characters=list(segment.subjects),
                duration=max(1, _frame(segment.end_ms - segment.start_ms, frame_rate)),
            )
            covered.append(CoveredShot(shot, segment.line, segment.start_ms))
    return covered
