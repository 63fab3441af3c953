"""Preset data (configs/presets/*.yaml) as typed models.

Presets are data, not code: a studio adds a style, location, shot template,
wardrobe or output format by editing YAML.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from production_assets.media.codecs import CodecKind, CodecName
from production_assets.model.base import Color, StrictModel, Vec3
from production_assets.model.sets import CameraSafeZone, SetMark, WallOpening

LightRole = Literal["fill", "sun", "window", "practical"]
SurfaceRole = Literal["solid", "window", "practical"]


class LightSpec(StrictModel):
    """A Blender light (Properties > Object Data > Light).

    ``role`` tells the time of day what the light stands for in a set: ``sun``
    (moved and tinted with the sun), ``window`` (daylight through a window),
    ``practical`` (a lamp in the set: on at night) or ``fill`` (room light,
    kept). Style rigs ignore it.
    """

    kind: Literal["AREA", "POINT", "SUN", "SPOT"] = "AREA"
    location: Vec3
    rotation_deg: Vec3 = (0.0, 0.0, 0.0)
    color: Color = (1.0, 1.0, 1.0)
    energy: Annotated[float, Field(ge=0)] = 500.0
    size: Annotated[float, Field(gt=0)] = 1.0
    role: LightRole = "fill"


class PropSpec(StrictModel):
    """A primitive placed in a procedural set; ``scale`` is the half-size (a unit cube spans -1..1).

    ``role``: ``window`` surfaces show the outside (their glow follows the time
    of day), ``practical`` surfaces are lamp shades and bulbs (they glow when
    the lamps are on), ``solid`` is everything else. ``group`` names the prop
    the primitive belongs to (object names, debugging).
    """

    shape: Literal["cube", "cylinder", "sphere", "cone", "plane"] = "cube"
    location: Vec3
    scale: Vec3 = (1.0, 1.0, 1.0)
    rotation_deg: Vec3 = (0.0, 0.0, 0.0)
    color: Color = (0.5, 0.5, 0.5)
    roughness: Annotated[float, Field(ge=0, le=1)] = 0.6
    metallic: Annotated[float, Field(ge=0, le=1)] = 0.0
    emission: Annotated[float, Field(ge=0)] = 0.0
    role: SurfaceRole = "solid"
    group: str = ""


class WorldSpec(StrictModel):
    """The world background (Properties > World): a colour, an HDRI or a sky."""

    kind: Literal["color", "hdri", "sky"] = "color"
    color: Color = (0.05, 0.05, 0.06)
    strength: Annotated[float, Field(ge=0)] = 1.0
    hdri_path: str | None = None


class GradeSpec(StrictModel):
    """The style's colour grade, applied per frame in numpy (display-referred sRGB)."""

    lift: Annotated[float, Field(ge=-0.5, le=0.5)] = 0.0
    gamma: Annotated[float, Field(gt=0.1, le=5)] = 1.0
    gain: Annotated[float, Field(gt=0, le=4)] = 1.0
    contrast: Annotated[float, Field(gt=0, le=4)] = 1.0
    saturation: Annotated[float, Field(ge=0, le=4)] = 1.0
    shadows_tint: Color = (0.0, 0.0, 0.0)
    highlights_tint: Color = (0.0, 0.0, 0.0)
    monochrome: bool = False
    vignette: Annotated[float, Field(ge=0, le=1)] = 0.0
    grain: Annotated[float, Field(ge=0, le=1)] = 0.0


class StylePreset(StrictModel):
    """A style: colour management, light rig and grade."""

    description: str = ""
    view_transform: Literal["AgX", "Standard", "Filmic", "Khronos PBR Neutral"] = "AgX"
    look: str = "None"
    exposure: Annotated[float, Field(ge=-10, le=10)] = 0.0
    world_tint: Color = (1.0, 1.0, 1.0)
    key_light: LightSpec
    fill_light: LightSpec | None = None
    rim_light: LightSpec | None = None
    grade: GradeSpec = Field(default_factory=GradeSpec)


