"""Screenplay timing: each scene as timed beats, for the animatic, its shots, subtitles and scratch audio.

Pure: a :class:`Screenplay` and a :class:`ScriptTiming` in, a :class:`ScriptTimeline` out. Times are
whole milliseconds, so every sum is exact and the same input always gives the same timeline.

- A scene opens with a heading beat of ``heading_seconds`` (none when it is 0).
- An action paragraph lasts ``words / action_words_per_second + action_pad_seconds``; a dialogue line
  or a lyrics block ``words / dialogue_words_per_second + dialogue_pad_seconds``; both are clamped to
  ``[min_beat_seconds, max_beat_seconds]``, then rounded to the millisecond.
- A dialogue line whose speaker is not the speaker of the beat just before it (when that beat is
  dialogue) starts with ``speaker_pause_seconds`` of silence: it belongs to the line's beat
  (``pause_ms``), so beats tile the scene without gaps.
- Dual dialogue starts with the line before it, and both beats last the longer of the two: they
  share one slot, and only the first counts towards the scene's duration.
- Transitions, centered text, sections, synopses and page breaks take no time and make no beat;
  neither does the preamble before the first scene heading (a script's "FADE IN:").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from production_assets.loading.fountain import Dialogue, Screenplay, ScriptElement, ScriptScene, count_words
from production_assets.model.script import ScriptTiming

BeatKind = Literal["heading", "action", "dialogue", "lyrics"]
# The element kinds that take time, and the beat each becomes.
TIMED_KINDS: dict[str, BeatKind] = {"action": "action", "dialogue": "dialogue", "lyrics": "lyrics"}


def milliseconds(seconds: float) -> int:
    """Seconds as whole milliseconds, halves rounded up (no banker's rounding)."""
    return math.floor(seconds * 1000 + 0.5)


@dataclass(frozen=True, slots=True, kw_only=True)
class Beat:
    """A timed moment of a scene; ``start_ms`` is from the scene's start, ``duration_ms`` includes ``pause_ms``."""

    kind: BeatKind
    line: int
    text: str
    words: int
    speaker: str | None
    off_screen: bool
    dual: bool
    start_ms: int
    duration_ms: int
    pause_ms: int

    @property
    def end_ms(self) -> int:
        return self.start_ms + self.duration_ms

    @property
    def start(self) -> float:
        return self.start_ms / 1000

    @property
    def duration(self) -> float:
        return self.duration_ms / 1000

    @property
    def end(self) -> float:
        return self.end_ms / 1000


@dataclass(frozen=True, slots=True, kw_only=True)
class SceneTiming:
    """A scene's beats; ``start_ms`` is from the film's start, ``duration_ms`` the sum of its non-dual beats."""

    number: int
    line: int
    heading: str
    start_ms: int
    duration_ms: int
    beats: list[Beat]

    @property
    def start(self) -> float:
        return self.start_ms / 1000

    @property
    def duration(self) -> float:
        return self.duration_ms / 1000

    @property
    def end(self) -> float:
        return (self.start_ms + self.duration_ms) / 1000


@dataclass(frozen=True, slots=True, kw_only=True)
class ScriptCue:
    """A line to subtitle or speak: film time from when its words start to the end of its beat."""

    scene: int
    line: int
    speaker: str
    text: str
    off_screen: bool
    start_ms: int
    end_ms: int

    @property
    def start(self) -> float:
        return self.start_ms / 1000

    @property
    def end(self) -> float:
        return self.end_ms / 1000


@dataclass(frozen=True, slots=True)
class ScriptTimeline:
    """Every scene of a screenplay, timed, in film order."""

    scenes: list[SceneTiming]

    @property
    def duration_ms(self) -> int:
        return sum(scene.duration_ms for scene in self.scenes)

    @property
    def duration(self) -> float:
        return self.duration_ms / 1000

    def scene(self, number: int) -> SceneTiming | None:
        return self.scenes[number - 1] if 1 <= number <= len(self.scenes) else None

    def beats(self, number: int) -> list[Beat]:
        """The beats of scene ``number`` (1-based), or none when there is no such scene."""
        scene = self.scene(number)
        return scene.beats if scene else []

    def dialogue_cues(self) -> list[ScriptCue]:
        """Every dialogue line with words, in film order (a dual line right after its partner)."""
        return [
            ScriptCue(
                scene=scene.number,
                line=beat.line,
                speaker=beat.speaker,
                text=beat.text,
                off_screen=beat.off_screen,
                start_ms=scene.start_ms + beat.start_ms + beat.pause_ms,
                end_ms=scene.start_ms + beat.end_ms,
            )
            for scene in self.scenes
            for beat in scene.beats
            if beat.kind == "dialogue" and beat.speaker is not None and beat.words
        ]


def _own_ms(element: ScriptElement, timing: ScriptTiming) -> int:
    if element.kind == "action":
        seconds = element.words / timing.action_words_per_second + timing.action_pad_seconds
    else:
        seconds = element.words / timing.dialogue_words_per_second + timing.dialogue_pad_seconds
    return milliseconds(min(max(seconds, timing.min_beat_seconds), timing.max_beat_seconds))


def _slots(scene: ScriptScene, timing: ScriptTiming) -> list[tuple[int, list[tuple[ScriptElement, int]]]]:
    """(pause, [(element, own duration)]) per slot of time; a dual line joins the slot of the line before it."""
    pause_ms = milliseconds(timing.speaker_pause_seconds)
    slots: list[tuple[int, list[tuple[ScriptElement, int]]]] = []
    previous_speaker: str | None = None
    for element in scene.elements:
        if element.kind not in TIMED_KINDS:
            continue
        own = _own_ms(element, timing)
        speaker = element.character if isinstance(element, Dialogue) else None
        if isinstance(element, Dialogue) and element.dual and slots:
            slots[-1][1].append((element, own))
        else:
            pause = pause_ms if speaker and previous_speaker and speaker != previous_speaker else 0
            slots.append((pause, [(element, own)]))
        previous_speaker = speaker
    return slots


def _scene_beats(scene: ScriptScene, timing: ScriptTiming) -> list[Beat]:
    beats: list[Beat] = []
    heading_ms = milliseconds(timing.heading_seconds)
    if heading_ms:
        beats.append(
            Beat(
                kind="heading",
                line=scene.line,
                text=scene.heading,
                words=count_words(scene.heading),
                speaker=None,
                off_screen=False,
                dual=False,
                start_ms=0,
                duration_ms=heading_ms,
                pause_ms=0,
            )
        )
    start = heading_ms
    for pause, members in _slots(scene, timing):
        length = pause + max(own for _, own in members)
        for element, _ in members:
            dialogue = element if isinstance(element, Dialogue) else None
            beats.append(
                Beat(
                    kind=TIMED_KINDS[element.kind],
                    line=element.line,
                    text=element.text,
                    words=element.words,
                    speaker=dialogue.character if dialogue else None,
                    off_screen=dialogue.off_screen if dialogue else False,
                    dual=dialogue.dual if dialogue else False,
                    start_ms=start,
                    duration_ms=length,
                    pause_ms=pause,
                )
            )
        start += length
    return beats


def time_screenplay(screenplay: Screenplay, timing: ScriptTiming | None = None) -> ScriptTimeline:
    """Time every scene of ``screenplay`` (default :class:`ScriptTiming` when ``timing`` is None)."""
    timing = timing or ScriptTiming()
    scenes: list[SceneTiming] = []
    start = 0
    for scene in screenplay.scenes:
        beats = _scene_beats(scene, timing)
        duration = sum(beat.duration_ms for beat in beats if not beat.dual)
        scenes.append(
            SceneTiming(
                number=scene.number,
                line=scene.line,
                heading=scene.heading,
                start_ms=start,
                duration_ms=duration,
                beats=beats,
            )
        )
        start += duration
    return ScriptTimeline(scenes)
