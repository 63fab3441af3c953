"""Sets of workplaces and public interiors: offices, corridor, classroom, bar, shop, warehouse, garage, car, stage.

Each generator lays out one room from a seeded :class:`random.Random`: the
back wall at +Y, side walls, the -Y side open for the camera, the origin
(mark ``centre``) clear for the action.
"""

from __future__ import annotations

from random import Random

from production_assets.model.presets import LocationPreset, WorldSpec
from production_assets.model.sets import CameraSafeZone
from production_assets.sets.parts import WARM_LIGHT, box, cylinder, pick, vary
from production_assets.sets.plan import SetPlan, ceiling_fill, room_fields

OFFICE_WALLS = ((0.82, 0.8, 0.74), (0.7, 0.75, 0.78), (0.78, 0.74, 0.66), (0.62, 0.66, 0.6))
OFFICE_FLOORS = ((0.35, 0.37, 0.4), (0.45, 0.32, 0.22), (0.5, 0.48, 0.44), (0.25, 0.28, 0.33))
STAGE_SAFE = CameraSafeZone(min_x=-6.0, max_x=6.0, max_y=-3.2, min_z=0.0)


def office(rng: Random) -> LocationPreset:
    """A private office: a desk with a computer facing the camera, chairs, cabinets, shelves, a window and a door."""
    plan = SetPlan(rng)
    side = pick(rng, (-1.0, 1.0))
    desk_x, desk_y = side * (1.7 + plan.jitter(0.3)), 2.0
    plan.opening("back", "window", -side * (1.5 + plan.jitter(0.5)), 1.6, 1.4, 0.9)
    plan.opening("left" if side > 0 else "right", "door", 1.6 + plan.jitter(0.4), 0.95, 2.1)
    plan.add("desk", desk_x, desk_y, 180)
    plan.add("office_chair", desk_x, desk_y + 0.65, 0)
    plan.add("computer", desk_x + 0.25, desk_y + 0.05, 180, z=0.76)
    plan.add("phone", desk_x - 0.45, desk_y, 160, z=0.76)
    plan.add("lamp", desk_x - 0.55, desk_y + 0.2, 0, z=0.76)
    plan.add("mug", desk_x + 0.55, desk_y - 0.2, z=0.76)
    for dx in (-0.4, 0.4):
        plan.add("chair", desk_x + dx, desk_y - 0.95, 180 + plan.jitter(10))
    plan.add("filing_cabinet", side * 4.3, 3.5, 0)
    plan.add("filing_cabinet", side * 3.7, 3.5, 0)
    plan.add("bookshelf", -side * 4.0, 3.6, 0)
    plan.add("plant", -side * 4.5, 1.0, size=1.2)
    plan.add("whiteboard" if rng.random() < 0.5 else "picture", -side * 4.88, 0.6, side * 90)
    plan.add("water_cooler", -side * 4.5, -0.8)
    plan.add("armchair" if rng.random() < 0.5 else "coffee_table", -side * 2.6, 2.9, 0)
    ceiling_fill(plan, 2.9, 300.0)
    plan.light("POINT", (desk_x - 0.55, desk_y + 0.2, 1.15), 60.0, WARM_LIGHT, 0.15, role="practical")
    plan.mark("centre", 0.0, 0.0)
    plan.mark("desk", desk_x, desk_y + 0.65, 0.0, surface=(desk_x - 0.2, desk_y - 0.1, 0.76))
    plan.mark("visitor", desk_x, desk_y - 0.95, 180.0)
    plan.mark("door", -side * 4.4, plan.openings[1].offset, side * 90.0)
    plan.mark("window", plan.openings[0].offset, 3.3, 180.0)
    walls = vary(rng, pick(rng, OFFICE_WALLS), 0.03)
    return plan.finish(
        **room_fields(
            plan, floor=vary(rng, pick(rng, OFFICE_FLOORS), 0.03), walls=walls, width=9.0, depth=3.8, height=3.0
        ),
    )


