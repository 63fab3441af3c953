"""Fixtures and small objects: kitchen and bathroom fittings, bar and shop fittings, desk items, boxes.

Drawn like every prop: origin on the floor (or on the surface it stands on)
at its centre, front toward -Y.
"""

from __future__ import annotations

from random import Random

from production_assets.model.presets import PropSpec
from production_assets.sets.parts import (
    BLACK,
    CHROME,
    DARK_METAL,
    SCREEN_BLUE,
    WHITE,
    WOOD,
    WOOD_DARK,
    ball,
    bar,
    box,
    cylinder,
    pick,
    vary,
)
from production_assets.sets.props_furniture import counter

APPLIANCE = (WHITE, (0.8, 0.81, 0.82), (0.2, 0.2, 0.22), (0.6, 0.75, 0.72))
GLASS_COLORS = ((0.2, 0.45, 0.2), (0.45, 0.25, 0.1), (0.75, 0.75, 0.8), (0.15, 0.25, 0.5))


def computer(rng: Random) -> list[PropSpec]:
    """A monitor (screen lit), its stand and a keyboard, on a desk top."""
    screen = vary(rng, SCREEN_BLUE, 0.1)
    return [
        box(0, 0.05, 0, 0.22, 0.16, 0.015, BLACK),
        box(0, 0.08, 0.015, 0.04, 0.03, 0.2, BLACK),
        box(0, 0.06, 0.14, 0.56, 0.03, 0.34, BLACK, roughness=0.3),
        box(0, 0.044, 0.16, 0.52, 0.005, 0.3, screen, emission=2.0),
        box(0, -0.18, 0, 0.44, 0.14, 0.02, vary(rng, (0.15, 0.15, 0.16))),
    ]


def printer(rng: Random) -> list[PropSpec]:
    body = vary(rng, pick(rng, ((0.85, 0.85, 0.83), (0.25, 0.25, 0.27))))
    return [
        box(0, 0, 0, 0.45, 0.4, 0.22, body),
        box(0, -0.2, 0.05, 0.3, 0.12, 0.02, WHITE),
        box(0.12, -0.12, 0.22, 0.12, 0.08, 0.01, (0.2, 0.5, 0.3), emission=1.0),
    ]


def phone(rng: Random) -> list[PropSpec]:
    color = pick(rng, (BLACK, WHITE, (0.5, 0.1, 0.1)))
    return [box(0, 0, 0, 0.18, 0.2, 0.06, color), box(0, 0, 0.06, 0.2, 0.05, 0.04, color, rotation=(0, 0, 90))]


def mug(rng: Random) -> list[PropSpec]:
    color = vary(rng, pick(rng, (WHITE, (0.7, 0.2, 0.15), (0.2, 0.35, 0.6))))
    return [cylinder(0, 0, 0, 0.045, 0.1, color, roughness=0.3), box(0.055, 0, 0.025, 0.03, 0.012, 0.06, color)]


def bottle(rng: Random) -> list[PropSpec]:
    glass = vary(rng, pick(rng, GLASS_COLORS), 0.05)
    return [
        cylinder(0, 0, 0, 0.04, 0.22, glass, roughness=0.15),
        cylinder(0, 0, 0.22, 0.015, 0.09, glass, roughness=0.15),
    ]


def cardboard_box(rng: Random, size: float = 0.5) -> list[PropSpec]:
    color = vary(rng, (0.62, 0.45, 0.28), 0.05)
    height = size * rng.uniform(0.6, 1.0)
    return [
        box(0, 0, 0, size, size * 0.8, height, color, roughness=0.9),
        box(0, 0, height, size, 0.06, 0.004, (0.75, 0.65, 0.45)),
    ]


def crate(rng: Random, size: float = 0.9) -> list[PropSpec]:
    wood = vary(rng, (0.55, 0.4, 0.22), 0.06)
    slat = vary(rng, wood, 0.05)
    return [
        box(0, 0, 0, size, size, size, wood, roughness=0.9),
        box(0, -size / 2 - 0.01, size * 0.1, size, 0.02, 0.1, slat),
        box(0, -size / 2 - 0.01, size * 0.8, size, 0.02, 0.1, slat),
        box(0, -size / 2 - 0.01, 0, 0.1, 0.02, size, slat, rotation=(0, 45, 0)),
    ]


def barrel(rng: Random) -> list[PropSpec]:
    color = vary(rng, pick(rng, ((0.12, 0.25, 0.45), (0.5, 0.12, 0.08), (0.25, 0.35, 0.2), (0.5, 0.35, 0.15))))
    return [
        cylinder(0, 0, 0, 0.3, 0.9, color, roughness=0.4),
        cylinder(0, 0, 0.2, 0.31, 0.04, DARK_METAL, metallic=0.6),
        cylinder(0, 0, 0.66, 0.31, 0.04, DARK_METAL, metallic=0.6),
    ]


