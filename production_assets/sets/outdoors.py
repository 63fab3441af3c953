"""Exterior sets: street, alley, park, forest clearing, beach, rooftop, train platform.

Each generator lays out one place from a seeded :class:`random.Random` under
Blender's sky with a sun light (``role: sun``), the origin (mark ``centre``)
clear for the action and the -Y side open for the camera.
"""

from __future__ import annotations

import math
from random import Random

from production_assets.model.presets import LocationPreset
from production_assets.model.sets import CameraSafeZone
from production_assets.sets.parts import DARK_METAL, WHITE, bar, box, cylinder, pick, vary
from production_assets.sets.plan import EXTERIOR_SKY, SetPlan

STREET_LIGHT_COLOR = (1.0, 0.94, 0.85)


def _sun(plan: SetPlan, azimuth: float = 30.0, elevation: float = 45.0) -> None:
    """The sun (moved and tinted by the time of day), shining from ``azimuth`` degrees off the camera's side."""
    heading, tilt = math.radians(azimuth), math.radians(elevation)
    direction = (-math.sin(heading) * math.cos(tilt), math.cos(heading) * math.cos(tilt), -math.sin(tilt))
    plan.light("SUN", (0.0, 0.0, 20.0), 3.5, (1.0, 0.95, 0.86), 0.02, role="sun", aim=direction)


def _exterior(ground: tuple[float, float, float], **fields: object) -> dict[str, object]:
    return {"setting": "exterior", "floor_color": ground, "floor_size": 160.0, "world": EXTERIOR_SKY, **fields}


def _street_lights(plan: SetPlan, xs: tuple[float, ...], y: float, rotation: float = 0.0) -> None:
    for x in xs:
        plan.add("street_light", x, y, rotation)
        dy = -1.0 if rotation == 0.0 else 1.0
        plan.light("POINT", (x, y + dy, 5.1), 60.0, STREET_LIGHT_COLOR, 0.2, role="practical")


def street(rng: Random) -> LocationPreset:
    """A town street: facades (some shops) behind the pavement, street lights, the road and parked cars camera side."""
    plan = SetPlan(rng)
    asphalt = vary(rng, (0.16, 0.16, 0.17), 0.02)
    plan.parts([box(0.0, -8.0, 0.0, 120.0, 13.0, 0.01, asphalt, roughness=0.8)])
    plan.parts([box(0.0, -1.5, 0.0, 120.0, 0.25, 0.12, (0.62, 0.62, 0.6))])
    plan.parts([box(-30.0 + i * 5.0, -8.0, 0.01, 2.5, 0.15, 0.005, WHITE) for i in range(13)])
    x = -26.0
    while x < 26.0:
        width = rng.uniform(6.0, 10.0)
        plan.add("building", x + width / 2, 3.5, 0, width=width - 0.1, shop=rng.random() < 0.35)
        x += width
    _street_lights(plan, (-13.5, -4.5, 4.5, 13.5), -0.7)
    for car_x in (pick(rng, (-7.0, -8.0)), pick(rng, (7.5, 11.0))):
        plan.add("car", car_x, -2.6, pick(rng, (0.0, 180.0)))
    plan.add("hydrant", 2.8 + plan.jitter(0.5), -0.9)
    plan.add("trash_can", -2.6 + plan.jitter(0.5), 2.8)
    plan.add("bench", -7.5, 2.5, 0)
    plan.add("planter", 8.0, 2.4)
    _sun(plan, azimuth=rng.uniform(-50.0, 50.0), elevation=rng.uniform(35.0, 55.0))
    plan.mark("centre", 0.0, 0.0)
    plan.mark("door", 0.0, 2.8, 0.0)
    plan.mark("kerb", 0.0, -1.2, 0.0)
    plan.mark("street_light", 4.5, -0.2, -30.0)
    plan.mark("car", 7.0, -1.3, 0.0)
    plan.mark("bench", -7.5, 2.2, 0.0)
    return plan.finish(
        **_exterior(vary(rng, (0.55, 0.55, 0.53), 0.03)),
        camera_safe=CameraSafeZone(min_x=-4.0, max_x=4.0, max_y=-2.0),
    )