def open_plan_office(rng: Random) -> LocationPreset:
    """Rows of desks with monitors and office chairs, windows along the back, a printer and plants."""
    plan = SetPlan(rng)
    for offset in (-3.2, 0.0, 3.2):
        plan.opening("back", "window", offset + plan.jitter(0.2), 2.2, 1.6, 0.8)
    rows = (1.4, 3.0)
    for row_y in rows:
        for column in (-4.2, -2.7, 2.7, 4.2):
            x = column + plan.jitter(0.05)
            plan.add("desk", x, row_y, 180, width=1.4)
            plan.add("computer", x, row_y + 0.05, 180, z=0.76)
            plan.add("office_chair", x + plan.jitter(0.15), row_y + 0.65, plan.jitter(25))
    plan.add("printer", -1.4, 3.6, 0, z=0.0)
    plan.add("cabinet", -1.4, 3.55, 0, height=0.7)
    plan.add("plant", 1.3, 3.5, size=1.3)
    plan.add("water_cooler", 1.6, 0.6)
    plan.add("whiteboard", -5.88, 0.3, 90)
    plan.add("filing_cabinet", 5.6, -0.8, -90)
    ceiling_fill(plan, 3.0, 350.0, y=1.0, size=5.0)
    ceiling_fill(plan, 3.0, 200.0, y=-1.2, size=5.0)
    plan.mark("centre", 0.0, 0.0)
    plan.mark("desk", -2.7, 2.05, 0.0, surface=(-2.7, 1.35, 0.76))
    plan.mark("desk_right", 2.7, 2.05, 0.0, surface=(2.7, 1.35, 0.76))
    plan.mark("window", 0.0, 3.6, 180.0)
    plan.mark("printer", -1.4, 2.9, 180.0)
    plan.mark("aisle", 0.0, 2.0, 0.0)
    return plan.finish(
        **room_fields(
            plan,
            floor=vary(rng, pick(rng, OFFICE_FLOORS), 0.03),
            walls=vary(rng, pick(rng, OFFICE_WALLS), 0.03),
            width=12.0,
            depth=4.2,
            height=3.0,
        ),
    )


def corridor(rng: Random) -> LocationPreset:
    """A long institutional corridor running away from the camera: doors on both walls, ceiling lights, a bench."""
    plan = SetPlan(rng)
    walls = vary(rng, pick(rng, ((0.75, 0.78, 0.7), (0.8, 0.75, 0.62), (0.65, 0.7, 0.75))), 0.03)
    for index, y in enumerate((1.5, 5.5, 9.5)):
        plan.opening("left", "door", y + plan.jitter(0.3), 0.95, 2.1)
        plan.opening("right", "door", y + 2.0 + plan.jitter(0.3), 0.95, 2.1)
        plan.light("AREA", (0.0, y + 1.0, 2.75), 140.0, (0.95, 1.0, 0.95), 1.2, role="fill")
        plan.parts([box(0.0, y + 1.0, 2.78, 0.4, 1.2, 0.04, (0.95, 1.0, 0.95), emission=3.0, role="practical")])
        if index == 1:
            plan.add("bench", -1.2, y + 0.2, 90, width=1.4)
    plan.opening("back", "door", 0.0, 1.4, 2.2)
    plan.add("plant", 1.25, 12.0)
    plan.add("trash_can", 1.3, 3.0)
    plan.mark("centre", 0.0, 0.0)
    plan.mark("door", -1.1, 1.5, -90.0)
    plan.mark("door_right", 1.1, 3.5, 90.0)
    plan.mark("far_end", 0.0, 12.0, 0.0)
    plan.mark("bench", -1.0, 5.7, 90.0)
    return plan.finish(
        **room_fields(
            plan, floor=vary(rng, (0.45, 0.45, 0.42), 0.05), walls=walls, width=3.0, depth=14.0, height=2.9, front=-3.0
        ),
        camera_safe=CameraSafeZone(min_x=-1.3, max_x=1.3, max_y=-1.5),
    )


