"""Furniture props: desks, chairs, tables, sofas, beds, shelves, counters, lamps.

Each function draws one prop in its own frame (origin on the floor at its
centre, front toward -Y, so a seat at rotation 0 faces the camera) and
returns its primitives; the seed picks its colours.
"""

from __future__ import annotations

from random import Random

from production_assets.model.presets import PropSpec
from production_assets.sets.parts import (
    BLACK,
    CHROME,
    DARK_METAL,
    FOLIAGE,
    WARM_LIGHT,
    WHITE,
    WOOD,
    WOOD_DARK,
    WOOD_LIGHT,
    ball,
    bar,
    box,
    cylinder,
    legs,
    pick,
    vary,
)

UPHOLSTERY = ((0.25, 0.32, 0.5), (0.55, 0.2, 0.16), (0.35, 0.45, 0.3), (0.55, 0.5, 0.42), (0.3, 0.3, 0.32))
LINEN = ((0.9, 0.88, 0.82), (0.6, 0.7, 0.85), (0.8, 0.55, 0.5), (0.5, 0.6, 0.45), (0.85, 0.8, 0.6))
BOOK_COLORS = ((0.6, 0.15, 0.1), (0.15, 0.3, 0.55), (0.2, 0.45, 0.25), (0.75, 0.6, 0.2), (0.4, 0.2, 0.45))
WOODS = (WOOD_LIGHT, WOOD, WOOD_DARK)


def desk(rng: Random, width: float = 1.4, depth: float = 0.7) -> list[PropSpec]:
    top = vary(rng, pick(rng, (*WOODS, (0.85, 0.85, 0.83))))
    frame = pick(rng, (DARK_METAL, top))
    return [
        box(0, 0, 0.72, width, depth, 0.04, top, roughness=0.45),
        box(-width / 2 + 0.03, 0, 0, 0.04, depth - 0.06, 0.72, frame),
        box(width / 2 - 0.03, 0, 0, 0.04, depth - 0.06, 0.72, frame),
        box(0, depth / 2 - 0.05, 0.3, width - 0.1, 0.02, 0.4, frame),
        box(width / 2 - 0.25, 0, 0.45, 0.4, depth - 0.1, 0.27, frame),
    ]


def chair(rng: Random) -> list[PropSpec]:
    color = vary(rng, pick(rng, WOODS))
    return [
        *legs(0.44, 0.42, 0.44, color, radius=0.018),
        box(0, 0, 0.44, 0.46, 0.44, 0.04, color),
        box(0, 0.2, 0.48, 0.44, 0.03, 0.42, color),
    ]


def office_chair(rng: Random) -> list[PropSpec]:
    fabric = vary(rng, pick(rng, ((0.12, 0.12, 0.14), (0.15, 0.2, 0.35), (0.4, 0.1, 0.1))))
    base = [
        bar((0, 0, 0.06), (0.3 * dx, 0.3 * dy, 0.04), 0.02, BLACK)
        for dx, dy in ((1, 0), (0.31, 0.95), (-0.81, 0.59), (-0.81, -0.59), (0.31, -0.95))
    ]
    return [
        *base,
        cylinder(0, 0, 0.05, 0.03, 0.4, CHROME, metallic=1.0, roughness=0.3),
        box(0, 0, 0.45, 0.5, 0.48, 0.08, fabric),
        box(0, 0.24, 0.6, 0.46, 0.06, 0.55, fabric, rotation=(-8, 0, 0)),
        box(-0.26, 0, 0.55, 0.04, 0.3, 0.15, BLACK),
        box(0.26, 0, 0.55, 0.04, 0.3, 0.15, BLACK),
    ]


def table(rng: Random, width: float = 1.6, depth: float = 0.9, height: float = 0.75) -> list[PropSpec]:
    color = vary(rng, pick(rng, WOODS))
    return [
        *legs(width, depth, height - 0.04, color, inset=0.08, radius=0.035),
        box(0, 0, height - 0.04, width, depth, 0.04, color),
    ]