def alley(rng: Random) -> LocationPreset:
    """A back alley between tall brick walls: dumpster, bags, crates, pipe, fire escape, a bulb over a back door."""
    plan = SetPlan(rng)
    brick = vary(rng, pick(rng, ((0.45, 0.2, 0.14), (0.35, 0.3, 0.28), (0.5, 0.32, 0.22))), 0.03)
    side = pick(rng, (-1.0, 1.0))
    plan.opening("left" if side > 0 else "right", "door", 3.0, 1.0, 2.2)
    plan.add("dumpster", side * 1.5, 6.0 + plan.jitter(1.0), side * 90)
    for _ in range(4):
        plan.add("trash_bag", side * rng.uniform(1.5, 2.0), rng.uniform(1.0, 4.5))
    plan.add("crate", -side * 1.8, 5.0, plan.jitter(20), size=0.7)
    plan.add("crate", -side * 1.8, 5.0, plan.jitter(20), z=0.7, size=0.6)
    plan.add("barrel", -side * 1.9, 8.0)
    plan.add("pallet", -side * 1.9, 1.5, 80)
    for index in range(3):
        z = 3.5 + index * 3.0
        plan.parts([box(-side * 2.0, 6.0, z, 0.9, 3.0, 0.06, DARK_METAL, metallic=0.5)])
        plan.parts([bar((-side * 1.55, 4.5, z), (-side * 1.55, 7.5, z + 3.0), 0.03, DARK_METAL)])
    plan.parts([bar((side * 2.4, -6.0, 6.5), (side * 2.4, 14.0, 6.5), 0.08, DARK_METAL)])
    plan.parts(
        [
            cylinder(x * 0.9 + side * 0.2, y, 0.0, rng.uniform(0.5, 0.9), 0.004, (0.05, 0.06, 0.07), roughness=0.05)
            for x, y in ((0.3, 2.0), (-0.4, 7.0))
        ]
    )
    plan.add("hanging_bulb", side * 2.0, 3.0, z=0.6)
    plan.light("POINT", (side * 1.9, 3.0, 2.7), 150.0, (1.0, 0.8, 0.5), 0.1, role="practical")
    _sun(plan, azimuth=rng.uniform(-20.0, 20.0), elevation=rng.uniform(55.0, 70.0))
    plan.mark("centre", 0.0, 0.0)
    plan.mark("door", side * 1.6, 3.0, side * -90.0)
    plan.mark("dumpster", side * 0.8, 4.5, 0.0)
    plan.mark("far_end", 0.0, 12.0, 0.0)
    return plan.finish(
        **_exterior(
            vary(rng, (0.3, 0.3, 0.31), 0.03),
            wall_color=brick,
            wall_height=10.0,
            wall_distance=14.0,
            wall_half_width=2.5,
            wall_front=-12.0,
        ),
        camera_safe=CameraSafeZone(min_x=-1.2, max_x=1.2, max_y=-2.0),
    )