def classroom(rng: Random) -> LocationPreset:
    """Rows of small desks and chairs facing a blackboard on the back wall, the teacher's desk in front of it."""
    plan = SetPlan(rng)
    side = pick(rng, (-1.0, 1.0))
    plan.opening("left" if side > 0 else "right", "window", 0.5, 2.0, 1.5, 0.9)
    plan.opening("left" if side > 0 else "right", "window", 3.0, 2.0, 1.5, 0.9)
    plan.add("blackboard", 0.0, 4.38, 0, width=3.6)
    plan.add("desk", side * 2.0, 3.2, 180)
    plan.add("chair", side * 2.0, 3.8, 0)
    plan.add("books", side * 1.7, 3.2, 10, z=0.76)
    for row_y in (-0.2, 1.1):
        for column in (-3.6, -2.2, 2.2, 3.6):
            plan.add("desk", column, row_y, 0, width=0.8, depth=0.55)
            plan.add("chair", column, row_y - 0.5, 180)
    plan.add("bookshelf", -side * 4.5, 3.9)
    plan.add("clock", 2.6 * -side, 4.38, 0, z=2.3)
    ceiling_fill(plan, 3.0, 380.0, size=5.0)
    plan.mark("centre", 0.0, 0.0)
    plan.mark("blackboard", 0.0, 3.6, 0.0)
    plan.mark("teacher", side * 2.0, 3.8, 0.0, surface=(side * 2.0, 3.15, 0.76))
    plan.mark("pupil", -2.2, 0.6, 180.0, surface=(-2.2, 1.1, 0.76))
    plan.mark("window", side * -4.2, 1.7, side * -90.0)
    return plan.finish(
        **room_fields(
            plan,
            floor=vary(rng, (0.55, 0.42, 0.28), 0.05),
            walls=vary(rng, pick(rng, ((0.85, 0.82, 0.7), (0.7, 0.8, 0.75))), 0.03),
            width=10.0,
            depth=4.5,
            height=3.0,
        ),
    )


def restaurant_bar(rng: Random) -> LocationPreset:
    """A bar: the bar counter with stools and a lit back bar along the back wall, tables and chairs in front."""
    plan = SetPlan(rng)
    plan.add("back_bar", 0.0, 4.1, 0, width=5.0)
    plan.add("bar_counter", 0.0, 2.7, 0, width=5.0)
    for index in range(5):
        plan.add("stool", -2.0 + index * 1.0 + plan.jitter(0.08), 2.0)
    for index in range(4):
        plan.add("bottle", -1.8 + index * 1.2 + plan.jitter(0.2), 2.65, z=1.11)
    for x, y in ((-3.6, 0.4), (3.6, 0.6), (-3.2, -1.4), (3.3, -1.3)):
        plan.add("round_table", x, y)
        plan.add("chair", x - 0.6, y, 90)
        plan.add("chair", x + 0.6, y, -90)
        plan.add("mug" if rng.random() < 0.5 else "bottle", x + 0.1, y, z=0.75)
    plan.opening("left", "door", 2.5, 1.0, 2.2)
    plan.opening("right", "window", 1.0, 1.8, 1.3, 1.0)
    for x in (-1.8, 0.0, 1.8):
        plan.add("ceiling_lamp", x, 2.7, height=3.1)
        plan.light("POINT", (x, 2.7, 2.2), 90.0, WARM_LIGHT, 0.2, role="practical")
    plan.parts(
        [
            box(
                0.0,
                4.2,
                2.2,
                2.0,
                0.05,
                0.4,
                vary(rng, pick(rng, ((1.0, 0.2, 0.5), (0.2, 0.8, 1.0))), 0.05),
                emission=5.0,
            )
        ]
    )
    ceiling_fill(plan, 3.2, 220.0, color=(1.0, 0.85, 0.65))
    plan.mark("centre", 0.0, 0.0)
    plan.mark("bar", 0.0, 2.0, 180.0, surface=(0.0, 2.55, 1.11))
    plan.mark("bartender", 0.0, 3.5, 0.0, surface=(0.0, 2.8, 1.11))
    plan.mark("table", -3.6, -0.3, 0.0, surface=(-3.6, 0.4, 0.75))
    plan.mark("door", -4.4, 2.5, 90.0)
    floor = vary(rng, pick(rng, ((0.35, 0.2, 0.12), (0.2, 0.2, 0.22), (0.5, 0.35, 0.2))), 0.04)
    walls = vary(rng, pick(rng, ((0.45, 0.18, 0.12), (0.25, 0.3, 0.28), (0.6, 0.5, 0.35))), 0.04)
    return plan.finish(
        **room_fields(
            plan,
            floor=floor,
            walls=walls,
            width=9.0,
            depth=4.4,
            height=3.2,
            world=WorldSpec(kind="color", color=(0.2, 0.17, 0.15), strength=0.5),
        ),
    )


