"""Matching screenplay places to sets: headings from published screenplays, INT./EXT., fallbacks, reasons."""

from __future__ import annotations

import pytest

from production_assets.sets import match_set, parse_heading
from production_assets.sets.conditions import time_of_day_from_heading
from production_assets.sets.matching import words

# Scene headings as published screenplays write them (Pulp Fiction, Die Hard, Collateral, Taxi Driver,
# The Social Network, Jaws, Se7en, Lost in Translation, Eternal Sunshine, Juno, Drive, ...).
HEADINGS = [
    ("INT. MIKE'S OFFICE - DAY", "office"),
    ("EXT. MAIN STREET - NIGHT", "street"),
    ("INT. KITCHEN - CONTINUOUS", "kitchen"),
    ("INT. JOE'S DINER", "restaurant_bar"),
    ("INT. CAR (MOVING)", "car_interior"),
    ("EXT. ROOFTOP", "rooftop"),
    ("INT. SUBWAY PLATFORM", "train_platform"),
    ("INT. COFFEE SHOP - MORNING", "restaurant_bar"),
    ("INT. HAWTHORNE GRILL - MORNING", "studio"),
    ("INT. VINCENT'S MALIBU - DAY", "studio"),
    ("INT. NAKATOMI PLAZA - LOBBY - NIGHT", "hallway"),
    ("EXT. NAKATOMI PLAZA - ROOF - NIGHT", "rooftop"),
    ("INT. MAX'S CAB - NIGHT", "car_interior"),
    ("INT. TAXI - MOVING - NIGHT", "car_interior"),
    ("EXT. LOS ANGELES STREET - NIGHT", "street"),
    ("INT. TRAVIS' APARTMENT - DAY", "living_room"),
    ("INT. HARVARD DORM ROOM - NIGHT", "bedroom"),
    ("INT. CAMPUS BAR - NIGHT", "restaurant_bar"),
    ("INT. LECTURE HALL - DAY", "classroom"),
    ("EXT. BEACH - DAY", "beach"),
    ("EXT. AMITY ISLAND - BEACH - DAY", "beach"),
    ("INT. POLICE STATION - DAY", "office"),
    ("INT. POLICE STATION - INTERROGATION ROOM - NIGHT", "office"),
    ("INT. SOMERSET'S APARTMENT - BEDROOM - NIGHT", "bedroom"),
    ("EXT. ALLEY - NIGHT", "alley"),
    ("INT. HOTEL BAR - NIGHT", "restaurant_bar"),
    ("INT. HOTEL ROOM - NIGHT", "living_room"),
    ("INT. HOSPITAL CORRIDOR - NIGHT", "corridor"),
    ("INT. SCHOOL HALLWAY - DAY", "corridor"),
    ("INT. JUNO'S BATHROOM - DAY", "bathroom"),
    ("INT. CONVENIENCE STORE - NIGHT", "shop"),
    ("INT. WAREHOUSE - NIGHT", "warehouse"),
    ("INT. GARAGE - DAY", "garage"),
    ("EXT. CENTRAL PARK - DAY", "park"),
    ("EXT. FOREST - NIGHT", "forest_clearing"),
    ("EXT. WOODS - CLEARING - DUSK", "forest_clearing"),
    ("EXT. TRAIN STATION - PLATFORM - DAWN", "train_platform"),
    ("INT. THEATER - STAGE - NIGHT", "stage"),
    ("INT. NEWSROOM - DAY", "open_plan_office"),
    ("INT. HOUSE - LIVING ROOM - NIGHT", "living_room"),
    ("INT. MONTAUK HOUSE - KITCHEN - DAY", "kitchen"),
    ("EXT. OFFICE BUILDING - DAY", "street"),
    ("INT./EXT. CAR - DAY", "car_interior"),
    ("SNIPER SCOPE POV", "studio"),
    ("EXT. SNIPER'S NEST - NIGHT", "exterior"),
]


