"""The script laid over the cut: which lines are heard and which actions happen during which shot, and when.

A scene's lines keep their script times within the scene (:mod:`.script_timing`). A generated shot
shows the script from where its beats start (exactly, before its cuts are rounded to frames, so the
rounding of one cut never moves a line within another shot); a shot written by hand plays after the
one before it. A line is heard during every shot its time overlaps (clipped to the shot), so a voice
over a cut belongs to both shots, and the film's cues are these pieces joined again (``film_cues``).
Generated coverage cuts on the lines, so there every single holds exactly its line; shots written by
hand keep their own durations, and a scene whose lines outlast its shots loses the end of them
(validation warns).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from production_assets.acting.verbs import actions_in_paragraph
from production_assets.loading.script_timing import SceneTiming, ScriptTimeline
from production_assets.model.resolved import ShotAction, ShotLine


@dataclass(frozen=True)
class TimedShot:
    """A shot of the cut: its id, scene, length in seconds and, for a generated shot, the script time (in
    seconds from its scene's start) it shows from."""

    id: str
    scene: int
    seconds: float
    script_start: float | None = None


def scene_shots(shots: Sequence[TimedShot], scene: int) -> list[tuple[TimedShot, float, float]]:
    """A scene's shots, each with the span of the scene's script time it shows."""
    placed: list[tuple[TimedShot, float, float]] = []
    end = 0.0
    for shot in shots:
        if shot.scene == scene:
            start = end if shot.script_start is None else shot.script_start
            end = start + shot.seconds
            placed.append((shot, start, end))
    return placed


def _scene_lines(
    scene: SceneTiming, shots: list[tuple[TimedShot, float, float]], characters: dict[str, str], shortest: float
) -> dict[str, list[ShotLine]]:
    lines: dict[str, list[ShotLine]] = {shot.id: [] for shot, _start, _end in shots}
    for beat in scene.beats:
        if beat.kind != "dialogue" or not beat.speaker or not beat.words:
            continue
        start, end = (beat.start_ms + beat.pause_ms) / 1000, beat.end_ms / 1000
        for shot, shot_start, shot_end in shots:
            if min(end, shot_end) - max(start, shot_start) > shortest:
                lines[shot.id].append(
                    ShotLine(
                        speaker=beat.speaker,
                        character=characters.get(beat.speaker.lower()),
                        text=beat.text,
                        start=round(max(start, shot_start) - shot_start, 3),
                        end=round(min(end, shot_end) - shot_start, 3),
                        off_screen=beat.off_screen,
                        line=beat.line,
                    )
                )
    return lines


def shot_lines(
    timeline: ScriptTimeline, shots: Sequence[TimedShot], characters: list[str], frame_rate: float
) -> dict[str, list[ShotLine]]:
    """The lines heard during each shot (shots of scenes the script lacks hear none). A piece shorter than
    a frame is the rounding of a cut to whole frames, not a line heard: it is left out."""
    known = {name.lower(): name for name in characters}
    lines: dict[str, list[ShotLine]] = {shot.id: [] for shot in shots}
    for scene in timeline.scenes:
        lines.update(_scene_lines(scene, scene_shots(shots, scene.number), known, 1 / frame_rate))
    return lines


def overrun_seconds(scene: SceneTiming, shots: Sequence[TimedShot], frame_rate: float) -> float:
    """How long a scene's last line runs past the end of its shots (0 when the shots hold it all, or
    miss it by less than half a frame: cuts fall on whole frames)."""
    ends = [beat.end_ms / 1000 for beat in scene.beats if beat.kind == "dialogue" and beat.words]
    covered = max((end for _shot, _start, end in scene_shots(shots, scene.number)), default=0.0)
    late = max(ends, default=0.0) - covered
    return late if late > 0.5 / frame_rate + 1e-9 else 0.0


def shot_actions(
    timeline: ScriptTimeline, shots: Sequence[TimedShot], characters: list[str], frame_rate: float
) -> dict[str, list[ShotAction]]:
    """The actions the script's action paragraphs give characters ("Mike sits.", "Jo waves at Mike"), each
    over the time of its paragraph, during the shots that paragraph overlaps (acting.verbs finds them)."""
    shortest = 1 / frame_rate
    found: dict[str, list[ShotAction]] = {shot.id: [] for shot in shots}
    for scene in timeline.scenes:
        beats = [beat for beat in scene.beats if beat.kind == "action"]
        for shot, shot_start, shot_end in scene_shots(shots, scene.number):
            for beat in beats:
                start, end = max(beat.start, shot_start), min(beat.end, shot_end)
                if end - start <= shortest:
                    continue
                for action in actions_in_paragraph(beat.text, characters):
                    found[shot.id].append(
                        ShotAction(
                            character=action.character,
                            action=action.action,
                            start=round(start - shot_start, 3),
                            end=round(end - shot_start, 3),
                            target=action.target,
                            line=beat.line,
                        )
                    )
    return found


def scene_speakers(timeline: ScriptTimeline, characters: list[str]) -> dict[int, list[str]]:
    """The characters who speak in each scene, in order of their first line."""
    known = {name.lower(): name for name in characters}
    return {
        scene.number: list(
            dict.fromkeys(
                known[beat.speaker.lower()]
                for beat in scene.beats
                if beat.kind == "dialogue" and beat.speaker and beat.speaker.lower() in known
            )
        )
        for scene in timeline.scenes
    }
