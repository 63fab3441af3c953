"""The production file, as typed data: what a technical director writes in YAML.

Every field documents the YAML key it maps to. The file's top level is
``production:`` holding a :class:`ProductionConfig`.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator, Field, PrivateAttr, field_validator

from production_assets.media.codecs import CodecName
from production_assets.model.acting import ActionRequests, BlockingRequest, LookAtRequest
from production_assets.model.base import StrictModel
from production_assets.model.meta import ProductionMeta
from production_assets.model.presets import LocalPresets
from production_assets.model.script import DayTime, ScriptTiming
from production_assets.model.sets import PropPlacement, Weather
from production_assets.model.source import SourceMap

if TYPE_CHECKING:
    from production_assets.model.results import ValidationResult


def _plain_path(value: str) -> str:
    if re.search(r"[\x00-\x1f]", value):
        raise ValueError("a path cannot contain control characters (NUL, newline, tab)")
    return value


PathText = Annotated[str, AfterValidator(_plain_path)]
DURATION_SECONDS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*s\s*$")
WARDROBE_RANGE = re.compile(r"^scenes?_(\d+)(?:_(\d+|end))?$")
# Scheduling, not content: a priority orders farm runs and never changes a shot's data version.
Priority = Annotated[int, Field(ge=0, strict=True)]


class Style(StrictModel):
    """`style:` — the look of the film; `preset` names a file in configs/presets/styles.yaml."""

    preset: str = Field("cinematic", description="Style preset: lighting rig, colour management, grade.")
    era: str = Field("present", description="Free text used in reports (e.g. 1970s).")
    mood: str = Field("neutral", description="Free text used in reports (e.g. dramatic).")


class Character(StrictModel):
    """`characters[]` — a performer in the film."""

    name: Annotated[str, Field(min_length=1, max_length=64)]
    model: PathText = Field(
        "builtin:mannequin",
        description="A .blend/.glb/.gltf/.fbx/.obj/.usd file relative to the YAML, or builtin:mannequin, "
        "builtin:mannequin_female, builtin:child.",
    )
    wardrobe: dict[str, str] = Field(
        default_factory=dict,
        description="Look per scene range: scenes_1_10, scene_4, scenes_11_end -> wardrobe name.",
    )
    scale: Annotated[float, Field(gt=0, le=100)] = 1.0
    height: Annotated[float, Field(gt=0, le=100)] | None = Field(None, description="Metres; rescales the model.")

    @field_validator("wardrobe")
    @classmethod
    def _check_ranges(cls, wardrobe: dict[str, str]) -> dict[str, str]:
        for key in wardrobe:
            match = WARDROBE_RANGE.match(key)
            if not match:
                raise ValueError(f"wardrobe key {key!r} is not a scene range like scenes_1_10, scene_4 or scenes_5_end")
            first, last = match.group(1), match.group(2)
            if last not in (None, "end") and int(last) < int(first):
                raise ValueError(f"wardrobe range {key!r} ends before it starts; write scenes_{last}_{first}")
        return wardrobe

    @cached_property
    def wardrobe_ranges(self) -> list[tuple[int, float, str, str]]:
        """(first scene, last scene, key, look) for each wardrobe entry, in scene order."""
        ranges = []
        for key, look in self.wardrobe.items():
            match = WARDROBE_RANGE.match(key)
            if match:
                first, last = int(match.group(1)), match.group(2)
                end = float("inf") if last == "end" else int(last) if last else first
                ranges.append((first, end, key, look))
        return sorted(ranges)

    def look_for_scene(self, scene: int) -> str | None:
        """The wardrobe look this character wears in ``scene`` (None when no range covers it)."""
        return next((look for first, last, _key, look in self.wardrobe_ranges if first <= scene <= last), None)


class Location(StrictModel):
    """`locations[]` — a set where shots take place."""

    name: Annotated[str, Field(min_length=1, max_length=64)]
    preset: str | None = Field(
        None,
        description="A location preset (configs/presets/locations.yaml or the production's) or a set of the "
        "library (office, kitchen, street, ...); default: the set whose name or aliases match the location's name "
        "or its scene heading's place.",
    )
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = Field(
        None, description="Pins a library set's layout and colours; default: derived from the location's name."
    )
    props: list[PropPlacement] = Field(
        default_factory=list, description="Props of the prop library on marks or at positions."
    )
    weather: Weather = Field(
        "clear", description="clear, rain, fog or snow (outdoors; indoors it shows in the windows)."
    )
    hdri: PathText | None = Field(None, description="An .hdr/.exr file, or a name looked up in the HDRI library.")
    set_file: PathText | None = Field(None, description="Optional .blend with the set, appended into the scene.")


class CameraOverride(StrictModel):
    """`shots[].camera` — per-shot changes to the template's camera."""

    lens: Annotated[float, Field(gt=1, le=2000)] | None = Field(None, description="Focal length in mm.")
    angle: Annotated[float, Field(ge=-89, le=89)] | None = Field(None, description="Pitch in degrees, + looks down.")
    height: Annotated[float, Field(ge=-100, le=1000)] | None = Field(None, description="Camera height offset (m).")
    yaw: Annotated[float, Field(ge=-360, le=360)] | None = Field(None, description="Azimuth around the subject.")
    move: Literal["static", "dolly_in", "dolly_out", "pan", "orbit"] | None = None


