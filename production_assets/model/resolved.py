"""A production with every preset, template, reference and path resolved."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field

from production_assets.media.codecs import CodecKind, CodecName
from production_assets.model.acting import ActionRequests, BlockingRequest, LookAtRequest
from production_assets.model.base import StrictModel
from production_assets.model.layout import Layout
from production_assets.model.presets import LocationPreset, OutputFormat, ShotTemplate, StylePreset, WardrobeLook
from production_assets.model.production import ReviewStatus
from production_assets.model.script import DayTime
from production_assets.model.sets import PropPlacement, Weather


class ResolvedCharacter(StrictModel):
    name: str
    model: str = Field(description="builtin:mannequin or an absolute path.")
    scale: float = 1.0
    height: float | None = None
    wardrobe: dict[str, str] = Field(default_factory=dict)


class ResolvedLocation(StrictModel):
    name: str
    preset_name: str = Field(description="The preset or library set the location is built from.")
    preset: LocationPreset
    set_file: str | None = None
    reason: str = Field("", description="Why this set: the preset asked for, or what its name matched.")
    seed: int | None = Field(None, description="The library set's seed (None for a preset).")
    weather: Weather = "clear"


class ResolvedRenderSettings(StrictModel):
    engine: Literal["cycles", "eevee", "workbench"]
    samples: int
    resolution: tuple[int, int]
    frame_rate: float
    seed: int
    threads: int
    max_frames_per_shot: int | None = None
    denoise: bool | None = Field(None, description="None: Cycles denoises from 8 samples.")
    motion_blur: bool = False


class ShotLine(StrictModel):
    """A line of dialogue heard during a shot; times in seconds from the shot's first frame."""

    speaker: str
    character: str | None = Field(None, description="The production's character who speaks it, None for other voices.")
    text: str
    start: float
    end: float
    off_screen: bool = False
    line: int = Field(description="Line in the screenplay.")


class ShotAction(StrictModel):
    """An action an action paragraph of the script gives a character ("Mike sits."), during a shot."""

    character: str
    action: str
    start: float = Field(description="Seconds from the shot's first frame.")
    end: float
    target: str | None = Field(None, description="The character the action is toward, when the sentence names one.")
    line: int


class ResolvedShot(StrictModel):
    id: str
    order: int
    source_index: int = Field(description="Index in the production's shots list (for messages).")
    source: str = Field("", description="file:line:col of the shot in the YAML ('' for generated shots).")
    template_name: str
    camera: ShotTemplate
    scene: int
    subjects: list[str]
    location: str
    frame_count: int
    looks: dict[str, str] = Field(default_factory=dict, description="Character -> wardrobe look for this scene.")
    notes: str = ""
    status: ReviewStatus = "wip"
    priority: int = Field(
        0, description="Farm scheduling: shots[].priority, else production.priority; not in the data version."
    )
    time_of_day: DayTime = "day"
    weather: Weather = "clear"
    props: list[PropPlacement] = Field(default_factory=list, description="Props placed for this shot only.")
    generated: bool = Field(False, description="Generated from the script by script_coverage.")
    script_line: int | None = Field(None, description="Screenplay line of the first beat a generated shot covers.")
    lines: list[ShotLine] = Field(default_factory=list, description="Dialogue heard during the shot.")
    script_actions: list[ShotAction] = Field(
        default_factory=list, description="Actions the script's action paragraphs give characters during the shot."
    )
    scene_speakers: list[str] = Field(default_factory=list, description="The characters who speak in the shot's scene.")
    action: dict[str, ActionRequests] = Field(default_factory=dict)
    blocking: dict[str, BlockingRequest] = Field(default_factory=dict)
    look_at: dict[str, LookAtRequest] = Field(default_factory=dict)
    render: ResolvedRenderSettings = Field(description="The production's render settings with the shot's changes.")


class ResolvedOutput(StrictModel):
    name: str
    format_name: str
    format: OutputFormat
    kind: CodecKind
    codec: CodecName
    resolution: tuple[int, int]
    frame_rate: float
    fit: Literal["crop", "letterbox"]
    path: str
    shot_clips: bool | None = None
    palette: str | None = None
    dither: Literal["none", "ordered", "error_diffusion"] = "ordered"
    colors: int | None = None
    pixel_scale: int = 3
    subtitles: Literal["sidecar", "burn_in", "none"] = "sidecar"
    subtitle_speakers: bool = False


class ResolvedProduction(StrictModel):
    slug: str
    title: str
    version: str
    root_file: str
    base_dir: str
    style_name: str
    style: StylePreset
    render: ResolvedRenderSettings
    characters: dict[str, ResolvedCharacter]
    locations: dict[str, ResolvedLocation]
    wardrobes: dict[str, WardrobeLook]
    shots: list[ResolvedShot]
    outputs: list[ResolvedOutput]
    scratch_audio: bool = False
    scene_headings: dict[int, str] = Field(default_factory=dict, description="Script scene number -> its heading.")

    @cached_property
    def layout(self) -> Layout:
        """Every path of the production's build (see :mod:`production_assets.model.layout`)."""
        return Layout(Path(self.base_dir))

    def shot(self, shot_id: str) -> ResolvedShot:
        return self._shots_by_id[shot_id]

    @cached_property
    def _shots_by_id(self) -> dict[str, ResolvedShot]:
        return {shot.id: shot for shot in self.shots}

    @property
    def total_frames(self) -> int:
        return sum(shot.frame_count for shot in self.shots)
