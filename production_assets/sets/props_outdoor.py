"""Outdoor props: trees, benches, street furniture, cars, building facades, beach and rooftop items.

Drawn like every prop: origin on the ground at its centre, front toward -Y.
Building windows are ``practical`` surfaces: dark glass by day, lit at night.
"""

from __future__ import annotations

from random import Random

from production_assets.model.presets import PropSpec
from production_assets.sets.parts import (
    BARK,
    BLACK,
    CHROME,
    DARK_METAL,
    FOLIAGE,
    WHITE,
    WOOD,
    ball,
    bar,
    box,
    cylinder,
    pick,
    vary,
)

CAR_PAINT = (
    (0.7, 0.08, 0.06),
    (0.1, 0.2, 0.45),
    (0.85, 0.85, 0.83),
    (0.1, 0.1, 0.11),
    (0.55, 0.57, 0.6),
    (0.9, 0.7, 0.1),
)
FACADE = (
    (0.62, 0.32, 0.22),
    (0.78, 0.72, 0.6),
    (0.55, 0.55, 0.58),
    (0.82, 0.78, 0.7),
    (0.45, 0.3, 0.25),
    (0.6, 0.65, 0.7),
)
WINDOW_GLASS = (0.16, 0.22, 0.3)
LIT_WINDOW = (1.0, 0.8, 0.5)


def tree(rng: Random, height: float | None = None) -> list[PropSpec]:
    """A broadleaf tree: a trunk and two or three blobs of foliage."""
    tall = height or rng.uniform(4.0, 6.5)
    leaves = vary(rng, FOLIAGE, 0.08)
    crown = tall * 0.3
    parts = [cylinder(0, 0, 0, 0.16 * tall / 5, tall * 0.6, vary(rng, BARK), roughness=0.9)]
    parts.append(ball(0, 0, tall * 0.7, (crown, crown, crown * 0.85), leaves))
    for _ in range(rng.randint(1, 2)):
        dx, dy = rng.uniform(-0.6, 0.6) * crown, rng.uniform(-0.4, 0.4) * crown
        parts.append(ball(dx, dy, tall * rng.uniform(0.6, 0.85), (crown * 0.7,) * 3, vary(rng, leaves, 0.05)))  # type: ignore[arg-type]
    return parts


def pine(rng: Random, height: float | None = None) -> list[PropSpec]:
    tall = height or rng.uniform(6.0, 10.0)
    needles = vary(rng, (0.1, 0.25, 0.12), 0.04)
    return [
        cylinder(0, 0, 0, 0.18, tall * 0.3, vary(rng, BARK)),
        cylinder(0, 0, tall * 0.2, tall * 0.22, tall * 0.45, needles, shape="cone"),
        cylinder(0, 0, tall * 0.45, tall * 0.16, tall * 0.4, vary(rng, needles, 0.03), shape="cone"),
        cylinder(0, 0, tall * 0.68, tall * 0.1, tall * 0.32, needles, shape="cone"),
    ]


def palm(rng: Random) -> list[PropSpec]:
    lean = rng.uniform(-12, 12)
    leaves = vary(rng, (0.2, 0.45, 0.15), 0.05)
    fronds = [box(0, 0, 5.0, 2.6, 0.5, 0.05, leaves, rotation=(0, -25, angle)) for angle in (0, 60, 120, 180, 240, 300)]
    return [cylinder(0, 0, 0, 0.17, 5.2, (0.55, 0.45, 0.32), rotation=(lean, 0, 0)), *fronds]


def bush(rng: Random) -> list[PropSpec]:
    size = rng.uniform(0.5, 0.9)
    return [ball(0, 0, size * 0.6, (size, size * 0.8, size * 0.7), vary(rng, FOLIAGE, 0.08))]


def rock(rng: Random) -> list[PropSpec]:
    size = rng.uniform(0.3, 0.9)
    return [ball(0, 0, size * 0.3, (size, size * 0.8, size * 0.55), vary(rng, (0.45, 0.43, 0.4), 0.06))]


def log(rng: Random) -> list[PropSpec]:
    return [cylinder(0, 0, 0.22, 0.22, rng.uniform(2.0, 3.0), vary(rng, BARK), rotation=(0, 90, 0))]


def bench(rng: Random, width: float = 1.8) -> list[PropSpec]:
    """A park bench: slatted seat and back, iron ends; a sitter faces -Y."""
    slat = vary(rng, pick(rng, (WOOD, (0.2, 0.35, 0.25), (0.55, 0.4, 0.25))))
    iron = DARK_METAL
    parts = [box(0, y, 0.42, width, 0.09, 0.04, slat) for y in (-0.16, -0.05, 0.06)]
    parts += [box(0, 0.2, z, width, 0.04, 0.09, slat, rotation=(-12, 0, 0)) for z in (0.55, 0.7)]
    parts += [box(x, 0, 0, 0.06, 0.5, 0.45, iron, metallic=0.6) for x in (-width / 2 + 0.15, width / 2 - 0.15)]
    return parts


