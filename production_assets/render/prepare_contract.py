"""The prepare job: a character or a location built once into a .blend that every shot reuses.

Pure pydantic, no bpy, so orchestration builds and checks these jobs without
Blender. A job is plain JSON; ``python -m production_assets.render.prepare``
runs it under Dagster Pipes (``extras[PREPARE_EXTRAS_KEY]``) or standalone
with ``--job prepare.json``, and reports :data:`PREPARE_METADATA_KEYS`.

A shot uses the results through its :class:`RenderJob`: a character's file
goes in ``CharacterPlacement.prepared_blend``; the location's file is passed
to the render worker as ``extras[LOCATION_BLEND_EXTRAS_KEY]`` (Pipes) or
``--location-blend [LOCATION=]PATH`` (command line).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from production_assets.model.base import StrictModel
from production_assets.model.presets import LocationPreset, WardrobeLook

PREPARE_COMMAND_MODULE = "production_assets.render.prepare"
PREPARE_EXTRAS_KEY = "prepare"
LOCATION_BLEND_EXTRAS_KEY = "location_blend"
# The asset the render worker reports its materialization for (the shots step selects two).
ASSET_KEY_EXTRAS_KEY = "asset_key"
PREPARE_METADATA_KEYS = (
    "kind",
    "name",
    "output_blend",
    "objects",
    "materials",
    "looks",
    "bytes",
    "seconds",
    "data_version",
)
Kind = Literal["character", "location"]


class PreparedCharacterSpec(StrictModel):
    """The character to prepare: its model and every look its shots wear.

    ``height`` and ``scale`` are recorded in the file for reference only; each
    shot scales the character from its own :class:`CharacterPlacement`.
    """

    model: str = Field(description="builtin:mannequin or an absolute path to a model file.")
    looks: Annotated[dict[str, WardrobeLook], Field(min_length=1)]
    height: float | None = None
    scale: float = 1.0


class PrepareJob(StrictModel):
    """Build one character or location and publish it atomically at ``output_blend``."""

    kind: Kind
    name: str
    data_version: str
    output_blend: str = Field(description="Absolute path of the .blend to publish, e.g. build/characters/Hero.blend.")
    character: PreparedCharacterSpec | None = None
    location: LocationPreset | None = None

    @model_validator(mode="after")
    def _payload_matches_kind(self) -> PrepareJob:
        if not os.path.isabs(self.output_blend) or not self.output_blend.endswith(".blend"):
            raise ValueError(f"output_blend must be an absolute path ending in .blend, got {self.output_blend!r}")
        if self.kind == "character" and (self.character is None or self.location is not None):
            raise ValueError("a character job needs 'character' and no 'location'")
        if self.kind == "location" and (self.location is None or self.character is not None):
            raise ValueError("a location job needs 'location' and no 'character'")
        return self


class PrepareReport(StrictModel):
    """What a prepare job published; :meth:`as_metadata` is the Dagster metadata."""

    kind: Kind
    name: str
    output_blend: str
    objects: int
    materials: int
    looks: list[str]
    bytes: int
    seconds: float
    data_version: str

    def as_metadata(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def character_prepare_job(
    name: str,
    model: str,
    looks: dict[str, WardrobeLook],
    output_blend: str | Path,
    data_version: str,
    height: float | None = None,
    scale: float = 1.0,
) -> PrepareJob:
    """A job preparing character ``name`` in every look of ``looks``."""
    spec = PreparedCharacterSpec(model=model, looks=looks, height=height, scale=scale)
    return PrepareJob(
        kind="character", name=name, data_version=data_version, output_blend=str(output_blend), character=spec
    )


def location_prepare_job(
    name: str, location: LocationPreset, output_blend: str | Path, data_version: str
) -> PrepareJob:
    """A job preparing location ``name`` (set, practical lights and untinted world)."""
    return PrepareJob(
        kind="location", name=name, data_version=data_version, output_blend=str(output_blend), location=location
    )