def round_table(rng: Random, radius: float = 0.45, height: float = 0.75) -> list[PropSpec]:
    color = vary(rng, pick(rng, (*WOODS, WHITE)))
    return [
        cylinder(0, 0, 0, 0.22, 0.03, DARK_METAL),
        cylinder(0, 0, 0, 0.035, height, DARK_METAL, metallic=0.8),
        cylinder(0, 0, height - 0.03, radius, 0.03, color),
    ]


def coffee_table(rng: Random) -> list[PropSpec]:
    return table(rng, 1.1, 0.6, 0.42)


def sofa(rng: Random, width: float = 2.0) -> list[PropSpec]:
    fabric = vary(rng, pick(rng, UPHOLSTERY))
    cushion = vary(rng, fabric, 0.04)
    return [
        box(0, 0.05, 0.08, width, 0.85, 0.32, fabric),
        box(-width / 4, -0.02, 0.4, width / 2 - 0.22, 0.7, 0.12, cushion),
        box(width / 4, -0.02, 0.4, width / 2 - 0.22, 0.7, 0.12, cushion),
        box(0, 0.4, 0.4, width, 0.2, 0.45, fabric),
        box(-width / 2 + 0.1, 0.05, 0.4, 0.2, 0.85, 0.22, fabric),
        box(width / 2 - 0.1, 0.05, 0.4, 0.2, 0.85, 0.22, fabric),
    ]


def armchair(rng: Random) -> list[PropSpec]:
    return sofa(rng, 1.0)


def bed(rng: Random, width: float = 1.6, length: float = 2.1) -> list[PropSpec]:
    frame = vary(rng, pick(rng, WOODS))
    cover = vary(rng, pick(rng, LINEN))
    pillow = vary(rng, WHITE, 0.03)
    pillows = (
        [box(x, length / 2 - 0.3, 0.58, width / 2 - 0.15, 0.4, 0.14, pillow) for x in (-width / 4, width / 4)]
        if width > 1.2
        else [box(0, length / 2 - 0.3, 0.58, 0.6, 0.4, 0.14, pillow)]
    )
    return [
        box(0, 0, 0.1, width, length, 0.25, frame),
        box(0, 0, 0.35, width - 0.06, length - 0.06, 0.22, WHITE),
        box(0, -0.25, 0.56, width + 0.04, length - 0.5, 0.06, cover),
        box(0, length / 2 + 0.04, 0, width + 0.1, 0.08, 1.05, frame),
        *legs(width, length, 0.1, frame, inset=0.05, radius=0.03),
        *pillows,
    ]


def nightstand(rng: Random) -> list[PropSpec]:
    color = vary(rng, pick(rng, (*WOODS, WHITE)))
    return [
        box(0, 0, 0, 0.45, 0.4, 0.55, color),
        box(0, -0.205, 0.35, 0.3, 0.01, 0.12, vary(rng, color, 0.1)),
        ball(0, -0.215, 0.41, (0.02, 0.02, 0.02), CHROME),
    ]


def wardrobe(rng: Random, width: float = 1.2) -> list[PropSpec]:
    color = vary(rng, pick(rng, (*WOODS, WHITE)))
    return [
        box(0, 0, 0, width, 0.6, 2.0, color),
        box(0, -0.305, 0.05, 0.01, 0.01, 1.9, BLACK),
        ball(-0.06, -0.31, 1.0, (0.02, 0.02, 0.02), CHROME),
        ball(0.06, -0.31, 1.0, (0.02, 0.02, 0.02), CHROME),
    ]


def shelf(
    rng: Random, width: float = 1.0, height: float = 1.9, depth: float = 0.35, books: bool = True
) -> list[PropSpec]:
    frame = vary(rng, pick(rng, (*WOODS, WHITE, DARK_METAL)))
    levels = 5
    parts = [
        box(-width / 2 + 0.02, 0, 0, 0.04, depth, height, frame),
        box(width / 2 - 0.02, 0, 0, 0.04, depth, height, frame),
        box(0, depth / 2 - 0.01, 0, width, 0.02, height, vary(rng, frame, 0.05)),
    ]
    for level in range(levels):
        z = level * (height - 0.03) / (levels - 1)
        parts.append(box(0, 0, z, width - 0.04, depth, 0.03, frame))
        if books and level < levels - 1:
            fill = rng.uniform(0.45, 0.9) * (width - 0.1)
            left = -width / 2 + 0.05
            for share in (0.55, 0.45):
                span = fill * share
                parts.append(
                    box(
                        left + span / 2,
                        0,
                        z + 0.03,
                        span,
                        depth * 0.8,
                        rng.uniform(0.2, 0.3),
                        vary(rng, pick(rng, BOOK_COLORS)),
                    )
                )
                left += span + 0.01
    return parts