def street_light(rng: Random, height: float = 5.5) -> list[PropSpec]:
    """A lamp post whose lamp head overhangs toward -Y (its glass is a practical)."""
    return [
        cylinder(0, 0, 0, 0.12, 0.4, DARK_METAL, metallic=0.6),
        cylinder(0, 0, 0.4, 0.06, height - 0.4, DARK_METAL, metallic=0.6),
        bar((0, 0, height - 0.05), (0, -0.9, height - 0.05), 0.04, DARK_METAL, metallic=0.6),
        box(0, -1.0, height - 0.2, 0.25, 0.45, 0.15, DARK_METAL),
        box(0, -1.0, height - 0.23, 0.2, 0.38, 0.03, (1.0, 0.86, 0.62), emission=10.0, role="practical"),
    ]


def car(rng: Random) -> list[PropSpec]:
    """A saloon car 4.4 m long along X, headlights at +X."""
    paint = vary(rng, pick(rng, CAR_PAINT), 0.03)
    wheels = [cylinder(x, y, 0.33, 0.33, 0.22, BLACK, rotation=(90, 0, 0)) for x in (-1.35, 1.35) for y in (-0.8, 0.8)]
    for part in wheels:
        part.location = (part.location[0], part.location[1], 0.33)
    return [
        box(0, 0, 0.28, 4.4, 1.75, 0.62, paint, metallic=0.6, roughness=0.25),
        box(-0.25, 0, 0.9, 2.3, 1.6, 0.55, paint, metallic=0.6, roughness=0.25),
        box(-0.25, 0, 0.95, 2.32, 1.62, 0.42, (0.08, 0.1, 0.13), roughness=0.05),
        box(2.2, -0.55, 0.55, 0.04, 0.3, 0.12, WHITE, emission=0.5),
        box(2.2, 0.55, 0.55, 0.04, 0.3, 0.12, WHITE, emission=0.5),
        box(-2.2, 0, 0.6, 0.04, 1.5, 0.1, (0.6, 0.05, 0.04)),
        *wheels,
    ]