def park(rng: Random) -> LocationPreset:
    """A park: lawn, a gravel path with benches, trees and bushes, park lamps, a pond, a bin."""
    plan = SetPlan(rng)
    gravel = vary(rng, (0.68, 0.62, 0.52), 0.03)
    plan.parts([box(0.0, 1.6, 0.0, 80.0, 2.6, 0.01, gravel, roughness=0.95)])
    plan.parts([box(pick(rng, (-6.0, 6.0)), -10.0, 0.0, 2.6, 20.0, 0.01, gravel, roughness=0.95)])
    for x in (-3.0, 3.2):
        plan.add("bench", x + plan.jitter(0.3), 3.3, 0)
    plan.add("trash_can", 0.2, 3.3)
    _street_lights(plan, (-8.0, 8.0), 3.2, 180.0)
    for _ in range(12):
        x, y = rng.uniform(-25.0, 25.0), rng.uniform(6.0, 22.0)
        plan.add(pick(rng, ("tree", "tree", "pine")), x, y)
    for x in (-12.0, -9.0, 9.5, 13.0):
        plan.add("tree", x + plan.jitter(1.0), rng.uniform(-6.0, -1.0))
    for _ in range(5):
        plan.add("bush", rng.uniform(-14.0, 14.0), rng.uniform(4.2, 6.0))
    pond_x = pick(rng, (-9.0, 9.0))
    plan.parts([cylinder(pond_x, 9.0, 0.0, 4.0, 0.02, (0.2, 0.35, 0.45), roughness=0.05, radius_y=2.2)])
    _sun(plan, azimuth=rng.uniform(-60.0, 60.0), elevation=rng.uniform(35.0, 60.0))
    plan.mark("centre", 0.0, 0.0)
    plan.mark("bench", -3.0, 3.0, 0.0)
    plan.mark("path", 0.0, 1.6, 90.0)
    plan.mark("pond", pond_x, 6.3, 180.0)
    plan.mark("tree", -5.0, 6.0, 0.0)
    return plan.finish(
        **_exterior(vary(rng, (0.28, 0.45, 0.18), 0.04)),
    )


def forest_clearing(rng: Random) -> LocationPreset:
    """A clearing ringed by trees and pines, with rocks, a fallen log, bushes and a ring of stones for a fire."""
    plan = SetPlan(rng)
    zone = CameraSafeZone(min_x=-4.0, max_x=4.0, max_y=-2.0)
    trees = 0
    while trees < 22:
        angle, radius = rng.uniform(0.0, 2.0 * math.pi), rng.uniform(6.5, 16.0)
        x, y = radius * math.cos(angle), radius * math.sin(angle)
        if y < zone.max_y + 3.0 and abs(x) < zone.max_x + 3.5:
            continue
        plan.add(pick(rng, ("pine", "pine", "tree")), x, y)
        trees += 1
    for _ in range(6):
        plan.add(pick(rng, ("rock", "bush", "bush")), rng.uniform(-6.0, 6.0), rng.uniform(2.5, 6.0))
    plan.add("log", -2.2 + plan.jitter(0.4), 2.2, plan.jitter(25))
    plan.parts(
        [
            cylinder(1.5 + 0.45 * math.cos(a), 1.3 + 0.45 * math.sin(a), 0.0, 0.1, 0.12, (0.4, 0.38, 0.36))
            for a in (i * math.pi / 4 for i in range(8))
        ]
    )
    plan.parts([cylinder(1.5, 1.3, 0.0, 0.22, 0.3, (1.0, 0.5, 0.15), shape="cone", emission=6.0, role="practical")])
    plan.light("POINT", (1.5, 1.3, 0.5), 80.0, (1.0, 0.55, 0.2), 0.2, role="practical")
    _sun(plan, azimuth=rng.uniform(-40.0, 40.0), elevation=rng.uniform(40.0, 65.0))
    plan.mark("centre", 0.0, 0.0)
    plan.mark("log", -2.2, 1.8, 0.0)
    plan.mark("campfire", 1.5, 0.6, 0.0)
    plan.mark("tree_line", 0.0, 6.0, 180.0)
    return plan.finish(
        **_exterior(vary(rng, (0.28, 0.3, 0.16), 0.03)),
        camera_safe=zone,
    )