def bookshelf(rng: Random) -> list[PropSpec]:
    return shelf(rng, 1.2, 2.0, 0.32)


def counter(
    rng: Random,
    width: float = 2.0,
    depth: float = 0.65,
    height: float = 0.92,
    top_color: tuple[float, float, float] | None = None,
) -> list[PropSpec]:
    body = vary(rng, pick(rng, (WHITE, (0.3, 0.35, 0.42), (0.55, 0.6, 0.5), WOOD)))
    top = top_color or vary(rng, pick(rng, ((0.2, 0.2, 0.2), (0.85, 0.83, 0.8), WOOD_LIGHT)))
    return [
        box(0, 0.02, 0.1, width, depth - 0.04, height - 0.14, body),
        box(0, 0.05, 0, width - 0.05, depth - 0.1, 0.1, BLACK),
        box(0, 0, height - 0.04, width + 0.02, depth, 0.04, top, roughness=0.3),
    ]


def stool(rng: Random, height: float = 0.75) -> list[PropSpec]:
    seat = vary(rng, pick(rng, (BLACK, (0.5, 0.12, 0.1), WOOD)))
    return [
        cylinder(0, 0, 0, 0.18, 0.03, DARK_METAL, metallic=0.8),
        cylinder(0, 0, 0, 0.03, height - 0.06, CHROME, metallic=1.0, roughness=0.3),
        cylinder(0, 0, height - 0.06, 0.19, 0.06, seat),
    ]


def lamp(rng: Random) -> list[PropSpec]:
    shade = vary(rng, pick(rng, ((0.95, 0.9, 0.75), (0.9, 0.8, 0.6), (0.85, 0.85, 0.85))), 0.03)
    return [
        cylinder(0, 0, 0, 0.08, 0.03, DARK_METAL),
        cylinder(0, 0, 0.03, 0.012, 0.3, DARK_METAL, metallic=0.7),
        cylinder(0, 0, 0.28, 0.16, 0.2, shade, shape="cone", emission=3.0, role="practical", radius_y=0.16),
    ]


def floor_lamp(rng: Random) -> list[PropSpec]:
    shade = vary(rng, pick(rng, ((0.95, 0.9, 0.75), (0.9, 0.82, 0.65))), 0.03)
    return [
        cylinder(0, 0, 0, 0.16, 0.03, DARK_METAL),
        cylinder(0, 0, 0.03, 0.015, 1.45, DARK_METAL, metallic=0.7),
        cylinder(0, 0, 1.42, 0.22, 0.28, shade, shape="cone", emission=3.0, role="practical"),
    ]


def ceiling_lamp(rng: Random, height: float = 2.8) -> list[PropSpec]:
    return [
        cylinder(0, 0, height - 0.5, 0.01, 0.5, BLACK),
        cylinder(
            0, 0, height - 0.75, 0.25, 0.25, vary(rng, WARM_LIGHT, 0.03), shape="cone", emission=4.0, role="practical"
        ),
    ]


def plant(rng: Random, size: float = 1.0) -> list[PropSpec]:
    pot = vary(rng, pick(rng, ((0.6, 0.3, 0.2), WHITE, BLACK)))
    leaves = vary(rng, FOLIAGE, 0.08)
    return [
        cylinder(0, 0, 0, 0.16 * size, 0.35 * size, pot, shape="cone", radius_y=0.16 * size),
        ball(0, 0, 0.65 * size, (0.3 * size, 0.3 * size, 0.38 * size), leaves),
        ball(0.12 * size, 0.05, 0.9 * size, (0.18 * size, 0.18 * size, 0.25 * size), vary(rng, leaves, 0.05)),
    ]