def fridge(rng: Random) -> list[PropSpec]:
    color = vary(rng, pick(rng, APPLIANCE), 0.03)
    return [
        box(0, 0, 0, 0.7, 0.68, 1.85, color, roughness=0.3),
        box(0, -0.345, 1.2, 0.69, 0.01, 0.01, BLACK),
        box(0.28, -0.36, 0.75, 0.03, 0.03, 0.35, CHROME, metallic=1.0),
        box(0.28, -0.36, 1.3, 0.03, 0.03, 0.3, CHROME, metallic=1.0),
    ]


def stove(rng: Random) -> list[PropSpec]:
    color = vary(rng, pick(rng, APPLIANCE), 0.03)
    burners = [cylinder(x, y, 0.92, 0.09, 0.015, BLACK) for x in (-0.15, 0.15) for y in (-0.13, 0.13)]
    return [
        box(0, 0, 0, 0.6, 0.62, 0.92, color, roughness=0.3),
        box(0, -0.315, 0.15, 0.5, 0.01, 0.45, (0.08, 0.08, 0.09), roughness=0.15),
        box(0, -0.33, 0.68, 0.45, 0.02, 0.02, CHROME, metallic=1.0),
        box(0, 0.28, 0.92, 0.6, 0.06, 0.14, color),
        *burners,
    ]


def kitchen_sink(rng: Random, width: float = 1.2) -> list[PropSpec]:
    return [
        *counter(rng, width),
        box(0, 0.02, 0.89, 0.5, 0.4, 0.04, CHROME, metallic=1.0, roughness=0.25),
        cylinder(0, 0.24, 0.92, 0.02, 0.28, CHROME, metallic=1.0, roughness=0.2),
        bar((0, 0.24, 1.19), (0, 0.1, 1.19), 0.015, CHROME, metallic=1.0),
    ]


def wall_cabinets(rng: Random, width: float = 2.0) -> list[PropSpec]:
    """Upper kitchen cabinets hanging at 1.45 m against the wall behind them."""
    color = vary(rng, pick(rng, (WHITE, (0.35, 0.45, 0.4), WOOD, (0.6, 0.55, 0.45))))
    doors = max(2, round(width / 0.5))
    parts = [box(0, 0, 1.45, width, 0.35, 0.72, color)]
    parts += [box(-width / 2 + (i + 0.5) * width / doors, -0.18, 1.5, 0.02, 0.01, 0.12, CHROME) for i in range(doors)]
    return parts


def bathtub(rng: Random) -> list[PropSpec]:
    """A tub 1.7 m long, lying along X, with its tap at +X."""
    return [
        box(0, 0, 0, 1.7, 0.75, 0.55, WHITE, roughness=0.2),
        box(0, 0, 0.45, 1.55, 0.6, 0.11, vary(rng, (0.7, 0.8, 0.85), 0.03), roughness=0.05),
        cylinder(0.8, 0, 0.55, 0.02, 0.2, CHROME, metallic=1.0),
    ]


def toilet(rng: Random) -> list[PropSpec]:
    return [
        cylinder(0, -0.05, 0, 0.17, 0.4, WHITE, roughness=0.2, radius_y=0.22),
        cylinder(0, -0.05, 0.4, 0.2, 0.04, WHITE, roughness=0.2, radius_y=0.25),
        box(0, 0.22, 0.4, 0.42, 0.18, 0.38, WHITE, roughness=0.2),
    ]


def washbasin(rng: Random) -> list[PropSpec]:
    return [
        cylinder(0, 0, 0, 0.09, 0.78, WHITE, roughness=0.2),
        box(0, 0, 0.78, 0.6, 0.45, 0.12, WHITE, roughness=0.2),
        box(0, -0.02, 0.86, 0.44, 0.3, 0.05, (0.75, 0.8, 0.82), roughness=0.1),
        cylinder(0, 0.17, 0.9, 0.015, 0.15, CHROME, metallic=1.0),
    ]


def mirror(rng: Random, width: float = 0.7, height: float = 0.9) -> list[PropSpec]:
    """A mirror in the plane y = 0, its centre at 1.55 m."""
    return [
        box(0, 0, 1.55 - height / 2, width + 0.06, 0.03, height + 0.06, vary(rng, pick(rng, (WHITE, WOOD, BLACK)))),
        box(0, -0.02, 1.55 - height / 2 + 0.03, width, 0.01, height, (0.85, 0.88, 0.9), metallic=1.0, roughness=0.02),
    ]


