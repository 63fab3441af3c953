"""The contract between orchestration and the bpy worker: one shot to render, as data.

A render job is plain JSON, so it can be inspected, stored beside the frames
and replayed by hand: ``python -m production_assets.render.worker --job job.json``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from production_assets.model.acting import ActionClip, LookTarget
from production_assets.model.base import StrictModel, Vec3
from production_assets.model.presets import LocationPreset, ShotTemplate, StylePreset, WardrobeLook
from production_assets.model.script import DayTime
from production_assets.model.sets import Weather


class CharacterPlacement(StrictModel):
    """A character in the shot: its model, its look for this scene, its mark, what it does and where it looks.

    Conventions: metres, Z up. ``position`` is where the feet stand (the mark);
    ``facing_deg`` 0 faces -Y (toward a camera at yaw 0), positive turns
    counter-clockwise seen from above (90 faces +X). ``actions`` are timed clips
    of the action library (production_assets.acting.registry); frames no clip
    covers play ``idle``, so a placement without clips idles for the whole shot.
    ``look_at`` aims head and eyes at a world point or at the shot camera
    (None: straight ahead along the facing).
    """

    name: str
    model: str = Field(description="A built-in model (builtin:mannequin, ...) or an absolute path to a model file.")
    look: WardrobeLook
    look_name: str = "default"
    position: Vec3 = (0.0, 0.0, 0.0)
    facing_deg: float = 0.0
    height: float | None = None
    scale: float = 1.0
    prepared_blend: str | None = Field(None, description="A prepared character .blend, when one was built.")
    actions: list[ActionClip] = Field(default_factory=list, description="Timed action clips; idle where none plays.")
    look_at: LookTarget | None = Field(None, description='A world point [x, y, z] or "camera"; None: straight ahead.')


class RenderJob(StrictModel):
    """Everything the worker needs to build and render one shot."""

    shot_id: str
    scene_number: int = 1
    data_version: str
    frames_dir: str = Field(description="Finished frames land here as frame_NNNN.png.")
    staging_dir: str = Field(description="Frames are rendered here and renamed into frames_dir when complete.")
    frame_count: Annotated[int, Field(ge=1)]
    resolution: tuple[int, int]
    engine: Literal["cycles", "eevee", "workbench"] = "cycles"
    samples: Annotated[int, Field(ge=1)] = 16
    denoise: bool | None = Field(None, description="Cycles denoising; None: on from 8 samples.")
    motion_blur: bool = False
    seed: int = 0
    threads: Annotated[int, Field(ge=0)] = 0
    frame_rate: float = 24.0
    location_name: str
    location: LocationPreset
    characters: list[CharacterPlacement] = Field(default_factory=list)
    camera: ShotTemplate
    style: StylePreset
    time_of_day: DayTime = "day"
    weather: Weather = "clear"
