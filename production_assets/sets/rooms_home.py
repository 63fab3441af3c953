"""Sets of rooms in a home: kitchen, living room, bedroom, bathroom, hallway.

Each generator lays out one room from a seeded :class:`random.Random`: the
back wall at +Y, side walls, the -Y side open for the camera, the origin
(mark ``centre``) clear for the action.
"""

from __future__ import annotations

from random import Random

from production_assets.model.presets import LocationPreset
from production_assets.model.sets import CameraSafeZone
from production_assets.sets.parts import WARM_LIGHT, bar, box, pick, vary
from production_assets.sets.plan import SetPlan, ceiling_fill, room_fields

HOME_WALLS = ((0.86, 0.82, 0.72), (0.72, 0.78, 0.74), (0.8, 0.7, 0.62), (0.7, 0.74, 0.82), (0.9, 0.88, 0.84))
WOOD_FLOORS = ((0.45, 0.3, 0.18), (0.6, 0.45, 0.3), (0.32, 0.2, 0.12))
TILES = ((0.85, 0.85, 0.82), (0.55, 0.6, 0.62), (0.75, 0.7, 0.62), (0.3, 0.32, 0.35))


def kitchen(rng: Random) -> LocationPreset:
    """A kitchen: a run of counters along the back wall with sink, stove and fridge, wall cabinets, a table."""
    plan = SetPlan(rng)
    side = pick(rng, (-1.0, 1.0))
    top = vary(rng, pick(rng, ((0.2, 0.2, 0.2), (0.85, 0.83, 0.8), (0.6, 0.45, 0.3))), 0.03)
    plan.add("fridge", side * 3.9, 3.6, 0)
    plan.add("counter", side * 2.6, 3.7, 0, width=1.8, top_color=top)
    plan.add("stove", side * 1.35, 3.7, 0)
    plan.add("counter", side * 0.3, 3.7, 0, width=1.5, top_color=top)
    plan.add("kitchen_sink", -side * 1.05, 3.7, 0, width=1.2)
    plan.add("counter", -side * 2.4, 3.7, 0, width=1.5, top_color=top)
    plan.opening("back", "window", -side * 1.05, 1.3, 1.0, 1.35)
    plan.add("wall_cabinets", side * 1.8, 3.85, 0, width=2.6)
    plan.add("wall_cabinets", -side * 2.6, 3.85, 0, width=1.2)
    plan.add("bottle", side * 0.1, 3.7, z=0.92)
    plan.add("mug", side * 0.5, 3.6, z=0.92)
    plan.add("plant", -side * 3.8, 3.75, size=0.6, z=0.0)
    table_x = -side * (2.6 + plan.jitter(0.3))
    plan.add("table", table_x, 0.8, 90, width=1.4, depth=0.85)
    plan.add("chair", table_x - 0.7 * side, 0.8, 90 * side)
    plan.add("chair", table_x, 1.45, 0)
    plan.add("chair", table_x, 0.15, 180)
    plan.add("mug", table_x + 0.1, 0.9, z=0.75)
    plan.opening("left" if side > 0 else "right", "door", 1.0, 0.9, 2.1)
    ceiling_fill(plan, 2.8, 320.0, color=(1.0, 0.95, 0.88))
    plan.mark("centre", 0.0, 0.0)
    plan.mark("counter", side * 0.3, 3.0, 180.0, surface=(side * 0.3, 3.65, 0.92))
    plan.mark("stove", side * 1.35, 3.0, 180.0, surface=(side * 1.35, 3.7, 0.93))
    plan.mark("sink", -side * 1.05, 3.0, 180.0, surface=(-side * 0.6, 3.65, 0.92))
    plan.mark("fridge", side * 3.9, 2.8, 180.0)
    plan.mark("table", table_x, -0.3, 0.0, surface=(table_x, 0.8, 0.75))
    plan.mark("window", -side * 1.05, 3.0, 180.0)
    plan.mark("door", -side * 3.9, 1.0, side * 90.0)
    return plan.finish(
        **room_fields(
            plan,
            floor=vary(rng, pick(rng, TILES), 0.03),
            walls=vary(rng, pick(rng, HOME_WALLS), 0.03),
            width=9.0,
            depth=4.0,
            height=2.8,
        ),
    )


