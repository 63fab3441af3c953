"""A YAML location to its set: explicit presets win, names match sets, seeds pin layouts, props are placed."""

from __future__ import annotations

import pytest

from production_assets.errors import UnknownReferenceError
from production_assets.loading.presets import load_presets
from production_assets.model.sets import PropPlacement
from production_assets.sets import build_set_plan, default_seed, known_location_names, location_set

PRESETS = load_presets().locations


def test_a_location_without_preset_gets_the_set_its_name_matches() -> None:
    office = location_set("Mike's Office", PRESETS)

    assert (office.set_name, office.seed) == ("office", default_seed("Mike's Office"))
    assert office.reason == "location \"Mike's Office\": 'office' is the set's name"
    assert office.preset == build_set_plan("office", default_seed("Mike's Office"))


def test_two_locations_on_one_set_differ_unless_their_seed_is_pinned() -> None:
    mikes, jos = location_set("Mike's Office", PRESETS), location_set("Jo's Office", PRESETS)
    pinned_a = location_set("Mike's Office", PRESETS, seed=4)
    pinned_b = location_set("Jo's Office", PRESETS, seed=4)

    assert mikes.preset != jos.preset
    assert pinned_a.preset == pinned_b.preset and pinned_a.seed == 4


def test_an_explicit_preset_wins_over_the_name() -> None:
    yaml_preset = location_set("Kitchen", PRESETS, preset="industrial")
    library_set = location_set("Warehouse 13", PRESETS, preset="beach", seed=2)

    assert (yaml_preset.set_name, yaml_preset.seed, yaml_preset.reason) == ("industrial", None, "preset: industrial")
    assert yaml_preset.preset == PRESETS["industrial"]
    assert library_set.preset == build_set_plan("beach", 2)


def test_the_screenplay_place_and_int_ext_decide_when_the_name_does_not() -> None:
    chosen = location_set("Scene 4", PRESETS, place="SUBWAY PLATFORM", interior=True)
    fallback = location_set("Sniper scope POV", PRESETS, interior=False)

    assert chosen.set_name == "train_platform"
    assert (fallback.set_name, fallback.seed) == ("exterior", None)
    assert fallback.preset == PRESETS["exterior"]


def test_props_are_placed_on_the_chosen_set() -> None:
    plain = location_set("Kitchen", PRESETS)
    propped = location_set("Kitchen", PRESETS, props=[PropPlacement(name="crate", mark="centre")])

    assert len(propped.preset.props) > len(plain.preset.props)
    assert {p.group for p in propped.preset.props[len(plain.preset.props) :]} == {"crate"}


def test_an_unknown_preset_suggests_a_preset_or_a_set() -> None:
    with pytest.raises(UnknownReferenceError, match="unknown location preset or set 'ofice'") as error:
        location_set("X", PRESETS, preset="ofice")

    assert error.value.suggestion == "did you mean 'office'?"
    assert {"studio", "industrial", "office", "street"} <= set(known_location_names(PRESETS))