def shop(rng: Random) -> LocationPreset:
    """A shop: a counter with a till, shelves of goods on the walls and in an aisle, a lit sign."""
    plan = SetPlan(rng)
    side = pick(rng, (-1.0, 1.0))
    plan.add("counter", side * 2.6, 2.4, 0, width=2.4)
    plan.add("till", side * 2.3, 2.35, 180, z=0.92)
    plan.add("shelf", side * 2.6, 4.0, 0, width=2.4, height=2.0, depth=0.4)
    for index in range(3):
        plan.add("shop_shelf", -side * (1.5 + index * 1.9), 4.1, 0)
    for y in (0.6, 2.2):
        plan.add("shop_shelf", -side * 3.6, y, side * 90, width=1.6)
    plan.add("sign", 0.0, 4.35, 0, z=2.4, width=3.0)
    plan.opening("right" if side > 0 else "left", "door", -0.5, 1.4, 2.2)
    plan.add("box", side * 1.3, 3.4, 15)
    plan.add("plant", side * 4.5, -0.5)
    ceiling_fill(plan, 3.0, 420.0, size=5.0)
    plan.mark("centre", 0.0, 0.0)
    plan.mark("counter", side * 2.6, 1.7, 180.0, surface=(side * 2.9, 2.3, 0.92))
    plan.mark("shopkeeper", side * 2.6, 3.1, 0.0, surface=(side * 2.6, 2.4, 0.92))
    plan.mark("shelves", -side * 2.5, 3.3, 180.0)
    plan.mark("door", side * 4.4, -0.5, side * -90.0)
    walls = vary(rng, pick(rng, ((0.9, 0.9, 0.86), (0.85, 0.8, 0.7), (0.7, 0.8, 0.85))), 0.03)
    return plan.finish(
        **room_fields(plan, floor=vary(rng, (0.75, 0.73, 0.7), 0.05), walls=walls, width=10.0, depth=4.5, height=3.0),
    )


def warehouse(rng: Random) -> LocationPreset:
    """A warehouse: tall pallet racks, stacked crates and barrels, a roller door, high sodium lamps."""
    plan = SetPlan(rng)
    for x in (-6.0, -3.0, 3.0, 6.0):
        plan.add("shelf", x, 6.5, 0, width=2.6, height=4.0, depth=1.0, books=False)
        for level in (0.0, 1.0, 2.0):
            plan.add(
                "crate" if rng.random() < 0.6 else "box",
                x + plan.jitter(0.6),
                6.5,
                plan.jitter(10),
                z=level * 0.99 + 0.03,
                size=0.8,
            )
    for _ in range(6):
        x = pick(rng, (-1.0, 1.0)) * rng.uniform(2.5, 6.0)
        plan.add("crate", x, rng.uniform(1.5, 4.5), plan.jitter(30), size=rng.uniform(0.7, 1.1))
    for _ in range(4):
        plan.add("barrel", pick(rng, (-1.0, 1.0)) * rng.uniform(3.0, 6.5), rng.uniform(-1.0, 2.0))
    plan.add("pallet", 1.8, 3.2, 10)
    plan.opening("back", "door", 0.0, 4.0, 4.2)
    for x in (-4.0, 0.0, 4.0):
        plan.parts([cylinder(x, 3.0, 6.0, 0.35, 0.25, (1.0, 0.7, 0.35), shape="cone", emission=6.0, role="practical")])
        plan.light("POINT", (x, 3.0, 5.8), 900.0, (1.0, 0.7, 0.38), 0.3, role="practical")
    ceiling_fill(plan, 7.5, 500.0, color=(0.9, 0.95, 1.0), size=8.0, y=2.0)
    plan.mark("centre", 0.0, 0.0)
    plan.mark("crates", 3.5, 1.0, 90.0)
    plan.mark("door", 0.0, 6.8, 180.0)
    plan.mark("racks", -3.0, 5.3, 180.0)
    walls = vary(rng, pick(rng, ((0.55, 0.55, 0.52), (0.4, 0.2, 0.12), (0.45, 0.5, 0.55))), 0.04)
    return plan.finish(
        **room_fields(
            plan,
            floor=vary(rng, (0.35, 0.34, 0.32), 0.04),
            walls=walls,
            width=16.0,
            depth=7.5,
            height=7.5,
            front=-4.0,
            world=WorldSpec(kind="color", color=(0.06, 0.07, 0.09)),
        ),
        camera_safe=CameraSafeZone(min_x=-4.0, max_x=4.0, max_y=-2.0),
    )