def building(rng: Random, width: float = 8.0, height: float | None = None, shop: bool = False) -> list[PropSpec]:
    """A facade block whose front (toward -Y) is at y = 0: rows of windows, a door, maybe a shop front."""
    tall = height or rng.choice((7.0, 10.0, 13.0, 16.0))
    wall = vary(rng, pick(rng, FACADE), 0.05)
    trim = vary(rng, WHITE, 0.08)
    parts = [box(0, 4.0, 0, width, 8.0, tall, wall, roughness=0.85), box(0, 3.9, tall, width + 0.2, 8.2, 0.3, trim)]
    columns = max(1, int(width // 2.2))
    pitch = width / columns
    floors = int((tall - 3.5) // 3.0) + 1
    for floor in range(floors):
        z = 3.6 + floor * 3.0 if floor else 4.0
        if z + 1.6 > tall:
            break
        for column in range(columns):
            x = -width / 2 + (column + 0.5) * pitch
            lit = rng.random() < 0.35
            parts.append(
                box(
                    x,
                    -0.02,
                    z,
                    1.1,
                    0.05,
                    1.5,
                    LIT_WINDOW if lit else WINDOW_GLASS,
                    roughness=0.1,
                    emission=0.7 if lit else 0.0,
                    role="practical" if lit else "solid",
                )
            )
            parts.append(box(x, -0.08, z - 0.08, 1.3, 0.14, 0.08, trim))
    door_x = rng.uniform(-width / 2 + 1.0, width / 2 - 1.0)
    if shop:
        awning = vary(rng, pick(rng, ((0.7, 0.1, 0.1), (0.1, 0.35, 0.2), (0.15, 0.2, 0.5))))
        parts.append(
            box(0, -0.03, 0.4, width - 1.0, 0.05, 2.1, LIT_WINDOW, roughness=0.1, emission=0.8, role="practical")
        )
        parts.append(box(0, -0.6, 2.8, width - 0.6, 1.2, 0.08, awning, rotation=(-15, 0, 0)))
    else:
        parts.append(
            box(door_x, -0.04, 0, 1.1, 0.06, 2.3, vary(rng, pick(rng, (WOOD, (0.15, 0.2, 0.3), (0.45, 0.1, 0.08)))))
        )
        parts.append(box(door_x, -0.3, 0, 1.6, 0.6, 0.15, (0.6, 0.6, 0.6)))
    return parts


def skyline_block(rng: Random) -> list[PropSpec]:
    """A distant tower for a skyline: its base far below the viewer, a few lit window bands."""
    width, tall = rng.uniform(8, 18), rng.uniform(20, 70)
    body = vary(rng, pick(rng, ((0.4, 0.42, 0.48), (0.55, 0.5, 0.45), (0.3, 0.33, 0.38), (0.65, 0.65, 0.68))), 0.05)
    parts = [box(0, 0, -40, width, width, tall, body, roughness=0.7)]
    for band in range(3):
        z = -40 + tall * (0.55 + 0.13 * band)
        parts.append(
            box(0, -width / 2 - 0.05, z, width * 0.85, 0.1, 1.2, (0.95, 0.8, 0.5), emission=1.0, role="practical")
        )
    return parts


def fence(rng: Random, width: float = 4.0) -> list[PropSpec]:
    color = vary(rng, pick(rng, (WOOD, WHITE, DARK_METAL)))
    posts = [box(-width / 2 + i * width / 4, 0, 0, 0.08, 0.08, 1.2, color) for i in range(5)]
    return [*posts, box(0, 0, 0.3, width, 0.04, 0.1, color), box(0, 0, 0.9, width, 0.04, 0.1, color)]


def umbrella(rng: Random) -> list[PropSpec]:
    canopy = vary(rng, pick(rng, ((0.9, 0.2, 0.2), (0.95, 0.75, 0.1), (0.2, 0.5, 0.8), (0.95, 0.95, 0.9))))
    return [cylinder(0, 0, 0, 0.025, 2.3, WHITE), cylinder(0, 0, 1.9, 1.3, 0.45, canopy, shape="cone")]


def towel(rng: Random) -> list[PropSpec]:
    return [
        box(
            0,
            0,
            0,
            0.8,
            1.7,
            0.02,
            vary(rng, pick(rng, ((0.9, 0.3, 0.4), (0.2, 0.6, 0.8), (0.95, 0.8, 0.2))), 0.05),
            roughness=0.95,
        )
    ]


def deck_chair(rng: Random) -> list[PropSpec]:
    fabric = vary(rng, pick(rng, ((0.2, 0.4, 0.8), (0.9, 0.4, 0.2), (0.3, 0.7, 0.4))))
    return [
        box(0, -0.3, 0.25, 0.6, 0.7, 0.04, fabric, rotation=(8, 0, 0)),
        box(0, 0.35, 0.3, 0.6, 0.04, 0.75, fabric, rotation=(-35, 0, 0)),
        bar((-0.32, -0.6, 0.0), (-0.32, 0.5, 0.7), 0.02, WOOD),
        bar((0.32, -0.6, 0.0), (0.32, 0.5, 0.7), 0.02, WOOD),
    ]


def water_tank(rng: Random) -> list[PropSpec]:
    """A rooftop water tank on a steel stand."""
    wood = vary(rng, (0.45, 0.32, 0.2), 0.05)
    stand = [bar((x, y, 0), (x, y, 2.0), 0.06, DARK_METAL) for x in (-1.0, 1.0) for y in (-1.0, 1.0)]
    return [
        *stand,
        cylinder(0, 0, 2.0, 1.4, 2.6, wood, roughness=0.9),
        cylinder(0, 0, 4.6, 1.5, 0.9, vary(rng, (0.3, 0.3, 0.32)), shape="cone"),
    ]


def ac_unit(rng: Random) -> list[PropSpec]:
    return [
        box(0, 0, 0, 1.2, 0.9, 0.9, vary(rng, (0.75, 0.75, 0.73), 0.04), metallic=0.3),
        cylinder(0, 0, 0.9, 0.35, 0.03, DARK_METAL),
    ]


def vent_pipe(rng: Random) -> list[PropSpec]:
    return [
        cylinder(0, 0, 0, 0.15, 1.1, CHROME, metallic=0.8),
        cylinder(0, 0, 1.1, 0.25, 0.18, CHROME, metallic=0.8, shape="cone"),
    ]


def antenna(rng: Random) -> list[PropSpec]:
    return [
        bar((0, 0, 0), (0, 0, 4.5), 0.03, DARK_METAL),
        bar((-0.8, 0, 3.8), (0.8, 0, 3.8), 0.015, DARK_METAL),
        ball(0, 0, 4.5, (0.06, 0.06, 0.06), (1.0, 0.1, 0.1), emission=6.0, role="practical"),
    ]


def hydrant(rng: Random) -> list[PropSpec]:
    red = vary(rng, (0.75, 0.1, 0.08), 0.04)
    return [
        cylinder(0, 0, 0, 0.12, 0.6, red),
        ball(0, 0, 0.62, (0.13, 0.13, 0.1), red),
        bar((-0.2, 0, 0.4), (0.2, 0, 0.4), 0.05, red),
    ]


def bollard(rng: Random) -> list[PropSpec]:
    return [cylinder(0, 0, 0, 0.1, 0.9, vary(rng, DARK_METAL, 0.03), metallic=0.5)]


def planter(rng: Random) -> list[PropSpec]:
    return [
        box(0, 0, 0, 1.0, 1.0, 0.5, vary(rng, (0.5, 0.5, 0.5), 0.05)),
        ball(0, 0, 0.7, (0.45, 0.45, 0.35), vary(rng, FOLIAGE, 0.06)),
    ]


def car_bodywork(rng: Random) -> list[PropSpec]:
    """A previs car cabin seen from the bonnet: shell, dashboard, wheel, two front and a rear bench seat.

    The windscreen is open toward -Y (the camera's side); the roof sits at
    1.95 m so standing stand-ins fit under it.
    """
    paint = vary(rng, pick(rng, CAR_PAINT), 0.03)
    trim = vary(rng, pick(rng, ((0.15, 0.15, 0.16), (0.45, 0.4, 0.33), (0.3, 0.25, 0.22))), 0.03)
    seat = vary(rng, pick(rng, ((0.12, 0.12, 0.13), (0.45, 0.3, 0.2), (0.55, 0.52, 0.48))), 0.03)
    parts = [
        box(0, 0.9, 0, 1.9, 4.0, 0.3, trim),
        box(-0.98, 0.9, 0.3, 0.08, 3.8, 0.75, paint, metallic=0.6, roughness=0.3),
        box(0.98, 0.9, 0.3, 0.08, 3.8, 0.75, paint, metallic=0.6, roughness=0.3),
        box(0, 2.85, 0.3, 1.9, 0.1, 0.75, paint, metallic=0.6, roughness=0.3),
        box(0, 0.9, 1.95, 2.05, 4.0, 0.1, paint, metallic=0.6, roughness=0.3),
        box(0, -2.0, 0.0, 1.95, 1.2, 0.9, paint, metallic=0.6, roughness=0.3, rotation=(-4, 0, 0)),
        box(0, -2.62, 0.15, 2.0, 0.1, 0.25, CHROME, metallic=1.0, roughness=0.3),
        box(0, -2.62, 0.45, 0.8, 0.05, 0.2, BLACK),
        box(-0.72, -2.62, 0.5, 0.35, 0.05, 0.16, WHITE, emission=2.0, role="practical"),
        box(0.72, -2.62, 0.5, 0.35, 0.05, 0.16, WHITE, emission=2.0, role="practical"),
        box(0, -0.4, 1.88, 2.05, 0.14, 0.12, paint, metallic=0.6, roughness=0.3),
        box(-1.1, -0.62, 1.1, 0.2, 0.06, 0.12, paint, metallic=0.6),
        box(1.1, -0.62, 1.1, 0.2, 0.06, 0.12, paint, metallic=0.6),
        box(0, -0.95, 0.55, 1.9, 0.5, 0.45, trim, roughness=0.7),
        box(-0.45, -0.73, 1.0, 0.5, 0.04, 0.14, BLACK, emission=0.0),
        box(-0.45, -0.72, 1.03, 0.4, 0.01, 0.08, (1.0, 0.55, 0.2), emission=2.0),
        cylinder(-0.45, -0.55, 1.1, 0.19, 0.04, BLACK, rotation=(-62, 0, 0)),
        bar((-0.45, -0.55, 1.1), (-0.45, -0.78, 0.95), 0.025, BLACK),
        bar((-0.98, -0.72, 1.05), (-0.98, -0.35, 1.95), 0.05, paint),
        bar((0.98, -0.72, 1.05), (0.98, -0.35, 1.95), 0.05, paint),
        bar((-0.98, 1.0, 1.05), (-0.98, 1.0, 1.95), 0.05, paint),
        bar((0.98, 1.0, 1.05), (0.98, 1.0, 1.95), 0.05, paint),
        bar((-0.98, 2.8, 1.05), (-0.98, 2.6, 1.95), 0.08, paint),
        bar((0.98, 2.8, 1.05), (0.98, 2.6, 1.95), 0.08, paint),
        box(0, 2.88, 1.05, 1.9, 0.05, 0.9, (0.45, 0.6, 0.75), role="window", emission=1.0),
        box(0, -0.45, 1.7, 0.25, 0.05, 0.07, BLACK),
    ]
    for x in (-0.45, 0.45):
        parts += [
            box(x, 0.25, 0.3, 0.55, 0.55, 0.18, seat),
            box(x, 0.55, 0.48, 0.55, 0.14, 0.7, seat, rotation=(-10, 0, 0)),
            box(x, 0.6, 1.22, 0.28, 0.12, 0.22, seat),
        ]
    parts += [box(0, 1.75, 0.3, 1.75, 0.6, 0.2, seat), box(0, 2.15, 0.5, 1.75, 0.15, 0.7, seat, rotation=(-10, 0, 0))]
    return parts
