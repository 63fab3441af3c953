"""Every set of the library: deterministic, seeded, marked, within budget, and clear where cameras stand."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from production_assets.errors import UnknownReferenceError
from production_assets.model.presets import LocationPreset, PropSpec
from production_assets.sets import SET_NAMES, SETS, build_set_plan, default_seed
from production_assets.sets.library import MAX_PRIMITIVES
from production_assets.sets.shell import shell_parts

FLOOR_MARKING_M = 0.05
# A standing actor's torso and head: 0.3 m across, from 0.5 m (above a car seat) to 1.9 m.
ACTOR_HALF_WIDTH = 0.15


def world_box(part: PropSpec) -> tuple[np.ndarray, np.ndarray]:
    """The axis-aligned box around a primitive's unit cube after scale and XYZ Euler rotation."""
    rx, ry, rz = (math.radians(angle) for angle in part.rotation_deg)
    rot_x = np.array([[1, 0, 0], [0, math.cos(rx), -math.sin(rx)], [0, math.sin(rx), math.cos(rx)]])
    rot_y = np.array([[math.cos(ry), 0, math.sin(ry)], [0, 1, 0], [-math.sin(ry), 0, math.cos(ry)]])
    rot_z = np.array([[math.cos(rz), -math.sin(rz), 0], [math.sin(rz), math.cos(rz), 0], [0, 0, 1]])
    corners = np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)]) * np.array(part.scale)
    world = corners @ (rot_z @ rot_y @ rot_x).T + np.array(part.location)
    return world.min(axis=0), world.max(axis=0)


def all_parts(plan: LocationPreset) -> list[PropSpec]:
    return [*shell_parts(plan), *plan.props]


def plan_json(plan: LocationPreset) -> str:
    return plan.model_dump_json()


def test_the_library_has_every_place_the_film_needs() -> None:
    required = {
        "office", "open_plan_office", "kitchen", "living_room", "bedroom", "bathroom", "hallway", "corridor",
        "classroom", "restaurant_bar", "shop", "warehouse", "garage", "car_interior", "street", "alley", "park",
        "forest_clearing", "beach", "rooftop", "train_platform", "stage",
    }  # fmt: skip
    assert required <= set(SET_NAMES)


@pytest.mark.parametrize("name", SET_NAMES)
def test_a_set_is_the_same_for_the_same_seed_and_differs_for_another(name: str) -> None:
    first, again, other = build_set_plan(name, 7), build_set_plan(name, 7), build_set_plan(name, 8)

    assert plan_json(first) == plan_json(again)
    assert plan_json(first) != plan_json(other)
    assert {part.color for part in first.props} != {part.color for part in other.props}


@pytest.mark.parametrize("name", SET_NAMES)
def test_a_set_has_its_documented_marks_and_stays_within_budget(name: str) -> None:
    plan = build_set_plan(name, 3)

    assert "centre" in plan.marks
    assert set(SETS[name].marks) <= set(plan.marks)
    assert 10 <= len(all_parts(plan)) <= MAX_PRIMITIVES
    assert plan.setting == ("exterior" if SETS[name].setting == "exterior" else plan.setting)
    assert plan.description.startswith(f"{name} (seed 3): ")


@pytest.mark.parametrize("name", SET_NAMES)
@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_nothing_stands_in_the_camera_safe_zone(name: str, seed: int) -> None:
    plan = build_set_plan(name, seed)
    zone = plan.camera_safe

    intruders = []
    for part in all_parts(plan):
        low, high = world_box(part)
        inside = low[0] < zone.max_x and high[0] > zone.min_x and low[1] < zone.max_y
        if inside and high[2] > zone.min_z + FLOOR_MARKING_M:
            intruders.append((part.group, part.location))

    assert intruders == []


@pytest.mark.parametrize("name", SET_NAMES)
def test_the_centre_mark_is_clear_for_an_actor(name: str) -> None:
    plan = build_set_plan(name, 5)
    centre = plan.marks["centre"]

    blocking = []
    for part in all_parts(plan):
        low, high = world_box(part)
        over = abs(centre.x - (low[0] + high[0]) / 2) < ACTOR_HALF_WIDTH + (high[0] - low[0]) / 2
        over = over and abs(centre.y - (low[1] + high[1]) / 2) < ACTOR_HALF_WIDTH + (high[1] - low[1]) / 2
        if over and high[2] > 0.5 and low[2] < 1.9:
            blocking.append((part.group, part.location))

    assert blocking == []


def test_plans_are_identical_in_another_process() -> None:
    code = (
        "import sys; from production_assets.sets import SET_NAMES, build_set_plan; "
        "sys.stdout.write('\\n'.join(build_set_plan(n, 11).model_dump_json() for n in SET_NAMES))"
    )
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": "123"}
    )

    assert other.stdout.split("\n") == [build_set_plan(name, 11).model_dump_json() for name in SET_NAMES]


def test_the_default_seed_comes_from_the_location_name() -> None:
    mikes, jos = default_seed("Mike's Office"), default_seed("Jo's Office")

    assert mikes != jos
    assert default_seed("mike's office ") == mikes
    assert plan_json(build_set_plan("office", mikes)) != plan_json(build_set_plan("office", jos))


def test_an_unknown_set_suggests_a_close_name() -> None:
    with pytest.raises(UnknownReferenceError, match="unknown set 'ofice'") as error:
        build_set_plan("ofice", 1)

    assert error.value.suggestion == "did you mean 'office'?"


def test_a_plan_round_trips_through_json() -> None:
    plan = build_set_plan("kitchen", 2)

    assert LocationPreset.model_validate(json.loads(plan.model_dump_json())) == plan