Duration = int | str
ReviewStatus = Literal["wip", "review", "approved", "final"]
LOCKED_STATUSES: tuple[ReviewStatus, ...] = ("approved", "final")


class ShotRender(StrictModel):
    """`shots[].render` — this shot's changes to `render_settings` (a hero shot at more samples, a crowd
    wide at a lower resolution)."""

    engine: Literal["cycles", "eevee", "workbench"] | None = None
    samples: Annotated[int, Field(ge=1, le=65536)] | None = None
    resolution_percentage: Annotated[int, Field(ge=1, le=100)] | None = Field(
        None, description="Of render_settings.resolution; the frames are scaled back up to it when delivered."
    )
    denoise: bool | None = Field(None, description="Cycles denoising (default: on from 8 samples).")
    motion_blur: bool | None = Field(None, description="Motion blur (Properties > Render > Motion Blur).")
    max_frames: Annotated[int, Field(ge=1)] | None = Field(None, description="Render at most this many frames.")


class Shot(StrictModel):
    """`shots[]` — one shot, built from a shot template."""

    template: str = Field(description="Shot template in configs/presets/shot_templates.yaml.")
    scene: Annotated[int, Field(ge=1, le=100000)] = 1
    character: str | None = Field(None, description="The shot's subject.")
    characters: list[str] = Field(default_factory=list, description="Several characters (two_shot, ...).")
    location: str | None = Field(None, description="Defaults to the scene's location or the only location.")
    duration: Duration = Field(48, description="Frames (48) or seconds ('2s').")
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")] | None = Field(
        None, description="Stable shot id; derived from scene, template and subject when absent."
    )
    camera: CameraOverride | None = None
    action: dict[str, ActionRequests] = Field(
        default_factory=dict,
        description='What each character does: {Hero: "walk"} or {Hero: {name: "walk", to: [2, 0], speed: 1.2}} '
        "or a list played in order; default: idle, or talk/listen and the script's action verbs.",
    )
    blocking: dict[str, BlockingRequest] = Field(
        default_factory=dict, description='Marks and facings: {Hero: {mark: [0, 0] or "desk", facing: "Villain"}}.'
    )
    look_at: dict[str, LookAtRequest] = Field(
        default_factory=dict, description='Eyelines: {Villain: "camera"}, a character, or a point [x, y, z].'
    )
    render: ShotRender | None = None
    status: ReviewStatus = Field(
        "wip", description="Review state; approved and final shots are locked: never re-rendered unless asked."
    )
    time_of_day: DayTime | None = Field(
        None, description="day, night, dusk, dawn, morning, evening; default: the scene heading's (or day)."
    )
    weather: Weather | None = Field(None, description="This shot's weather; default: its location's.")
    props: list[PropPlacement] = Field(default_factory=list, description="Props on the set for this shot only.")
    notes: str = ""
    priority: Priority | None = Field(
        None,
        description="Farm scheduling: higher renders first (a whole number, 0 or more); default: the production's "
        "priority. Changing it re-renders nothing.",
    )

    @field_validator("duration", mode="before")
    @classmethod
    def _refuse_booleans(cls, value: object) -> object:
        if isinstance(value, bool):
            raise ValueError("duration must be frames (48) or seconds ('2s'), not true/false")
        return value

    @field_validator("duration")
    @classmethod
    def _check_duration(cls, value: Duration) -> Duration:
        if isinstance(value, int):
            if not 1 <= value <= 100_000:
                raise ValueError(f"duration {value} frames is out of range: use 1 to 100000 frames")
            return value
        match = DURATION_SECONDS.match(value)
        if not match or float(match.group(1)) <= 0 or float(match.group(1)) > 3600:
            raise ValueError(f"duration {value!r} is not a positive number of frames or seconds like '3s'")
        return value

    def subjects(self) -> list[str]:
        """The characters in the shot, in order, without repeats."""
        names = ([self.character] if self.character else []) + list(self.characters)
        return list(dict.fromkeys(names))

    def frame_count(self, frame_rate: float) -> int:
        if isinstance(self.duration, int):
            return self.duration
        match = DURATION_SECONDS.match(self.duration)
        assert match is not None  # checked by the validator
        return max(1, round(float(match.group(1)) * frame_rate))