def garage(rng: Random) -> LocationPreset:
    """A garage: a car, a workbench with tools, tyres, shelves, a roller door and a bare bulb."""
    plan = SetPlan(rng)
    side = pick(rng, (-1.0, 1.0))
    plan.add("car", side * 1.8, 2.0, 90 + plan.jitter(5))
    plan.add("tool_bench", -side * 2.4, 3.75, 0)
    plan.add("shelf", -side * 4.2, 3.8, 0, width=1.2, books=False)
    plan.add("tire_stack", -side * 4.3, 1.0)
    plan.add("barrel", -side * 4.2, -0.4)
    plan.add("box", -side * 3.2, 3.9, 20, z=0.0, size=0.4)
    plan.opening("back", "door", side * 1.8, 3.0, 2.5)
    plan.add("hanging_bulb", 0.0, 1.5, z=0.4)
    plan.light("POINT", (0.0, 1.5, 2.5), 250.0, (1.0, 0.85, 0.6), 0.1, role="practical")
    ceiling_fill(plan, 3.0, 150.0, color=(0.9, 0.95, 1.0))
    plan.mark("centre", 0.0, 0.0)
    plan.mark("car", side * 1.8, 0.8, 0.0)
    plan.mark("workbench", -side * 2.4, 3.1, 180.0, surface=(-side * 2.0, 3.7, 0.9))
    plan.mark("door", side * 1.8, 3.7, 180.0)
    walls = vary(rng, pick(rng, ((0.6, 0.6, 0.58), (0.55, 0.5, 0.45), (0.5, 0.55, 0.6))), 0.04)
    return plan.finish(
        **room_fields(plan, floor=vary(rng, (0.42, 0.42, 0.4), 0.04), walls=walls, width=9.0, depth=4.2, height=3.0),
    )


def car_interior(rng: Random) -> LocationPreset:
    """Inside a car, seen through the windscreen from the bonnet: seats, dashboard, wheel, windows, a road outside."""
    plan = SetPlan(rng)
    plan.add("car_cabin", 0.0, 0.0)
    road = vary(rng, (0.2, 0.2, 0.21), 0.03)
    plan.parts([box(0.0, 10.0, 0.0, 8.0, 60.0, 0.01, road, roughness=0.9)])
    for side in (-1.0, 1.0):
        for index in range(4):
            plan.add(
                pick(rng, ("tree", "pine", "bush")), side * rng.uniform(7.0, 12.0), index * 9.0 + rng.uniform(0.0, 6.0)
            )
    plan.light("SUN", (0.0, 0.0, 20.0), 3.0, (1.0, 0.95, 0.86), 0.02, role="sun", aim=(0.3, 0.5, -0.8))
    plan.mark("centre", 0.0, 0.1)
    plan.mark("driver", -0.45, 0.1, 0.0, surface=(-0.45, -0.9, 1.0))
    plan.mark("passenger", 0.45, 0.1, 0.0, surface=(0.45, -0.9, 1.0))
    plan.mark("back_seat", 0.0, 1.75, 0.0)
    return plan.finish(
        setting="interior",
        floor_color=vary(rng, (0.3, 0.4, 0.22), 0.05),
        floor_size=120.0,
        world=WorldSpec(kind="sky", color=(0.45, 0.6, 0.9)),
        camera_safe=CameraSafeZone(min_x=-1.5, max_x=1.5, max_y=-1.2, min_z=1.0),
    )