def beach(rng: Random) -> LocationPreset:
    """A beach: sand down to the sea at +Y, surf lines, umbrellas, towels, deck chairs, palms, a lifeguard tower."""
    plan = SetPlan(rng)
    water = vary(rng, (0.1, 0.4, 0.55), 0.04)
    plan.parts([box(0.0, 80.0, -0.4, 400.0, 148.0, 0.3, water, roughness=0.08)])
    plan.parts([box(0.0, 6.2 + i * 1.8, -0.1, 200.0, 0.25, 0.02, (0.9, 0.95, 0.95), roughness=0.5) for i in range(3)])
    plan.parts([box(0.0, 5.0, -0.4, 400.0, 2.2, 0.36, vary(rng, (0.72, 0.62, 0.45), 0.02), rotation=(-9, 0, 0))])
    for x in (-4.0, 3.5, 8.0):
        ux = x + plan.jitter(0.8)
        plan.add("umbrella", ux, 1.8 + plan.jitter(0.6))
        plan.add("towel", ux + 0.9, 1.6, plan.jitter(20))
    plan.add("deck_chair", -2.3, 1.4, 170)
    plan.add("deck_chair", 5.2, 1.0, 190)
    for x in (-11.0, -8.5, 10.5):
        plan.add("palm", x + plan.jitter(1.0), rng.uniform(-4.0, 0.0))
    tower_x = pick(rng, (-6.5, 7.0))
    plan.parts(
        [
            bar((tower_x + dx, 3.0 + dy, 0.0), (tower_x + dx, 3.0 + dy, 2.0), 0.06, WHITE)
            for dx in (-0.8, 0.8)
            for dy in (-0.8, 0.8)
        ]
    )
    plan.parts([box(tower_x, 3.0, 2.0, 1.9, 1.9, 1.2, (0.85, 0.2, 0.15)), box(tower_x, 3.0, 3.2, 2.3, 2.3, 0.1, WHITE)])
    _sun(plan, azimuth=rng.uniform(-50.0, 50.0), elevation=rng.uniform(45.0, 65.0))
    plan.mark("centre", 0.0, 0.0)
    plan.mark("umbrella", -4.0, 1.0, 0.0)
    plan.mark("towel", 4.4, 0.5, 0.0)
    plan.mark("water", 0.0, 4.6, 180.0)
    plan.mark("lifeguard_tower", tower_x, 1.7, 0.0)
    return plan.finish(
        **_exterior(vary(rng, (0.86, 0.77, 0.58), 0.03), floor_bounds=(-100.0, 100.0, -60.0, 4.0)),
    )


def rooftop(rng: Random) -> LocationPreset:
    """A flat city roof: parapet, water tank, air-conditioning units, vents, antenna, stair hut, a skyline beyond."""
    plan = SetPlan(rng)
    parapet = vary(rng, pick(rng, ((0.55, 0.52, 0.48), (0.5, 0.28, 0.2), (0.62, 0.62, 0.62))), 0.03)
    plan.parts(
        [
            box(0.0, 7.0, 0.0, 18.4, 0.3, 1.1, parapet),
            box(-9.0, -2.5, 0.0, 0.3, 19.0, 1.1, parapet),
            box(9.0, -2.5, 0.0, 0.3, 19.0, 1.1, parapet),
        ]
    )
    plan.parts([box(0.0, 7.0, 1.1, 18.6, 0.4, 0.08, vary(rng, parapet, 0.05))])
    side = pick(rng, (-1.0, 1.0))
    plan.add("water_tank", side * 5.5, 4.5)
    plan.add("ac_unit", -side * 3.0, 5.5, plan.jitter(10))
    plan.add("ac_unit", -side * 4.6, 5.5, plan.jitter(10))
    plan.add("vent_pipe", side * 2.0, 4.8)
    plan.add("antenna", -side * 7.0, 2.0)
    hut_x = -side * 6.5
    plan.parts([box(hut_x, -1.0, 0.0, 3.0, 3.0, 2.6, parapet), box(hut_x, -1.0, 2.6, 3.2, 3.2, 0.15, DARK_METAL)])
    plan.add("door", hut_x + side * 1.52, -1.0, -side * 90, width=0.9, height=2.1)
    for _ in range(16):
        x, y = rng.uniform(-90.0, 90.0), rng.uniform(30.0, 110.0)
        plan.add("skyline_block", x, y, plan.jitter(8.0))
    _sun(plan, azimuth=rng.uniform(-60.0, 60.0), elevation=rng.uniform(30.0, 55.0))
    plan.mark("centre", 0.0, 0.0)
    plan.mark("parapet", 0.0, 6.3, 180.0)
    plan.mark("water_tank", side * 3.8, 3.0, 0.0)
    plan.mark("door", hut_x + side * 2.2, -1.0, side * 90.0)
    return plan.finish(
        **_exterior(vary(rng, (0.42, 0.42, 0.4), 0.03), floor_bounds=(-9.0, 9.0, -12.0, 7.0)),
        camera_safe=CameraSafeZone(min_x=-4.0, max_x=4.0, max_y=-2.0),
    )


