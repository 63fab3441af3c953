"""Records the product writes to disk and reads back, as models (never matched as raw JSON):
what a build of an output produced (``build/exports/<output>.json``), what its check found
(``build/exports/<output>.checks.json``), and which version a prepared character or location is
(``build/<kind>s/<name>.json``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from production_assets.media.codecs import CodecKind, CodecName
from production_assets.model.base import StrictModel

FileRole = Literal[
    "film", "shot_clip", "timeline", "edl", "subtitles", "frame", "gif", "sprite_sheet", "palette", "preview"
]


class ExportEntry(StrictModel):
    """One file of a build: where it is, what it is, and the shot it belongs to (None: the whole film)."""

    path: str
    role: FileRole
    shot: str | None = None


class ExportRecord(StrictModel):
    """What the last successful build of an output wrote; the manifest, the checks and staleness read it."""

    output: str
    format: str
    kind: CodecKind
    codec: CodecName
    entries: list[ExportEntry]
    shots: dict[str, int] = Field(description="Shot id -> frames delivered.")
    frames: int
    digest: str = Field(description="The output's settings and every shot's published version, hashed.")
    shot_versions: dict[str, str] = Field(description="Shot id -> the graded version the build read.")
    audio: Literal["silent", "scratch"] | None = None
    subtitles: Literal["sidecar", "burn_in", "none"] | None = None
    production_version: str
    build: str = Field(description="A random id of this build (a check names the build it checked).")
    built_at: str
    seconds: float

    @property
    def files(self) -> list[str]:
        return [entry.path for entry in self.entries]

    def of_role(self, role: FileRole) -> list[ExportEntry]:
        return [entry for entry in self.entries if entry.role == role]


class CheckRecord(StrictModel):
    """The outcome of an output's check, on one build."""

    output: str
    build: str | None
    problems: list[str]


class PreparedRecord(StrictModel):
    """The data version a prepared character or location .blend was built for."""

    data_version: str