@pytest.mark.parametrize(("heading", "expected"), HEADINGS)
def test_screenplay_headings_pick_the_place_they_name(heading: str, expected: str) -> None:
    choice = match_set(heading)

    assert choice.set_name == expected
    assert choice.reason
    if not choice.fallback:
        assert choice.matched is not None and choice.matched in choice.reason


def test_the_reason_says_which_words_matched_and_how() -> None:
    assert match_set("Office").reason == "location 'Office': 'office' is the set's name"
    assert match_set("Joe's Diner").reason == "location \"Joe's Diner\": 'diner' is an alias of restaurant_bar"


def test_no_match_falls_back_to_studio_indoors_and_exterior_outdoors() -> None:
    unknown, outdoor = match_set("SNIPER SCOPE POV"), match_set("Sniper's nest", interior=False)

    assert (unknown.set_name, unknown.fallback) == ("studio", True)
    assert unknown.reason == "no set matches 'SNIPER SCOPE POV'; studio is the fallback for unknown places"
    assert (outdoor.set_name, outdoor.fallback) == ("exterior", True)


def test_an_exterior_place_never_gets_an_interior_only_set_unless_named_exactly() -> None:
    outside_office = match_set("EXT. MIKE'S OFFICE - DAY")
    named_exactly = match_set("EXT. KITCHEN")

    assert outside_office.set_name == "exterior"
    assert "office ('office') skipped: EXT. place" in outside_office.reason
    assert named_exactly.set_name == "kitchen"
    assert match_set("EXT. SCHOOL - DAY").set_name == "classroom"


def test_an_interior_place_skips_exterior_only_sets() -> None:
    assert match_set("INT. FOREST CABIN - NIGHT").set_name == "living_room"
    assert match_set("INT. PARK").set_name == "park"
    assert match_set("Park office", interior=True).set_name == "office"


def test_longer_aliases_win_then_the_rightmost_word() -> None:
    assert match_set("Police station").set_name == "office"
    assert match_set("Train station").set_name == "train_platform"
    assert match_set("Office kitchen").set_name == "kitchen"
    assert match_set("Kitchen office").set_name == "office"


def test_the_location_name_is_tried_before_the_scene_place() -> None:
    choice = match_set("Mike's place", place="KITCHEN", interior=True)

    assert choice.set_name == "kitchen"
    assert choice.reason == "scene place 'KITCHEN': 'kitchen' is the set's name"


def test_headings_come_apart_into_place_side_and_time() -> None:
    heading = parse_heading("ext. main street - night")
    assert (heading.place, heading.interior, heading.time_of_day) == ("main street", False, "night")
    heading = parse_heading("INT./EXT. CAR - MOVING - DAY")
    assert (heading.place, heading.interior, heading.time_of_day) == ("CAR - MOVING", None, "day")
    heading = parse_heading("INT. KITCHEN - CONTINUOUS")
    assert (heading.place, heading.interior, heading.time_of_day) == ("KITCHEN", True, None)
    assert parse_heading("I/E TAXI").interior is None


@pytest.mark.parametrize(
    ("heading", "time"),
    [
        ("INT. KITCHEN - NIGHT", "night"),
        ("EXT. ROOFTOP - SUNSET", "dusk"),
        ("EXT. BEACH - EARLY MORNING", "morning"),
        ("EXT. FIELD - DAWN", "dawn"),
        ("INT. BAR - LATE NIGHT", "night"),
        ("INT. OFFICE - AFTERNOON", "day"),
        ("INT. KITCHEN - CONTINUOUS", None),
        ("INT. KITCHEN", None),
    ],
)
def test_the_time_of_day_comes_from_the_heading(heading: str, time: str | None) -> None:
    assert time_of_day_from_heading(heading) == time


def test_words_drop_possessives_punctuation_and_plurals() -> None:
    assert words("MIKE'S OFFICES (NIGHT)") == ["mike", "office", "night"]
    assert words("Travis\u2019 glass") == ["travis", "glass"]