def towel_rail(rng: Random) -> list[PropSpec]:
    towel = vary(rng, pick(rng, ((0.85, 0.4, 0.3), (0.4, 0.6, 0.75), WHITE)))
    return [
        bar((-0.3, 0, 1.1), (0.3, 0, 1.1), 0.012, CHROME, metallic=1.0),
        box(0, -0.02, 0.55, 0.45, 0.04, 0.55, towel, roughness=0.95),
    ]


def bar_counter(rng: Random, width: float = 4.0) -> list[PropSpec]:
    """A bar: panelled front toward -Y, a glossy top, a brass foot rail."""
    front = vary(rng, pick(rng, (WOOD_DARK, WOOD, (0.25, 0.12, 0.1))))
    top = vary(rng, pick(rng, (WOOD_DARK, BLACK, (0.3, 0.16, 0.08))))
    return [
        box(0, 0, 0, width, 0.6, 1.06, front, roughness=0.5),
        box(0, -0.05, 1.06, width + 0.1, 0.75, 0.05, top, roughness=0.15),
        bar((-width / 2, -0.42, 0.2), (width / 2, -0.42, 0.2), 0.025, (0.8, 0.6, 0.25), metallic=1.0),
    ]


def back_bar(rng: Random, width: float = 4.0) -> list[PropSpec]:
    """Shelves of bottles behind a bar, against the wall behind them."""
    parts = [box(0, 0, 0, width, 0.45, 0.9, vary(rng, WOOD_DARK))]
    for z in (1.2, 1.65):
        parts.append(box(0, 0.05, z, width, 0.28, 0.03, WOOD_DARK))
        for i in range(int(width / 0.35)):
            x = -width / 2 + 0.2 + i * 0.35
            parts.append(
                cylinder(x, 0.05, z + 0.03, 0.04, 0.3, vary(rng, pick(rng, GLASS_COLORS), 0.05), roughness=0.1)
            )
    parts.append(box(0, 0.2, 1.1, width, 0.02, 0.9, (0.7, 0.72, 0.75), metallic=1.0, roughness=0.1))
    return parts


def till(rng: Random) -> list[PropSpec]:
    """A cash register on a counter top."""
    body = vary(rng, pick(rng, ((0.2, 0.2, 0.22), (0.75, 0.74, 0.7))))
    return [
        box(0, 0, 0, 0.4, 0.4, 0.1, body),
        box(0, 0.02, 0.1, 0.36, 0.26, 0.06, body, rotation=(-15, 0, 0)),
        box(0, 0.12, 0.12, 0.25, 0.04, 0.18, BLACK),
        box(0, 0.1, 0.16, 0.22, 0.005, 0.12, (0.3, 0.9, 0.5), emission=2.0),
    ]


def shop_shelf(rng: Random, width: float = 1.8) -> list[PropSpec]:
    """A gondola shelf stacked with goods: rows of coloured packets."""
    frame = vary(rng, pick(rng, (WHITE, (0.55, 0.6, 0.65))), 0.03)
    parts = [box(0, 0.2, 0, width, 0.04, 1.7, frame), box(0, 0, 0, width, 0.45, 0.1, frame)]
    goods = (
        (0.85, 0.2, 0.15),
        (0.95, 0.75, 0.15),
        (0.2, 0.45, 0.75),
        (0.25, 0.6, 0.3),
        (0.9, 0.5, 0.6),
        (0.95, 0.95, 0.9),
    )
    for z in (0.1, 0.5, 0.9, 1.3):
        parts.append(box(0, 0, z, width, 0.42, 0.025, frame))
        for i in range(3):
            span = width / 3 - 0.04
            parts.append(
                box(
                    -width / 3 + i * width / 3,
                    -0.02,
                    z + 0.025,
                    span,
                    0.34,
                    rng.uniform(0.18, 0.3),
                    vary(rng, pick(rng, goods), 0.08),
                )
            )
    return parts


def books(rng: Random) -> list[PropSpec]:
    return [
        box(0, 0, 0.05 * i, 0.24, 0.17, 0.05, vary(rng, pick(rng, ((0.6, 0.15, 0.1), (0.15, 0.3, 0.55), WHITE))))
        for i in range(3)
    ]


def water_cooler(rng: Random) -> list[PropSpec]:
    return [box(0, 0, 0, 0.32, 0.32, 1.0, WHITE), cylinder(0, 0, 1.0, 0.14, 0.4, (0.55, 0.75, 0.95), roughness=0.1)]


def filing_cabinet(rng: Random) -> list[PropSpec]:
    color = vary(rng, pick(rng, ((0.55, 0.57, 0.6), (0.3, 0.32, 0.35), (0.7, 0.68, 0.62))))
    return [
        box(0, 0, 0, 0.45, 0.6, 1.3, color, metallic=0.4),
        *(box(0, -0.305, 0.18 + 0.32 * i, 0.14, 0.01, 0.03, CHROME) for i in range(4)),
    ]