class RenderSettings(StrictModel):
    """`render_settings:` — how frames are rendered (Blender: Properties > Render/Output)."""

    engine: Literal["cycles", "eevee", "workbench"] = "cycles"
    samples: Annotated[int, Field(ge=1, le=65536)] = 64
    resolution: tuple[Annotated[int, Field(ge=16, le=16384)], Annotated[int, Field(ge=16, le=16384)]] = (1920, 1080)
    resolution_percentage: Annotated[int, Field(ge=1, le=100)] = 100
    frame_rate: Annotated[float, Field(gt=0, le=240)] = 24
    quality: Literal["final", "preview"] = Field(
        "final", description="preview renders at 25% resolution and at most 16 samples."
    )
    max_frames_per_shot: Annotated[int, Field(ge=1)] | None = Field(
        None, description="Frame range policy: render at most this many frames of each shot (for previews)."
    )
    threads: Annotated[int, Field(ge=0, le=1024)] = Field(0, description="0 = share the cores between workers.")
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = 0
    denoise: bool | None = Field(
        None, description="Cycles denoising (Render > Sampling > Denoise); None: from 8 samples."
    )
    motion_blur: bool = Field(False, description="Motion blur (Render > Motion Blur).")

    def effective_resolution(self) -> tuple[int, int]:
        percentage = self.resolution_percentage * (0.25 if self.quality == "preview" else 1.0)
        width, height = (max(2, round(side * percentage / 100)) for side in self.resolution)
        return width + width % 2, height + height % 2

    def effective_samples(self) -> int:
        return min(self.samples, 16) if self.quality == "preview" else self.samples


class RetroSettings(StrictModel):
    """`outputs[].retro` — the console look of a retro output."""

    palette: PathText = Field("snes", description="snes, nes, gameboy, genesis, pico8, or a .gpl/.pal/.hex file.")
    dither: Literal["none", "ordered", "error_diffusion"] = "ordered"
    colors: Annotated[int, Field(ge=2, le=256)] | None = None
    pixel_scale: Annotated[int, Field(ge=1, le=16)] = 3


