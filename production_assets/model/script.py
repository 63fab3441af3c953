"""Screenplay timing settings (`script_timing:`) and the time-of-day vocabulary of scene headings.

A screenplay becomes an animatic by giving every beat a duration from its words. The defaults
are Storyboarder's (Wonder Unit), the one open tool that times Fountain scripts for boards:
dialogue 300 ms per word + 1 s, action 200 ms per word + 0.5 s, 2 s per scene heading.
For comparison, Blender_Screenwriter reads dialogue at 3.75 words/s, and the industry's
"one page per minute" rule (about 55 lines, some 160-190 words of mixed action and dialogue)
lands within the same range: a realistic page times at 45-75 s with these defaults.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from production_assets.model.base import StrictModel

DayTime = Literal["day", "night", "dusk", "dawn", "morning", "evening"]
"""The light of a scene: what a shot renders with."""
TimeOfDay = Literal[DayTime, "continuous"]
"""What a scene heading says: a light, or `continuous` (the previous scene's light goes on)."""


class ScriptTiming(StrictModel):
    """`script_timing:` — how long a screenplay's beats last in the animatic."""

    dialogue_words_per_second: float = Field(
        1 / 0.3,
        gt=0,
        le=20,
        description="Spoken words per second; 3.33 is Storyboarder's 300 ms per word (Blender_Screenwriter uses 3.75).",
    )
    dialogue_pad_seconds: float = Field(
        1.0, ge=0, le=10, description="Seconds added to every dialogue line (Storyboarder: 1 s)."
    )
    action_words_per_second: float = Field(
        5.0, gt=0, le=50, description="Words of action read per second (Storyboarder: 200 ms per word)."
    )
    action_pad_seconds: float = Field(
        0.5, ge=0, le=10, description="Seconds added to every action paragraph (Storyboarder: 0.5 s)."
    )
    heading_seconds: float = Field(
        2.0,
        ge=0,
        le=60,
        description="Seconds each scene heading holds the screen (Storyboarder: 2 s); 0 drops heading beats.",
    )
    min_beat_seconds: float = Field(
        1.0,
        ge=0,
        le=60,
        description="Shortest action, dialogue or lyrics beat, so a one-word line can still be seen and heard.",
    )
    max_beat_seconds: float = Field(
        20.0,
        gt=0,
        le=600,
        description="Longest action, dialogue or lyrics beat, so a page-long paragraph does not stall the film.",
    )
    speaker_pause_seconds: float = Field(
        0.25, ge=0, le=10, description="Silence before a line whose speaker differs from the previous line's."
    )

    @model_validator(mode="after")
    def _check_beat_bounds(self) -> ScriptTiming:
        if self.max_beat_seconds < self.min_beat_seconds:
            raise ValueError(
                f"max_beat_seconds ({self.max_beat_seconds}) is below min_beat_seconds ({self.min_beat_seconds}); "
                "raise max_beat_seconds or lower min_beat_seconds"
            )
        return self