def stage(rng: Random) -> LocationPreset:
    """A theatre stage: boards, proscenium, red curtains, a backdrop, footlights, stalls below the stage edge."""
    plan = SetPlan(rng)
    curtain = vary(rng, pick(rng, ((0.55, 0.05, 0.06), (0.45, 0.05, 0.1), (0.12, 0.15, 0.4))), 0.03)
    frame = vary(rng, pick(rng, ((0.75, 0.6, 0.3), (0.2, 0.2, 0.22))), 0.03)
    for side in (-1.0, 1.0):
        plan.parts([box(side * 7.0, -2.9, 0.0, 1.2, 0.8, 7.0, frame)])
        plan.parts(
            [
                cylinder(side * (4.7 + i * 0.35), -2.3, 0.0, 0.22, 6.4, vary(rng, curtain, 0.03), roughness=0.95)
                for i in range(6)
            ]
        )
    plan.parts(
        [box(0.0, -2.7, 6.2, 15.2, 0.6, 1.4, frame), box(0.0, -2.3, 5.6, 10.0, 0.3, 0.9, curtain, roughness=0.95)]
    )
    plan.parts([box(0.0, -8.0, -1.25, 16.0, 9.4, 0.05, (0.12, 0.1, 0.09))])
    plan.parts(
        [cylinder(-4.5 + i * 0.6, 6.0, 0.0, 0.3, 6.4, vary(rng, curtain, 0.04), roughness=0.95) for i in range(16)]
    )
    for index in range(10):
        plan.parts([box(-4.5 + index, -2.85, 0.0, 0.3, 0.2, 0.12, (1.0, 0.85, 0.6), emission=6.0, role="practical")])
    plan.parts([box(0.0, -3.3, -1.2, 16.0, 0.6, 1.2, (0.1, 0.08, 0.07))])
    for row in range(4):
        for index in range(8):
            plan.parts(
                [
                    box(
                        -5.6 + index * 1.6,
                        -5.0 - row * 1.2,
                        -1.2,
                        1.2,
                        0.6,
                        0.85,
                        vary(rng, curtain, 0.05),
                        roughness=0.95,
                    )
                ]
            )
    props = pick(rng, (("table", "chair"), ("sofa", "floor_lamp"), ("bench", "tree")))
    plan.add(props[0], -2.5 + plan.jitter(0.5), 2.5, 0)
    plan.add(props[1], 2.8 + plan.jitter(0.5), 2.8, -20)
    for x in (-3.0, 3.0):
        plan.light("SPOT", (x, -6.0, 7.0), 2500.0, (1.0, 0.9, 0.75), 0.3, role="fill", aim=(-x * 0.15, 6.0, -6.5))
    plan.light("SPOT", (0.0, 1.5, 8.0), 1200.0, (0.9, 0.9, 1.0), 0.5, role="practical", aim=(0.0, -0.1, -1.0))
    plan.mark("centre", 0.0, 0.0)
    plan.mark("stage_left", 3.5, 0.5, -20.0)
    plan.mark("stage_right", -3.5, 0.5, 20.0)
    plan.mark("downstage", 0.0, -2.0, 0.0)
    plan.mark("upstage", 0.0, 4.5, 0.0)
    boards = vary(rng, (0.42, 0.28, 0.16), 0.04)
    return plan.finish(
        setting="interior",
        floor_color=boards,
        floor_size=40.0,
        floor_bounds=(-8.0, 8.0, -3.0, 8.0),
        wall_color=(0.06, 0.06, 0.07),
        wall_height=9.0,
        wall_distance=8.0,
        wall_half_width=8.0,
        wall_front=-3.0,
        world=WorldSpec(kind="color", color=(0.02, 0.02, 0.025), strength=1.0),
        camera_safe=STAGE_SAFE,
    )
