"""Building blocks of props and sets: primitives in local coordinates, placing them, colours that vary by seed.

A prop is drawn in its own frame (origin on the floor at its centre, front
toward -Y) and placed with :func:`place` (turned about Z, then moved). Sizes
passed to :func:`box` and friends are full sizes in metres; :class:`PropSpec`
stores half-sizes (a unit cube spans -1..1).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from random import Random
from typing import Literal

from production_assets.model.base import Color, Vec3
from production_assets.model.presets import PropSpec, SurfaceRole

WHITE: Color = (0.92, 0.92, 0.9)
BLACK: Color = (0.04, 0.04, 0.045)
CHROME: Color = (0.75, 0.76, 0.78)
DARK_METAL: Color = (0.22, 0.23, 0.25)
WOOD_LIGHT: Color = (0.72, 0.55, 0.36)
WOOD: Color = (0.5, 0.33, 0.18)
WOOD_DARK: Color = (0.3, 0.18, 0.1)
FOLIAGE: Color = (0.18, 0.4, 0.14)
BARK: Color = (0.3, 0.2, 0.12)
WARM_LIGHT: Color = (1.0, 0.78, 0.5)
SCREEN_BLUE: Color = (0.55, 0.75, 1.0)


def box(
    x: float,
    y: float,
    z: float,
    width: float,
    depth: float,
    height: float,
    color: Color,
    *,
    rotation: Vec3 = (0.0, 0.0, 0.0),
    roughness: float = 0.6,
    metallic: float = 0.0,
    emission: float = 0.0,
    role: SurfaceRole = "solid",
) -> PropSpec:
    """A box of full size ``width`` x ``depth`` x ``height`` whose bottom face sits at ``z``."""
    return PropSpec(
        shape="cube",
        location=(x, y, z + height / 2.0),
        scale=(width / 2.0, depth / 2.0, height / 2.0),
        rotation_deg=rotation,
        color=color,
        roughness=roughness,
        metallic=metallic,
        emission=emission,
        role=role,
    )


def cylinder(
    x: float,
    y: float,
    z: float,
    radius: float,
    height: float,
    color: Color,
    *,
    rotation: Vec3 = (0.0, 0.0, 0.0),
    roughness: float = 0.6,
    metallic: float = 0.0,
    emission: float = 0.0,
    role: SurfaceRole = "solid",
    shape: Literal["cylinder", "cone"] = "cylinder",
    radius_y: float | None = None,
) -> PropSpec:
    """An upright cylinder (or cone) of ``radius`` and ``height`` whose base sits at ``z`` (before ``rotation``)."""
    return PropSpec(
        shape=shape,
        location=(x, y, z + height / 2.0),
        scale=(radius, radius if radius_y is None else radius_y, height / 2.0),
        rotation_deg=rotation,
        color=color,
        roughness=roughness,
        metallic=metallic,
        emission=emission,
        role=role,
    )


def bar(
    start: Vec3, end: Vec3, radius: float, color: Color, *, roughness: float = 0.4, metallic: float = 0.0
) -> PropSpec:
    """A cylinder from ``start`` to ``end`` (legs, rails, poles, pipes)."""
    dx, dy, dz = (end[0] - start[0], end[1] - start[1], end[2] - start[2])
    length = math.sqrt(dx * dx + dy * dy + dz * dz)
    tilt = math.degrees(math.acos(max(-1.0, min(1.0, dz / length)))) if length > 0 else 0.0
    heading = math.degrees(math.atan2(-dx, dy)) if (dx or dy) else 0.0
    return PropSpec(
        shape="cylinder",
        location=((start[0] + end[0]) / 2.0, (start[1] + end[1]) / 2.0, (start[2] + end[2]) / 2.0),
        scale=(radius, radius, length / 2.0),
        rotation_deg=(-tilt, 0.0, heading) if (dx or dy) else (0.0, 0.0, 0.0),
        color=color,
        roughness=roughness,
        metallic=metallic,
    )


def ball(
    x: float, y: float, z: float, radii: Vec3, color: Color, *, emission: float = 0.0, role: SurfaceRole = "solid"
) -> PropSpec:
    """A sphere (or ellipsoid of half-sizes ``radii``) centred at (x, y, z)."""
    return PropSpec(shape="sphere", location=(x, y, z), scale=radii, color=color, emission=emission, role=role)


def legs(
    width: float, depth: float, height: float, color: Color, inset: float = 0.04, radius: float = 0.025
) -> list[PropSpec]:
    """Four upright legs under a ``width`` x ``depth`` top, ``inset`` from its corners."""
    half_w, half_d = width / 2.0 - inset, depth / 2.0 - inset
    return [
        cylinder(sx * half_w, sy * half_d, 0.0, radius, height, color, roughness=0.5)
        for sx in (-1, 1)
        for sy in (-1, 1)
    ]


def aim_rotation(direction: Vec3) -> Vec3:
    """XYZ Euler degrees that turn an object's -Z axis (a light's beam) toward ``direction``."""
    dx, dy, dz = direction
    length = math.sqrt(dx * dx + dy * dy + dz * dz)
    dx, dy, dz = dx / length, dy / length, dz / length
    tilt = math.degrees(math.acos(max(-1.0, min(1.0, -dz))))
    heading = math.degrees(math.atan2(-dx, dy)) if (abs(dx) > 1e-9 or abs(dy) > 1e-9) else 0.0
    return (tilt, 0.0, heading)


def rotate_xy(x: float, y: float, degrees: float) -> tuple[float, float]:
    """(x, y) turned counter-clockwise about the origin."""
    angle = math.radians(degrees)
    cos, sin = math.cos(angle), math.sin(angle)
    return (x * cos - y * sin, x * sin + y * cos)


def place(
    parts: Iterable[PropSpec], x: float, y: float, rotation: float = 0.0, group: str = "", z: float = 0.0
) -> list[PropSpec]:
    """Parts drawn in a prop's frame, turned ``rotation`` degrees about Z and moved to (x, y, z)."""
    placed = []
    for part in parts:
        px, py = rotate_xy(part.location[0], part.location[1], rotation)
        rx, ry, rz = part.rotation_deg
        placed.append(
            part.model_copy(
                update={
                    "location": (round(px + x, 4), round(py + y, 4), round(part.location[2] + z, 4)),
                    "rotation_deg": (rx, ry, round((rz + rotation + 180.0) % 360.0 - 180.0, 3)),
                    "group": part.group or group,
                }
            )
        )
    return placed


def vary(rng: Random, color: Color, amount: float = 0.06) -> Color:
    """``color`` nudged per channel by up to ``amount`` (sRGB display values stay in 0..1)."""
    shift = rng.uniform(-amount, amount)
    return tuple(round(min(1.0, max(0.0, c + shift + rng.uniform(-amount, amount) / 3.0)), 3) for c in color)  # type: ignore[return-value]


def pick(rng: Random, options: Sequence[Color]) -> Color:
    """One of ``options``, chosen by the seed."""
    return options[rng.randrange(len(options))]
