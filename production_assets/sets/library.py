"""The set library: every procedural set by name, its setting, aliases and marks, and :func:`build_set_plan`.

A set plan is a :class:`LocationPreset` the renderer draws as it draws any
location preset. The same set name and seed always give the same plan (the
seed drives a :class:`random.Random` seeded from a SHA-256 digest, never
Python's ``hash()``); another seed moves, recolours and swaps details.
The matcher (:mod:`.matching`) finds a set from a place's name through the
aliases listed here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from typing import Literal

from production_assets.errors import UnknownReferenceError
from production_assets.model.presets import LocationPreset
from production_assets.sets import outdoors, rooms_home, rooms_work
from production_assets.suggest import did_you_mean

Setting = Literal["interior", "exterior", "either"]
# The shipped presets (configs/presets/locations.yaml) a place falls back to when no set matches.
FALLBACK_INTERIOR = "studio"
FALLBACK_EXTERIOR = "exterior"
MAX_PRIMITIVES = 400


@dataclass(frozen=True)
class SetDefinition:
    """A set of the library: how to generate it and how screenplays name it."""

    name: str
    setting: Setting
    aliases: tuple[str, ...]
    marks: tuple[str, ...]
    generate: Callable[[Random], LocationPreset]

    @property
    def description(self) -> str:
        return (self.generate.__doc__ or "").strip().splitlines()[0]


def _set(
    name: str, setting: Setting, generate: Callable[[Random], LocationPreset], marks: str, aliases: str
) -> SetDefinition:
    return SetDefinition(name, setting, tuple(a.strip() for a in aliases.split(",")), tuple(marks.split()), generate)


SETS: dict[str, SetDefinition] = {
    definition.name: definition
    for definition in (
        _set(
            "office",
            "interior",
            rooms_work.office,
            "centre desk visitor door window",
            "office, study, den, bureau, headquarters, hq, police station, precinct, station house, agency, law firm, "
            "consulting room, principal's office, boss's office, study room, interrogation room",
        ),
        _set(
            "open_plan_office",
            "interior",
            rooms_work.open_plan_office,
            "centre desk desk_right window printer aisle",
            "open plan office, open plan, open-plan office, bullpen, newsroom, cubicle, call center, call centre, "
            "control room, trading floor, office floor, workspace, startup, computer lab",
        ),
        _set(
            "kitchen",
            "interior",
            rooms_home.kitchen,
            "centre counter stove sink fridge table window door",
            "kitchen, kitchenette, galley, pantry, scullery, canteen kitchen, restaurant kitchen",
        ),
        _set(
            "living_room",
            "interior",
            rooms_home.living_room,
            "centre sofa armchair tv window door",
            "living room, lounge, sitting room, family room, front room, parlor, parlour, drawing room, apartment, "
            "flat, house, home, cabin, cottage, den room, tv room, motel room, hotel room, suite",
        ),
        _set(
            "bedroom",
            "interior",
            rooms_home.bedroom,
            "centre bed bedside wardrobe window door",
            "bedroom, master bedroom, guest room, nursery, dorm room, dormitory, bunk room, hospital room, ward, "
            "cell, sleeping quarters",
        ),
        _set(
            "bathroom",
            "interior",
            rooms_home.bathroom,
            "centre bath sink mirror door",
            "bathroom, restroom, washroom, toilet, lavatory, loo, men's room, ladies room, powder room, shower",
        ),
        _set(
            "hallway",
            "interior",
            rooms_home.hallway,
            "centre door stairs console",
            "hallway, entrance hall, hall, foyer, entryway, vestibule, landing, stairwell, staircase, porch, lobby, "
            "reception",
        ),
        _set(
            "corridor",
            "interior",
            rooms_work.corridor,
            "centre door door_right far_end bench",
            "corridor, passage, passageway, hospital corridor, school hallway, hospital hallway, office hallway, "
            "hotel hallway, hotel corridor, tunnel, basement, prison block, cell block",
        ),
        _set(
            "classroom",
            "interior",
            rooms_work.classroom,
            "centre blackboard teacher pupil window",
            "classroom, class room, school, lecture hall, lecture room, schoolroom, seminar room, homeroom, "
            "kindergarten, college, university, library",
        ),
        _set(
            "restaurant_bar",
            "interior",
            rooms_work.restaurant_bar,
            "centre bar bartender table door",
            "bar, pub, tavern, saloon, diner, cafe, coffee shop, coffeehouse, restaurant, bistro, nightclub, club, "
            "lounge bar, inn, canteen, cafeteria, speakeasy, brewery, cantina",
        ),
        _set(
            "shop",
            "interior",
            rooms_work.shop,
            "centre counter shopkeeper shelves door",
            "shop, store, grocery, supermarket, convenience store, corner shop, bodega, pharmacy, drugstore, "
            "bookstore, bookshop, boutique, market, pawn shop, liquor store, gas station store, mini mart",
        ),
        _set(
            "warehouse",
            "interior",
            rooms_work.warehouse,
            "centre crates door racks",
            "warehouse, storehouse, depot, factory, plant, hangar, barn, mill, loading dock, storage, "
            "storage unit, stockroom, workshop floor",
        ),
        _set(
            "garage",
            "interior",
            rooms_work.garage,
            "centre car workbench door",
            "garage, car park, parking garage, auto shop, body shop, mechanic, workshop, carport, chop shop",
        ),
        _set(
            "car_interior",
            "either",
            rooms_work.car_interior,
            "centre driver passenger back_seat",
            "car, cab, taxi, limo, limousine, sedan, suv, van, truck, pickup, jeep, police car, cruiser, squad car, "
            "getaway car, vehicle, car interior, uber, convertible",
        ),
        _set(
            "stage",
            "either",
            rooms_work.stage,
            "centre stage_left stage_right downstage upstage",
            "stage, theatre, theater, auditorium, concert hall, opera house, music hall, playhouse, backstage, "
            "rehearsal, recital hall",
        ),
        _set(
            "street",
            "exterior",
            outdoors.street,
            "centre door kerb street_light car bench",
            "street, main street, road, avenue, boulevard, lane, high street, sidewalk, pavement, downtown, town, "
            "city, neighborhood, neighbourhood, block, crosswalk, intersection, corner, building, office building, "
            "apartment building, storefront, parking lot, highway, freeway, square, plaza",
        ),
        _set(
            "alley",
            "exterior",
            outdoors.alley,
            "centre door dumpster far_end",
            "alley, alleyway, back alley, backstreet, back street, side street, service road, loading bay, gutter",
        ),
        _set(
            "park",
            "exterior",
            outdoors.park,
            "centre bench path pond tree",
            "park, garden, gardens, playground, lawn, backyard, back yard, yard, courtyard, cemetery, graveyard, "
            "campus, zoo, botanical garden, central park, meadow, field",
        ),
        _set(
            "forest_clearing",
            "exterior",
            outdoors.forest_clearing,
            "centre log campfire tree_line",
            "forest, woods, wood, clearing, forest clearing, jungle, wilderness, campsite, camp, campground, "
            "grove, thicket, trail, mountain, hills, countryside",
        ),
        _set(
            "beach",
            "exterior",
            outdoors.beach,
            "centre umbrella towel water lifeguard_tower",
            "beach, shore, seashore, seaside, coast, sand, beachfront, boardwalk, island, ocean, sea, lake shore, "
            "bay, dunes, pier, dock, harbour, harbor, marina",
        ),
        _set(
            "rooftop",
            "exterior",
            outdoors.rooftop,
            "centre parapet water_tank door",
            "rooftop, roof, roof top, terrace, skyscraper roof, helipad, penthouse terrace, balcony, fire escape",
        ),
        _set(
            "train_platform",
            "either",
            outdoors.train_platform,
            "centre platform_edge bench far_platform",
            "platform, station, train station, subway, subway platform, metro, underground, tube station, railway, "
            "railway station, train, train platform, tram stop, bus station, bus stop, depot platform, el train",
        ),
    )
}
SET_NAMES: tuple[str, ...] = tuple(SETS)


def stable_seed(*parts: str) -> int:
    """A 64-bit seed from text, the same in every process and on every machine (SHA-256, never ``hash()``)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def default_seed(location_name: str) -> int:
    """The seed a location gets when its YAML has no ``seed:``: derived from its name, so two offices differ."""
    return stable_seed("location", location_name.strip().lower()) % 1_000_000


def set_definition(name: str) -> SetDefinition:
    """The library entry for ``name``; an unknown name is an error that suggests a close one."""
    if name not in SETS:
        raise UnknownReferenceError(
            f"unknown set {name!r}", suggestion=did_you_mean(name, SETS) or "known sets: " + ", ".join(SET_NAMES)
        )
    return SETS[name]


def build_set_plan(name: str, seed: int) -> LocationPreset:
    """Set ``name`` laid out with ``seed``: the same inputs always give the same plan."""
    definition = set_definition(name)
    plan = definition.generate(Random(stable_seed("set", name, str(seed))))
    return plan.model_copy(update={"description": f"{name} (seed {seed}): {definition.description}"})