class LocationPreset(StrictModel):
    """A procedural set: floor, walls (with door and window openings), props, lights, world and marks.

    The back wall stands at ``+wall_distance``; the side walls at
    ``±wall_half_width`` (default 1.5 x ``wall_distance``) run from
    ``wall_front`` (default ``-wall_distance``) to the back wall; the -Y side
    stays open for the camera. ``setting`` decides how the time of day lights
    it (sky and sun outdoors, window light and lamps indoors).
    """

    description: str = ""
    setting: Literal["interior", "exterior"] = "interior"
    floor_color: Color = (0.4, 0.4, 0.4)
    floor_size: Annotated[float, Field(gt=0)] = 30.0
    floor_bounds: tuple[float, float, float, float] | None = Field(
        None, description="(min_x, max_x, min_y, max_y) of the floor; default: a floor_size square on the origin."
    )
    wall_color: Color | None = None
    wall_height: Annotated[float, Field(gt=0)] = 4.0
    wall_distance: Annotated[float, Field(gt=0)] = 6.0
    wall_half_width: Annotated[float, Field(gt=0)] | None = None
    wall_front: float | None = None
    openings: list[WallOpening] = Field(default_factory=list)
    props: list[PropSpec] = Field(default_factory=list)
    lights: list[LightSpec] = Field(default_factory=list)
    world: WorldSpec = Field(default_factory=WorldSpec)
    marks: dict[str, SetMark] = Field(default_factory=dict)
    camera_safe: CameraSafeZone = Field(default_factory=CameraSafeZone)

    @property
    def side_wall_x(self) -> float:
        return self.wall_half_width if self.wall_half_width is not None else self.wall_distance * 1.5

    @property
    def side_wall_front(self) -> float:
        return self.wall_front if self.wall_front is not None else -self.wall_distance


class ShotTemplate(StrictModel):
    """A camera recipe: lens, framing of the subject, height, angle and move."""

    description: str = ""
    lens: Annotated[float, Field(gt=1, le=2000)] = 35.0
    subject: Literal["characters", "set"] = "characters"
    frame_low: Annotated[float, Field(ge=-1, le=2)] = 0.0
    frame_high: Annotated[float, Field(ge=-1, le=3)] = 1.0
    margin: Annotated[float, Field(gt=0, le=50)] = 1.15
    angle: Annotated[float, Field(ge=-89, le=89)] = 0.0
    height: Annotated[float, Field(ge=-100, le=100)] = 0.0
    yaw: Annotated[float, Field(ge=-360, le=360)] = 0.0
    side_offset: Annotated[float, Field(ge=-10, le=10)] = 0.0
    move: Literal["static", "dolly_in", "dolly_out", "pan", "orbit"] = "static"
    move_amount: Annotated[float, Field(ge=0, le=10)] = 0.15


class WardrobeLook(StrictModel):
    """A wardrobe look: colours for the built-in stand-in, or a material/collection for a model file."""

    description: str = ""
    primary_color: Color = (0.3, 0.3, 0.35)
    secondary_color: Color = (0.15, 0.15, 0.18)
    skin_color: Color = (0.8, 0.6, 0.5)
    material: str | None = Field(None, description="Material in the model file applied to every mesh.")
    collection: str | None = Field(None, description="Collection in the model file to show.")


class OutputFormat(StrictModel):
    """A deliverable format."""

    description: str = ""
    kind: CodecKind = "video"
    codec: CodecName = "h264"
    resolution: tuple[int, int] = (1920, 1080)
    extension: str = ".mp4"
    bitrate: Annotated[int, Field(ge=0)] = 0
    palette: str | None = None
    colors: Annotated[int, Field(ge=2, le=256)] | None = None
    dither: Literal["none", "ordered", "error_diffusion"] = "ordered"
    pixel_scale: Annotated[int, Field(ge=1, le=16)] = 3


PRESET_KINDS = ("styles", "locations", "shot_templates", "wardrobes", "output_formats")


class PresetLibrary(StrictModel):
    """Every preset, by kind and name."""

    styles: dict[str, StylePreset]
    locations: dict[str, LocationPreset]
    shot_templates: dict[str, ShotTemplate]
    wardrobes: dict[str, WardrobeLook]
    output_formats: dict[str, OutputFormat]

    def with_local(self, local: LocalPresets) -> PresetLibrary:
        """This library with a production's own presets added; a local preset replaces a built-in one of the
        same name."""
        return PresetLibrary(**{kind: {**getattr(self, kind), **getattr(local, kind)} for kind in PRESET_KINDS})


class LocalPresets(StrictModel):
    """`presets:` — a production's own presets, in the format of configs/presets/*.yaml (also read from the
    files presets/<kind>.yaml beside the production file). A local preset replaces a built-in one of the
    same name for this production only."""

    styles: dict[str, StylePreset] = Field(default_factory=dict)
    locations: dict[str, LocationPreset] = Field(default_factory=dict)
    shot_templates: dict[str, ShotTemplate] = Field(default_factory=dict)
    wardrobes: dict[str, WardrobeLook] = Field(default_factory=dict)
    output_formats: dict[str, OutputFormat] = Field(default_factory=dict)