def sign(
    rng: Random, width: float = 1.6, text_color: tuple[float, float, float] | None = None, lit: bool = True
) -> list[PropSpec]:
    """A sign board facing -Y with a glowing panel (shop fascia, station name)."""
    panel = text_color or vary(
        rng, pick(rng, ((0.9, 0.2, 0.15), (0.15, 0.35, 0.75), (0.95, 0.8, 0.2), (0.2, 0.6, 0.35)))
    )
    return [
        box(0, 0, 0, width, 0.08, 0.45, BLACK),
        box(
            0,
            -0.045,
            0.05,
            width - 0.1,
            0.01,
            0.35,
            panel,
            emission=1.5 if lit else 0.0,
            role="practical" if lit else "solid",
        ),
    ]


def clock(rng: Random) -> list[PropSpec]:
    """A wall or station clock (its face in the plane y = 0)."""
    return [
        cylinder(0, 0, 0, 0.2, 0.05, BLACK, rotation=(90, 0, 0)),
        cylinder(0, -0.03, 0, 0.18, 0.01, WHITE, rotation=(90, 0, 0)),
        box(0, -0.04, -0.01, 0.015, 0.005, 0.14, BLACK),
        ball(0, -0.04, 0.0, (0.015, 0.015, 0.015), WOOD),
    ]


def trash_can(rng: Random) -> list[PropSpec]:
    color = vary(rng, pick(rng, ((0.2, 0.3, 0.22), DARK_METAL, (0.3, 0.3, 0.32))))
    return [cylinder(0, 0, 0, 0.25, 0.85, color, metallic=0.5), cylinder(0, 0, 0.85, 0.27, 0.05, color, metallic=0.5)]


def dumpster(rng: Random) -> list[PropSpec]:
    color = vary(rng, pick(rng, ((0.15, 0.35, 0.2), (0.2, 0.3, 0.5), (0.5, 0.3, 0.1))))
    return [
        box(0, 0, 0.15, 1.9, 1.1, 1.05, color, metallic=0.3, roughness=0.7),
        box(0, 0.05, 1.2, 1.95, 1.15, 0.06, BLACK, rotation=(-6, 0, 0)),
        *(cylinder(x, y, 0, 0.07, 0.15, BLACK) for x in (-0.8, 0.8) for y in (-0.4, 0.4)),
    ]


def trash_bag(rng: Random) -> list[PropSpec]:
    return [
        ball(0, 0, 0.25, (0.3, 0.28, 0.26), (0.05, 0.05, 0.06)),
        ball(0.05, 0, 0.52, (0.06, 0.06, 0.08), (0.05, 0.05, 0.06)),
    ]


def pallet(rng: Random) -> list[PropSpec]:
    wood = vary(rng, (0.6, 0.48, 0.3), 0.05)
    return [
        box(0, 0, 0, 1.2, 1.0, 0.12, wood, roughness=0.9),
        *(box(0, y, 0.12, 1.2, 0.14, 0.025, wood) for y in (-0.4, 0, 0.4)),
    ]


def tool_bench(rng: Random) -> list[PropSpec]:
    """A workbench with a pegboard and tools behind it."""
    return [
        *counter(rng, 1.8, 0.7, 0.9, top_color=WOOD),
        box(0, 0.33, 0.95, 1.8, 0.03, 1.0, (0.7, 0.6, 0.45)),
        *(
            box(
                -0.6 + 0.3 * i,
                0.3,
                1.2 + 0.15 * (i % 2),
                0.05,
                0.03,
                0.35,
                pick(rng, ((0.8, 0.1, 0.1), DARK_METAL, (0.1, 0.3, 0.7))),
            )
            for i in range(5)
        ),
        box(0.5, 0, 0.92, 0.45, 0.25, 0.2, (0.75, 0.1, 0.08)),
    ]


def tire_stack(rng: Random) -> list[PropSpec]:
    return [cylinder(0, 0, 0.22 * i, 0.33, 0.22, (0.06, 0.06, 0.065), roughness=0.9) for i in range(rng.randint(2, 4))]


def ball_lamp(rng: Random) -> list[PropSpec]:
    """A bare bulb on a cable, hanging from 2.6 m (garages, alleys, cellars)."""
    return [
        cylinder(0, 0, 2.2, 0.006, 0.5, BLACK),
        ball(0, 0, 2.15, (0.06, 0.06, 0.08), (1.0, 0.85, 0.6), emission=8.0, role="practical"),
    ]
