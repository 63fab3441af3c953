"""Writing a set plan: :class:`SetPlan` collects props, lights and marks, then yields a :class:`LocationPreset`.

Set generators (:mod:`.rooms_home`, :mod:`.rooms_work`, :mod:`.outdoors`)
use it so each reads as a floor plan: "a desk here, its mark there".
"""

from __future__ import annotations

from random import Random
from typing import Any

from production_assets.model.base import Color, Vec3
from production_assets.model.presets import LightSpec, LocationPreset, PropSpec, WorldSpec
from production_assets.model.sets import CameraSafeZone, SetMark, WallOpening
from production_assets.sets.parts import aim_rotation
from production_assets.sets.props import build_prop

INTERIOR_WORLD = WorldSpec(kind="color", color=(0.05, 0.05, 0.056), strength=1.0)
EXTERIOR_SKY = WorldSpec(kind="sky", color=(0.45, 0.6, 0.9), strength=1.0)


class SetPlan:
    """A set being laid out with a seeded random source."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.props: list[PropSpec] = []
        self.lights: list[LightSpec] = []
        self.marks: dict[str, SetMark] = {}
        self.openings: list[WallOpening] = []

    def add(self, name: str, x: float, y: float, rotation: float = 0.0, z: float = 0.0, **options: Any) -> None:
        """Prop ``name`` of the library at (x, y), turned ``rotation`` degrees, standing at height ``z``."""
        self.props += build_prop(name, self.rng, x, y, rotation, z, **options)

    def parts(self, parts: list[PropSpec]) -> None:
        """Primitives drawn directly in set coordinates (ground strips, platforms, drapes)."""
        self.props += parts

    def mark(self, name: str, x: float, y: float, facing: float = 0.0, surface: Vec3 | None = None) -> None:
        self.marks[name] = SetMark(x=round(x, 3), y=round(y, 3), facing_deg=facing, surface=surface)

    def opening(self, wall: str, kind: str, offset: float, width: float, height: float, sill: float = 0.0) -> None:
        self.openings.append(WallOpening(wall=wall, kind=kind, offset=offset, width=width, height=height, sill=sill))  # type: ignore[arg-type]

    def light(
        self,
        kind: str,
        location: Vec3,
        energy: float,
        color: Color = (1.0, 1.0, 1.0),
        size: float = 0.3,
        role: str = "fill",
        aim: Vec3 = (0.0, 0.0, -1.0),
    ) -> None:
        """A light at ``location`` shining along ``aim`` (area, spot and sun lights)."""
        self.lights.append(
            LightSpec(
                kind=kind,
                location=location,
                rotation_deg=aim_rotation(aim),
                color=color,
                energy=energy,
                size=size,
                role=role,
            )  # type: ignore[arg-type]
        )

    def jitter(self, spread: float) -> float:
        return self.rng.uniform(-spread, spread)

    def finish(self, *, camera_safe: CameraSafeZone | None = None, **fields: Any) -> LocationPreset:
        """The plan as a location preset; ``fields`` are the preset's own (walls, floor, world, setting).

        The camera-safe zone defaults to 4 m either side of the centre line
        (less in a narrower room: it stays inside the side walls) at y <= -2.
        """
        if camera_safe is None:
            half = min(4.0, fields.get("wall_half_width", 99.0) - 0.3)
            camera_safe = CameraSafeZone(min_x=-half, max_x=half)
        return LocationPreset(
            props=self.props,
            lights=self.lights,
            marks=self.marks,
            openings=self.openings,
            camera_safe=camera_safe,
            **fields,
        )


def room_fields(
    plan: SetPlan,
    *,
    floor: Color,
    walls: Color,
    width: float,
    depth: float,
    height: float = 2.9,
    front: float = -2.6,
    world: WorldSpec = INTERIOR_WORLD,
) -> dict[str, Any]:
    """The preset fields of a room ``width`` wide whose back wall is ``depth`` behind the origin."""
    return {
        "setting": "interior",
        "floor_color": floor,
        "floor_size": 40.0,
        "wall_color": walls,
        "wall_height": height,
        "wall_distance": depth,
        "wall_half_width": width / 2.0,
        "wall_front": front,
        "world": world,
    }


def ceiling_fill(
    plan: SetPlan,
    height: float,
    energy: float = 350.0,
    color: Color = (1.0, 0.96, 0.9),
    size: float = 4.0,
    y: float = 0.8,
) -> None:
    """The room's overhead light (role ``fill``: kept whatever the time of day)."""
    plan.light("AREA", (0.0, y, height - 0.05), energy, color, size, role="fill")