def living_room(rng: Random) -> LocationPreset:
    """A living room: a sofa against the back wall, coffee table, armchair, TV, rug, shelves, a floor lamp."""
    plan = SetPlan(rng)
    side = pick(rng, (-1.0, 1.0))
    plan.add("rug", side * 0.8, 1.9)
    plan.add("sofa", side * 0.8, 3.3, 0, width=2.2)
    plan.add("coffee_table", side * 0.8, 1.9, 0)
    plan.add("books", side * 0.6, 1.9, 20, z=0.42)
    plan.add("mug", side * 1.1, 1.8, z=0.42)
    plan.add("armchair", side * 3.0, 1.8, -side * 70)
    plan.add("tv", -side * 2.6, 1.8, side * 90, width=1.1)
    plan.add("floor_lamp", side * 2.4, 3.5)
    plan.add("bookshelf", -side * 3.3, 3.75)
    plan.add("plant", -side * 4.3, 3.6, size=1.2)
    plan.add("picture", side * 0.8, 3.98, 0, width=1.2, height=0.7, z=0.4)
    plan.opening("left" if side > 0 else "right", "window", 2.0, 1.6, 1.4, 0.9)
    plan.opening("right" if side > 0 else "left", "door", 2.8, 0.9, 2.1)
    plan.light("POINT", (side * 2.4, 3.5, 1.6), 120.0, WARM_LIGHT, 0.2, role="practical")
    ceiling_fill(plan, 2.8, 220.0, color=(1.0, 0.92, 0.82))
    plan.mark("centre", 0.0, 0.0)
    plan.mark("sofa", side * 0.8, 3.0, 0.0, surface=(side * 0.8, 1.9, 0.42))
    plan.mark("armchair", side * 3.0, 1.7, -side * 70.0)
    plan.mark("tv", -side * 1.8, 1.2, side * 90.0)
    plan.mark("window", -side * 4.0, 2.0, -side * 90.0)
    plan.mark("door", side * 4.0, 2.8, side * -90.0)
    return plan.finish(
        **room_fields(
            plan,
            floor=vary(rng, pick(rng, WOOD_FLOORS), 0.03),
            walls=vary(rng, pick(rng, HOME_WALLS), 0.03),
            width=9.0,
            depth=4.0,
            height=2.8,
        ),
    )


def bedroom(rng: Random) -> LocationPreset:
    """A bedroom: a double bed against the back wall with nightstands and lamps, wardrobe, rug, window."""
    plan = SetPlan(rng)
    bed_x = pick(rng, (-1.0, 1.0)) * (0.8 + plan.jitter(0.4))
    width = pick(rng, (1.4, 1.6, 1.8))
    plan.add("bed", bed_x, 2.9, 0, width=width)
    for side in (-1.0, 1.0):
        x = bed_x + side * (width / 2 + 0.35)
        plan.add("nightstand", x, 3.6)
        plan.add("lamp", x, 3.6, z=0.55)
        plan.light("POINT", (x, 3.6, 1.0), 45.0, WARM_LIGHT, 0.12, role="practical")
    plan.add("rug", bed_x, 1.4, 0, width=2.0, depth=1.2)
    plan.add("wardrobe", -3.6 if bed_x > 0 else 3.6, 3.6, 0)
    plan.add("chair", 3.7 if bed_x > 0 else -3.7, 0.8, -60 if bed_x > 0 else 60)
    plan.add("picture", bed_x, 3.98, 0, width=1.0, z=0.3)
    window_wall = "right" if bed_x > 0 else "left"
    plan.opening(window_wall, "window", 1.0, 1.4, 1.4, 0.9)
    plan.opening("left" if window_wall == "right" else "right", "door", 1.6, 0.9, 2.1)
    ceiling_fill(plan, 2.7, 160.0, color=(1.0, 0.92, 0.82))
    plan.mark("centre", 0.0, 0.0)
    plan.mark("bed", bed_x, 1.6, 0.0, surface=(bed_x + width / 2 + 0.35, 3.55, 0.55))
    plan.mark("bedside", bed_x + width / 2 + 0.35, 2.9, 90.0, surface=(bed_x + width / 2 + 0.35, 3.6, 0.55))
    plan.mark("wardrobe", -3.6 if bed_x > 0 else 3.6, 2.8, 180.0)
    plan.mark("window", 3.4 if bed_x > 0 else -3.4, 1.0, 90.0 if bed_x > 0 else -90.0)
    plan.mark("door", -3.6 if bed_x > 0 else 3.6, 1.6, 90.0 if bed_x > 0 else -90.0)
    return plan.finish(
        **room_fields(
            plan,
            floor=vary(rng, pick(rng, WOOD_FLOORS), 0.03),
            walls=vary(rng, pick(rng, HOME_WALLS), 0.03),
            width=8.0,
            depth=4.0,
            height=2.7,
        ),
    )


