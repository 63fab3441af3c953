"""The film's dialogue cues, from the lines each shot hears (model.resolved.ShotLine).

A shot's lines are timed from its first frame at the render frame rate; a film plays those frames at
its output's rate, so a cue's time is counted in frames first and then in the output's seconds. A line
heard across a cut is in both shots: its pieces are joined into one cue again.
"""

from __future__ import annotations

from collections.abc import Sequence

from production_assets.export.dialogue import DialogueCue, in_film_order
from production_assets.model.resolved import ResolvedProduction, ResolvedShot


def film_cues(production: ResolvedProduction, shots: Sequence[ResolvedShot], output_fps: float) -> list[DialogueCue]:
    """Every line heard in ``shots`` (film order), timed on the film of an output at ``output_fps``."""
    render_fps = production.render.frame_rate
    cues: list[DialogueCue] = []
    by_line: dict[int, int] = {}  # script line -> index of its cue so far
    first_frame = 0
    for shot in shots:
        for line in shot.lines:
            start = (first_frame + line.start * render_fps) / output_fps
            end = (first_frame + line.end * render_fps) / output_fps
            joined = by_line.get(line.line)
            if joined is not None and abs(cues[joined].end - start) < 1e-6:
                cues[joined] = cues[joined].model_copy(update={"end": end})
                continue
            by_line[line.line] = len(cues)
            cues.append(
                DialogueCue(
                    start=start,
                    end=end,
                    speaker=line.speaker,
                    text=line.text,
                    off_screen=line.off_screen or line.character is None,
                    character=line.character,
                    line=line.line,
                )
            )
        first_frame += shot.frame_count
    return in_film_order(cues)
