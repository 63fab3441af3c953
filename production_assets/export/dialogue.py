"""Dialogue cues: who speaks which words when, in seconds from the film's start.

The one shape every dialogue deliverable is made from (subtitles, burned-in
text, the scratch read, editorial markers). Cues may overlap (dual dialogue).
Text is plain words: runs of whitespace, line breaks included, become one space.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import ConfigDict, Field, field_validator, model_validator

from production_assets.model.base import StrictModel


class DialogueCue(StrictModel):
    """One spoken line, timed to the cut."""

    model_config = ConfigDict(frozen=True)

    start: float = Field(ge=0, description="Seconds from the film's start.")
    end: float = Field(description="Seconds from the film's start; after start.")
    speaker: str = Field(min_length=1, description="Display name (Jo, INTERCOM).")
    text: str = Field(min_length=1, description="Plain words, no markup.")
    off_screen: bool = False
    character: str | None = Field(None, description="The production's character, None for other voices.")
    line: int | None = Field(None, description="Line in the screenplay.")

    @field_validator("speaker", "text")
    @classmethod
    def _one_line(cls, value: str) -> str:
        collapsed = " ".join(value.split())
        if not collapsed:
            raise ValueError("must have words, not only whitespace")
        return collapsed

    @model_validator(mode="after")
    def _ends_after_start(self) -> DialogueCue:
        if self.end <= self.start:
            raise ValueError(f"a cue must end after it starts ({self.start} -> {self.end})")
        return self

    @property
    def voice_name(self) -> str:
        """Whose voice this is: the character when there is one, else the speaker."""
        return self.character or self.speaker


def in_film_order(cues: Iterable[DialogueCue]) -> list[DialogueCue]:
    """Cues sorted by start, then end, then screenplay line (a stable order for overlaps)."""
    return sorted(cues, key=lambda cue: (cue.start, cue.end, cue.line if cue.line is not None else -1))