def bathroom(rng: Random) -> LocationPreset:
    """A bathroom: a bathtub along the back wall, washbasin under a mirror, toilet, towel rail, tiled walls."""
    plan = SetPlan(rng)
    side = pick(rng, (-1.0, 1.0))
    tile = vary(rng, pick(rng, TILES), 0.03)
    plan.add("bathtub", side * 1.4, 2.62)
    plan.add("washbasin", -side * 0.9, 2.75)
    plan.add("mirror", -side * 0.9, 2.98, 0)
    plan.add("toilet", -side * 2.3, 2.7)
    plan.add("towel_rail", side * 2.68, 1.0, side * -90)
    plan.add("plant", side * 0.2, 2.8, size=0.5)
    plan.opening("back", "window", side * 1.4, 0.9, 0.7, 1.5)
    plan.opening("left" if side > 0 else "right", "door", 0.5, 0.85, 2.05)
    plan.parts([box(0.0, 2.99, 0.0, 6.0, 0.02, 1.2, vary(rng, tile, 0.06), roughness=0.2)])
    plan.light("POINT", (-side * 0.9, 2.7, 2.2), 80.0, (1.0, 0.95, 0.9), 0.15, role="practical")
    ceiling_fill(plan, 2.6, 200.0, size=2.5, y=1.2)
    plan.mark("centre", 0.0, 0.0)
    plan.mark("bath", side * 1.4, 1.9, 0.0)
    plan.mark("sink", -side * 0.9, 2.2, 180.0, surface=(-side * 0.9, 2.7, 0.9))
    plan.mark("mirror", -side * 0.9, 2.2, 180.0)
    plan.mark("door", -side * 2.6, 0.5, side * 90.0)
    return plan.finish(
        **room_fields(
            plan, floor=vary(rng, pick(rng, TILES), 0.03), walls=tile, width=6.0, depth=3.0, height=2.6, front=-2.4
        ),
        camera_safe=CameraSafeZone(min_x=-2.8, max_x=2.8, max_y=-2.0),
    )


def hallway(rng: Random) -> LocationPreset:
    """A home's entrance hall: the front door at the back, coat rack, console table with a lamp, stairs, a runner."""
    plan = SetPlan(rng)
    side = pick(rng, (-1.0, 1.0))
    plan.opening("back", "door", 0.0, 1.0, 2.2)
    plan.opening("back", "window", 1.05, 0.35, 1.5, 0.6)
    plan.add("rug", 0.0, 1.2, 0, width=1.1, depth=3.0)
    plan.add("table", -side * 1.85, 1.6, 90, width=1.0, depth=0.35, height=0.85)
    plan.add("lamp", -side * 1.85, 1.6, z=0.85)
    plan.add("mirror", -side * 2.18, 1.6, side * 90)
    plan.add("plant", side * 1.8, 3.0, size=0.9)
    for step in range(8):
        plan.parts(
            [box(side * 1.55, -0.6 + step * 0.28, 0.0, 1.0, 0.3, 0.18 * (step + 1), vary(rng, (0.5, 0.33, 0.2), 0.02))]
        )
    rail = (0.92, 0.9, 0.85)
    plan.parts(
        [
            bar((side * 1.05, -0.6, 1.0), (side * 1.05, 1.6, 2.4), 0.03, rail),
            bar((side * 1.05, -0.6, 0.0), (side * 1.05, -0.6, 1.0), 0.04, rail),
        ]
    )
    plan.light("POINT", (-side * 1.85, 1.6, 1.4), 50.0, WARM_LIGHT, 0.12, role="practical")
    plan.add("ceiling_lamp", 0.0, 1.5, height=2.9)
    ceiling_fill(plan, 2.9, 150.0, size=2.0)
    plan.mark("centre", 0.0, 0.0)
    plan.mark("door", 0.0, 3.0, 180.0)
    plan.mark("stairs", side * 1.55, -0.4, -side * 90.0)
    plan.mark("console", -side * 1.4, 1.6, side * 90.0, surface=(-side * 1.85, 1.4, 0.85))
    walls = vary(rng, pick(rng, HOME_WALLS), 0.03)
    return plan.finish(
        **room_fields(
            plan,
            floor=vary(rng, pick(rng, WOOD_FLOORS), 0.03),
            walls=walls,
            width=4.6,
            depth=3.6,
            height=2.9,
            front=-3.0,
        ),
        camera_safe=CameraSafeZone(min_x=-1.0, max_x=1.0, max_y=-1.5),
    )
