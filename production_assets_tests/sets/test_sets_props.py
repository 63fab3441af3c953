"""The prop library and placing YAML props on a set's marks or at positions."""

from __future__ import annotations

from random import Random

import pytest
from pydantic import ValidationError

from production_assets.errors import UnknownReferenceError
from production_assets.model.sets import PropPlacement
from production_assets.sets import PROP_NAMES, build_prop, build_set_plan, check_placements, place_props
from production_assets.sets.props import PROPS

REQUIRED_PROPS = (
    "desk chair office_chair table sofa bed door car lamp floor_lamp computer printer phone mug bottle box crate "
    "barrel tree bench street_light plant shelf counter stool"
).split()


def test_the_library_has_the_props_sets_and_scripts_ask_for() -> None:
    assert set(REQUIRED_PROPS) <= set(PROP_NAMES)


@pytest.mark.parametrize("name", PROP_NAMES)
def test_a_prop_is_a_few_primitives_standing_on_or_just_in_the_ground(name: str) -> None:
    parts = build_prop(name, Random(1), 0.0, 0.0)

    assert 1 <= len(parts) <= 60
    assert all(part.group == name for part in parts)
    upright = [part for part in parts if part.rotation_deg[:2] == (0.0, 0.0)]
    sunk = [part for part in upright if part.location[2] - part.scale[2] < -0.5]
    assert sunk == [] or name == "skyline_block"
    assert build_prop(name, Random(1), 0.0, 0.0) == parts


def test_placing_turns_the_prop_about_its_origin_and_moves_it() -> None:
    straight = build_prop("desk", Random(3), 0.0, 0.0)
    turned = build_prop("desk", Random(3), 2.0, 1.0, rotation=90.0)

    for before, after in zip(straight, turned, strict=True):
        x, y, z = before.location
        assert after.location == pytest.approx((2.0 - y, 1.0 + x, z), abs=1e-3)
        assert after.rotation_deg[2] == pytest.approx(before.rotation_deg[2] + 90.0)


def test_props_land_on_marks_and_tabletop_props_on_the_mark_surface() -> None:
    office = build_set_plan("office", 4)
    desk = office.marks["desk"]
    placed = place_props(office, [PropPlacement(name="lamp", mark="desk"), PropPlacement(name="crate", mark="centre")])

    added = placed.props[len(office.props) :]
    lamp = [part for part in added if part.group == "lamp"]
    crate = [part for part in added if part.group == "crate"]
    assert desk.surface is not None
    assert min(part.location[2] - part.scale[2] for part in lamp) == pytest.approx(desk.surface[2], abs=1e-3)
    assert lamp[0].location[:2] == pytest.approx(desk.surface[:2], abs=1e-3)
    assert crate[0].location[:2] == pytest.approx((0.0, 0.0), abs=1e-3)
    assert min(part.location[2] - part.scale[2] for part in crate) == pytest.approx(0.0, abs=1e-3)


def test_two_tabletop_props_on_one_mark_stand_side_by_side() -> None:
    kitchen = build_set_plan("kitchen", 1)
    placed = place_props(kitchen, [PropPlacement(name="mug", mark="table"), PropPlacement(name="bottle", mark="table")])

    mug, bottle = (next(p for p in placed.props[len(kitchen.props) :] if p.group == name) for name in ("mug", "bottle"))
    assert abs(mug.location[0] - bottle.location[0]) + abs(mug.location[1] - bottle.location[1]) >= 0.29


def test_a_prop_at_a_position_stands_there_turned_by_its_rotation() -> None:
    plan = build_set_plan("warehouse", 1)
    placed = place_props(plan, [PropPlacement(name="box", position=(1.0, 2.0), rotation=30.0)])

    box = placed.props[len(plan.props)]
    assert box.location[:2] == pytest.approx((1.0, 2.0), abs=1e-3)
    assert box.rotation_deg[2] == pytest.approx(30.0)


def test_an_unknown_prop_or_mark_is_an_error_that_suggests_names() -> None:
    plan = build_set_plan("office", 1)

    with pytest.raises(UnknownReferenceError, match="unknown prop 'lmap'") as prop_error:
        place_props(plan, [PropPlacement(name="lmap", mark="desk")])
    with pytest.raises(UnknownReferenceError, match="unknown mark 'dsk'") as mark_error:
        place_props(plan, [PropPlacement(name="lamp", mark="dsk")])
    with pytest.raises(UnknownReferenceError) as far_error:
        place_props(plan, [PropPlacement(name="lamp", mark="zzz")])

    assert prop_error.value.suggestion == "did you mean 'lamp'?"
    assert mark_error.value.suggestion == "did you mean 'desk'?"
    assert far_error.value.suggestion == "known: centre, desk, door, visitor, window"
    assert check_placements(plan, [PropPlacement(name="lmap", mark="dsk")]) == [
        "unknown prop 'lmap' (did you mean 'lamp'?)",
        "prop 'lmap': unknown mark 'dsk' (did you mean 'desk'?)",
    ]


def test_a_placement_needs_exactly_one_of_mark_and_position() -> None:
    with pytest.raises(ValidationError, match="exactly one of 'mark' or 'position'"):
        PropPlacement(name="lamp")
    with pytest.raises(ValidationError, match="exactly one of 'mark' or 'position'"):
        PropPlacement(name="lamp", mark="desk", position=(0.0, 0.0))
    with pytest.raises(ValidationError, match="extra"):
        PropPlacement.model_validate({"name": "lamp", "mark": "desk", "colour": "red"})


def test_tabletop_props_are_flagged() -> None:
    assert {name for name, prop in PROPS.items() if prop.tabletop} >= {"lamp", "computer", "phone", "mug", "bottle"}
    assert not PROPS["desk"].tabletop
