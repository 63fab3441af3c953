"""A production with every preset, template, reference and path resolved."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from production_assets.model.base import StrictModel
from production_assets.model.layout import Layout
from production_assets.model.presets import LocationPreset, OutputFormat, ShotTemplate, StylePreset, WardrobeLook


class ResolvedCharacter(StrictModel):
    name: str
    model: str = Field(description="builtin:mannequin or an absolute path.")
    scale: float = 1.0
    height: float | None = None
    wardrobe: dict[str, str] = Field(default_factory=dict)


class ResolvedLocation(StrictModel):
    name: str
    preset_name: str
    preset: LocationPreset
    set_file: str | None = None


class ResolvedShot(StrictModel):
    id: str
    order: int
    source_index: int = Field(description="Index in the production's shots list (for messages).")
    template_name: str
    camera: ShotTemplate
    scene: int
    subjects: list[str]
    location: str
    frame_count: int
    looks: dict[str, str] = Field(default_factory=dict, description="Character -> wardrobe look for this scene.")
    notes: str = ""


class ResolvedOutput(StrictModel):
    name: str
    format_name: str
    format: OutputFormat
    kind: Literal["video", "retro"]
    codec: Literal["h264", "prores_4444", "png", "gif"]
    resolution: tuple[int, int]
    frame_rate: float
    fit: Literal["crop", "letterbox"]
    path: str
    shot_clips: bool | None = None
    palette: str | None = None
    dither: Literal["none", "ordered", "error_diffusion"] = "ordered"
    colors: int | None = None
    pixel_scale: int = 3


class ResolvedRenderSettings(StrictModel):
    engine: Literal["cycles", "eevee", "workbench"]
    samples: int
    resolution: tuple[int, int]
    frame_rate: float
    seed: int
    threads: int
    max_frames_per_shot: int | None = None


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

    @property
    def layout(self) -> Layout:
        """Every path of the production's build (see :mod:`production_assets.model.layout`)."""
        return Layout(Path(self.base_dir))

    def shot(self, shot_id: str) -> ResolvedShot:
        for shot in self.shots:
            if shot.id == shot_id:
                return shot
        raise KeyError(shot_id)

    @property
    def total_frames(self) -> int:
        return sum(shot.frame_count for shot in self.shots)
