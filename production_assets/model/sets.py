"""Typed parts of a procedural set that blocking and the YAML refer to: marks, wall openings, prop placements.

Conventions (as everywhere in a set): metres, Z up, the action around the
origin, the camera side at -Y. A facing of 0 degrees looks toward -Y (the
camera), like ``CharacterPlacement.facing_deg``; positive angles turn
counter-clockwise seen from above.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from production_assets.model.base import StrictModel, Vec3

Weather = Literal["clear", "rain", "fog", "snow"]


class SetMark(StrictModel):
    """A named spot on a set: where an actor stands (``x``, ``y``, ``facing_deg``).

    ``surface`` is the point on the furniture in front of the mark (a desk top,
    a counter) where a tabletop prop placed on this mark lands; without it
    every prop lands on the floor at the mark.
    """

    x: float
    y: float
    facing_deg: float = 0.0
    surface: Vec3 | None = None


class WallOpening(StrictModel):
    """A door or window cut into one of the room's walls.

    ``offset`` runs along the wall (X for the back wall, Y for the side
    walls); ``sill`` is the bottom of the opening above the floor (0 for a door).
    """

    wall: Literal["back", "left", "right"] = "back"
    kind: Literal["door", "window"] = "window"
    offset: float = 0.0
    width: Annotated[float, Field(gt=0)] = 1.2
    height: Annotated[float, Field(gt=0)] = 1.3
    sill: Annotated[float, Field(ge=0)] = 0.9


class CameraSafeZone(StrictModel):
    """Where shot cameras may stand: no set geometry rises above ``min_z`` for x in [min_x, max_x], y <= max_y.

    The floor (or ground) and flat markings on it (under 5 cm) do not count. Shot templates
    put the camera at -Y of the action, 1.2 to 9 m away.
    """

    min_x: float = -4.0
    max_x: float = 4.0
    max_y: float = -2.0
    min_z: float = 0.0


class PropPlacement(StrictModel):
    """`props[]` on a location or shot: a prop from the library at a set mark or at a floor position.

    ``rotation`` is degrees about Z (0 = the prop's front toward -Y); on a mark
    it defaults to the mark's facing, elsewhere to 0.
    """

    name: Annotated[str, Field(min_length=1, description="A prop of the prop library (desk, lamp, crate, ...).")]
    mark: str | None = Field(None, description="A mark of the location's set (desk, door, centre, ...).")
    position: tuple[float, float] | None = Field(None, description="[x, y] in metres on the floor.")
    rotation: float | None = Field(None, description="Degrees about Z.")

    @model_validator(mode="after")
    def _one_place(self) -> PropPlacement:
        if (self.mark is None) == (self.position is None):
            raise ValueError("a prop needs exactly one of 'mark' or 'position'")
        return self
