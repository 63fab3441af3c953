"""The script laid over the cut: which lines are heard and which actions happen during which shot, and when.

Each scene's shots, in film order, play one after another from the scene's start; its lines keep
their script times within the scene (:mod:`.script_timing`). A line is heard during every shot its
time overlaps (clipped to the shot), so a voice over a cut belongs to both shots, and the film's
cues are these pieces joined again (``film_cues``). Generated coverage cuts on the lines, so there
every single holds exactly its line; shots written by hand keep their own durations, and a scene whose
lines outlast its shots loses the end of them (validation warns).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from production_assets.acting.verbs import actions_in_paragraph
from production_assets.loading.script_timing import SceneTiming, ScriptTimeline
from production_assets.model.resolved import ShotAction, ShotLine


@dataclass(frozen=True)
class TimedShot:
    """A shot of the cut: its id, scene and length in seconds."""

    id: str
    scene: int
    seconds: float


def scene_shots(shots: Sequence[TimedShot], scene: int) -> list[TimedShot]:
    return [shot for shot in shots if shot.scene == scene]


def _scene_lines(
    scene: SceneTiming, shots: list[TimedShot], characters: dict[str, str], shortest: float
) -> dict[str, list[ShotLine]]:
    lines: dict[str, list[ShotLine]] = {shot.id: [] for shot in shots}
    for beat in scene.beats:
        if beat.kind != "dialogue" or not beat.speaker or not beat.words:
            continue
        start, end = (beat.start_ms + beat.pause_ms) / 1000, beat.end_ms / 1000
        shot_start = 0.0
        for shot in shots:
            shot_end = shot_start + shot.seconds
            if min(end, shot_end) - max(start, shot_start) >= shortest:
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
            shot_start = shot_end
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


def overrun_seconds(scene: SceneTiming, shots: Sequence[TimedShot]) -> float:
    """How long a scene's last line runs past the end of its shots (0 when the shots hold it all)."""
    ends = [beat.end_ms / 1000 for beat in scene.beats if beat.kind == "dialogue" and beat.words]
    covered = sum(shot.seconds for shot in scene_shots(shots, scene.number))
    return max(0.0, max(ends, default=0.0) - covered)


def shot_actions(
    timeline: ScriptTimeline, shots: Sequence[TimedShot], characters: list[str], frame_rate: float
) -> dict[str, list[ShotAction]]:
    """The actions the script's action paragraphs give characters ("Mike sits.", "Jo waves at Mike"), each
    over the time of its paragraph, during the shots that paragraph overlaps (acting.verbs finds them)."""
    shortest = 1 / frame_rate
    found: dict[str, list[ShotAction]] = {shot.id: [] for shot in shots}
    for scene in timeline.scenes:
        beats = [beat for beat in scene.beats if beat.kind == "action"]
        shot_start = 0.0
        for shot in scene_shots(shots, scene.number):
            shot_end = shot_start + shot.seconds
            for beat in beats:
                start, end = max(beat.start, shot_start), min(beat.end, shot_end)
                if end - start < shortest:
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
            shot_start = shot_end
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