def train_platform(rng: Random) -> LocationPreset:
    """A train platform: yellow edge line, rails on sleepers, the far platform under a canopy, benches, sign, clock."""
    plan = SetPlan(rng)
    concrete = vary(rng, (0.58, 0.57, 0.54), 0.03)
    plan.parts(
        [box(0.0, 2.1, 0.0, 60.0, 0.18, 0.005, (0.95, 0.8, 0.1)), box(0.0, 2.55, -1.2, 60.0, 0.1, 1.2, concrete)]
    )
    plan.parts([box(0.0, 5.25, -1.3, 60.0, 5.5, 0.15, (0.3, 0.27, 0.24), roughness=0.95)])
    plan.parts(
        [
            box(0.0, 5.25 + dy, -1.15, 60.0, 0.07, 0.15, (0.6, 0.6, 0.62), metallic=0.9, roughness=0.3)
            for dy in (-0.72, 0.72)
        ]
    )
    plan.parts([box(-14.0 + i * 1.4, 5.25, -1.18, 0.25, 2.4, 0.05, (0.35, 0.28, 0.22)) for i in range(21)])
    plan.parts(
        [box(0.0, 10.0, -1.2, 60.0, 4.0, 1.2, concrete), box(0.0, 8.1, 0.0, 60.0, 0.18, 0.005, (0.95, 0.8, 0.1))]
    )
    canopy = vary(rng, pick(rng, ((0.2, 0.35, 0.25), (0.55, 0.1, 0.1), (0.2, 0.25, 0.4))), 0.03)
    plan.parts([cylinder(x, 10.5, 0.0, 0.12, 3.6, canopy, metallic=0.4) for x in (-12.0, -6.0, 0.0, 6.0, 12.0)])
    plan.parts(
        [
            box(0.0, 10.3, 3.6, 30.0, 4.6, 0.15, canopy),
            box(0.0, 12.3, 0.0, 30.0, 0.2, 3.6, vary(rng, (0.6, 0.55, 0.5), 0.04)),
        ]
    )
    for x in (-9.0, -3.0, 3.0, 9.0):
        plan.add("bench", x + plan.jitter(0.4), 11.6, 0, width=1.6)
        plan.parts([box(x, 8.2, 3.45, 1.2, 0.08, 0.06, (0.95, 0.97, 1.0), emission=4.0, role="practical")])
        plan.light("POINT", (x, 9.5, 3.3), 250.0, (0.95, 0.97, 1.0), 0.2, role="practical")
    plan.add(
        "sign",
        0.0,
        8.5,
        0,
        z=2.5,
        width=3.0,
        text_color=vary(rng, pick(rng, ((0.1, 0.25, 0.6), (0.6, 0.1, 0.1))), 0.03),
    )
    plan.add("clock", 4.5, 8.5, 0, z=3.0)
    for x in (-6.5, 6.5):
        plan.add("bench", x, 0.5, 180, width=1.6)
    plan.add("trash_can", 8.5, -0.5)
    plan.add("street_light", -9.0, -0.5, 180)
    plan.light("POINT", (-9.0, 0.5, 5.1), 400.0, (0.95, 0.97, 1.0), 0.2, role="practical")
    _sun(plan, azimuth=rng.uniform(-50.0, 50.0), elevation=rng.uniform(35.0, 55.0))
    plan.mark("centre", 0.0, 0.0)
    plan.mark("platform_edge", 0.0, 1.6, 180.0)
    plan.mark("bench", 6.5, -0.1, 180.0)
    plan.mark("far_platform", 0.0, 10.0, 0.0)
    return plan.finish(
        **_exterior(concrete, floor_bounds=(-30.0, 30.0, -30.0, 2.5)),
    )