class Output(StrictModel):
    """`outputs[]` — one deliverable."""

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")] | None = Field(
        None, description="Defaults to the format name."
    )
    format: str = Field(description="Output format preset in configs/presets/output_formats.yaml.")
    path: PathText = Field(description="Folder for the deliverable, relative to the YAML file.")
    codec: CodecName | None = None
    resolution: tuple[Annotated[int, Field(ge=16, le=16384)], Annotated[int, Field(ge=16, le=16384)]] | None = None
    frame_rate: Annotated[float, Field(gt=0, le=240)] | None = None
    fit: Literal["crop", "letterbox"] = "letterbox"
    shot_clips: bool | None = Field(None, description="A clip per shot beside the film (default: ProRes masters only).")
    retro: RetroSettings | None = None
    subtitles: Literal["sidecar", "burn_in", "none"] = Field(
        "sidecar", description="sidecar: .srt and .vtt beside the film; burn_in: also drawn on the frames; none."
    )
    subtitle_speakers: bool = Field(False, description="Prefix every subtitle with its speaker's name.")

    @property
    def output_name(self) -> str:
        return self.name or self.format


class ProductionConfig(StrictModel):
    """`production:` — a whole film."""

    title: Annotated[str, Field(min_length=1, max_length=200)]
    version: str = "1.0"
    author: str = ""
    description: str = ""
    created: str | None = Field(None, description="Filled from the file's timestamps when absent.")
    modified: str | None = None
    script: PathText | None = Field(None, description="A Fountain screenplay, relative to the YAML file.")
    presets: LocalPresets = Field(
        default_factory=LocalPresets,
        description="This production's own styles, locations, shot templates, wardrobes and output formats "
        "(also read from presets/<kind>.yaml beside the production file); they replace built-in ones of the same name.",
    )
    style: Style = Field(default_factory=Style)
    characters: list[Character] = Field(default_factory=list)
    locations: list[Location] = Field(default_factory=list)
    shots: list[Shot] = Field(default_factory=list)
    shot_list: PathText | None = Field(None, description="A YAML file holding more shots (a list or {shots: [...]}).")
    render_settings: RenderSettings = Field(default_factory=RenderSettings)
    outputs: list[Output] = Field(default_factory=list)
    script_coverage: bool = Field(
        False,
        description="Cover every scene of the script with shots timed to its beats (see coverage); shots written "
        "here replace the generated shot of the same scene, template and subject.",
    )
    script_timing: ScriptTiming = Field(
        default_factory=ScriptTiming, description="How long the script's beats last (words per second, pauses)."
    )
    coverage: Literal["singles", "over_the_shoulder", "master_only"] = Field(
        "singles",
        description="How script_coverage cuts a scene: a master over action and a single per line (singles), "
        "over-the-shoulder shots when two characters trade lines, or one master shot per scene.",
    )
    scratch_audio: bool = Field(
        False, description="A text-to-speech read of every line in the films' audio (needs espeak-ng)."
    )
    priority: Priority = Field(
        0,
        description="Farm scheduling: this production's shots render before those of productions with a lower "
        "priority (a whole number, 0 or more; shots[].priority overrides it per shot). Changing it re-renders nothing.",
    )

    _source: SourceMap | None = PrivateAttr(None)

    @property
    def source(self) -> SourceMap | None:
        """Positions of the loaded values (None for a config built in Python)."""
        return self._source

    @property
    def base_dir(self) -> Path:
        """The folder relative paths in the production are resolved against."""
        return self._source.root_file.parent if self._source else Path.cwd()

    @property
    def meta(self) -> ProductionMeta:
        """The production's metadata (title, version, author, description, created, modified)."""
        return ProductionMeta.model_validate({name: getattr(self, name) for name in ProductionMeta.model_fields})

    def validate(self) -> ValidationResult:  # type: ignore[override]
        """Every issue in this production (see ``validate_production``).

        Replaces pydantic's deprecated ``BaseModel.validate`` classmethod; build a config from data with
        ``ProductionConfig.model_validate``.
        """
        # Imported here: validation builds on the model, not the other way round.
        from production_assets.validation.validators import validate_production

        return validate_production(self)