def rug(rng: Random, width: float = 2.4, depth: float = 1.7) -> list[PropSpec]:
    color = vary(rng, pick(rng, ((0.55, 0.18, 0.15), (0.2, 0.3, 0.5), (0.75, 0.68, 0.5), (0.3, 0.4, 0.3))))
    return [
        box(0, 0, 0, width, depth, 0.012, color, roughness=0.95),
        box(0, 0, 0.012, width - 0.3, depth - 0.3, 0.004, vary(rng, color, 0.12), roughness=0.95),
    ]


def door(rng: Random, width: float = 0.9, height: float = 2.1) -> list[PropSpec]:
    """A door in its frame, standing in the plane y = 0 (its face toward -Y)."""
    leaf = vary(rng, pick(rng, (WOOD, WOOD_DARK, WHITE, (0.25, 0.3, 0.4), (0.5, 0.12, 0.1))))
    trim = vary(rng, WHITE, 0.05)
    return [
        box(0, 0, 0, width, 0.05, height, leaf),
        box(-width / 2 - 0.04, 0, 0, 0.08, 0.09, height + 0.08, trim),
        box(width / 2 + 0.04, 0, 0, 0.08, 0.09, height + 0.08, trim),
        box(0, 0, height, width + 0.16, 0.09, 0.08, trim),
        ball(width / 2 - 0.1, -0.05, 1.0, (0.03, 0.03, 0.03), CHROME),
    ]


def picture(rng: Random, width: float = 0.8, height: float = 0.6) -> list[PropSpec]:
    """A framed picture hanging in the plane y = 0 at eye height."""
    art = vary(rng, pick(rng, ((0.7, 0.5, 0.2), (0.2, 0.45, 0.6), (0.6, 0.25, 0.3), (0.3, 0.5, 0.3))), 0.1)
    return [box(0, 0, 1.3, width, 0.03, height, BLACK), box(0, -0.02, 1.34, width - 0.1, 0.01, height - 0.08, art)]


def blackboard(rng: Random, width: float = 3.2) -> list[PropSpec]:
    """A chalkboard on a wall (plane y = 0) with a frame and a chalk tray."""
    board = vary(rng, pick(rng, ((0.12, 0.25, 0.18), (0.1, 0.12, 0.12))), 0.03)
    return [
        box(0, 0, 0.85, width + 0.1, 0.04, 1.3, WOOD),
        box(0, -0.025, 0.9, width, 0.01, 1.2, board, roughness=0.9),
        box(0, -0.06, 0.86, width, 0.1, 0.03, WOOD),
        box(-0.6, -0.035, 1.5, 0.9, 0.005, 0.03, WHITE),
        box(0.4, -0.035, 1.3, 1.2, 0.005, 0.03, WHITE),
    ]


def whiteboard(rng: Random, width: float = 1.8) -> list[PropSpec]:
    return [
        box(0, 0, 0.9, width + 0.06, 0.03, 1.06, CHROME, metallic=0.6),
        box(0, -0.02, 0.93, width, 0.01, 1.0, WHITE, roughness=0.2),
    ]


def cabinet(rng: Random, width: float = 0.9, height: float = 1.1) -> list[PropSpec]:
    color = vary(rng, pick(rng, ((0.55, 0.57, 0.6), WHITE, WOOD)))
    return [
        box(0, 0, 0, width, 0.5, height, color),
        *(box(0, -0.255, z, 0.2, 0.01, 0.03, CHROME) for z in (0.3 * height, 0.75 * height)),
    ]


def tv(rng: Random, width: float = 1.2) -> list[PropSpec]:
    """A flat television on a low stand; the screen glows faintly."""
    stand = vary(rng, pick(rng, (WOOD_DARK, BLACK, WHITE)))
    return [
        box(0, 0, 0, width + 0.4, 0.4, 0.45, stand),
        box(0, 0.05, 0.45, 0.3, 0.15, 0.05, BLACK),
        box(0, 0.05, 0.5, width, 0.05, width * 0.56, BLACK, roughness=0.2),
        box(0, 0.02, 0.53, width - 0.05, 0.01, width * 0.56 - 0.06, (0.3, 0.45, 0.65), emission=1.5),
    ]
