"""The prop library: every prop by name, and :func:`build_prop` to place one at a spot on a set.

A prop is a pure function of a seeded :class:`random.Random` (which picks its
colours and small variations) returning primitives in its own frame;
``build_prop`` turns and moves them. Tabletop props (a lamp, a computer, a
mug) stand on a mark's surface when placed on a mark that has one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from typing import Any

from production_assets.errors import UnknownReferenceError
from production_assets.model.presets import PropSpec
from production_assets.sets import props_fixtures as fixtures
from production_assets.sets import props_furniture as furniture
from production_assets.sets import props_outdoor as outdoor
from production_assets.sets.parts import place
from production_assets.suggest import did_you_mean

PropBuilder = Callable[..., list[PropSpec]]


@dataclass(frozen=True)
class PropDefinition:
    """A prop of the library: how to draw it and whether it belongs on a table top."""

    build: PropBuilder
    tabletop: bool = False


_FLOOR: dict[str, PropBuilder] = {
    "desk": furniture.desk,
    "chair": furniture.chair,
    "office_chair": furniture.office_chair,
    "table": furniture.table,
    "round_table": furniture.round_table,
    "coffee_table": furniture.coffee_table,
    "sofa": furniture.sofa,
    "armchair": furniture.armchair,
    "bed": furniture.bed,
    "nightstand": furniture.nightstand,
    "wardrobe": furniture.wardrobe,
    "shelf": furniture.shelf,
    "bookshelf": furniture.bookshelf,
    "counter": furniture.counter,
    "stool": furniture.stool,
    "floor_lamp": furniture.floor_lamp,
    "ceiling_lamp": furniture.ceiling_lamp,
    "plant": furniture.plant,
    "rug": furniture.rug,
    "door": furniture.door,
    "picture": furniture.picture,
    "blackboard": furniture.blackboard,
    "whiteboard": furniture.whiteboard,
    "cabinet": furniture.cabinet,
    "tv": furniture.tv,
    "fridge": fixtures.fridge,
    "stove": fixtures.stove,
    "kitchen_sink": fixtures.kitchen_sink,
    "wall_cabinets": fixtures.wall_cabinets,
    "bathtub": fixtures.bathtub,
    "toilet": fixtures.toilet,
    "washbasin": fixtures.washbasin,
    "mirror": fixtures.mirror,
    "towel_rail": fixtures.towel_rail,
    "bar_counter": fixtures.bar_counter,
    "back_bar": fixtures.back_bar,
    "shop_shelf": fixtures.shop_shelf,
    "box": fixtures.cardboard_box,
    "crate": fixtures.crate,
    "barrel": fixtures.barrel,
    "water_cooler": fixtures.water_cooler,
    "filing_cabinet": fixtures.filing_cabinet,
    "sign": fixtures.sign,
    "clock": fixtures.clock,
    "trash_can": fixtures.trash_can,
    "dumpster": fixtures.dumpster,
    "trash_bag": fixtures.trash_bag,
    "pallet": fixtures.pallet,
    "tool_bench": fixtures.tool_bench,
    "tire_stack": fixtures.tire_stack,
    "hanging_bulb": fixtures.ball_lamp,
    "tree": outdoor.tree,
    "pine": outdoor.pine,
    "palm": outdoor.palm,
    "bush": outdoor.bush,
    "rock": outdoor.rock,
    "log": outdoor.log,
    "bench": outdoor.bench,
    "street_light": outdoor.street_light,
    "car": outdoor.car,
    "building": outdoor.building,
    "skyline_block": outdoor.skyline_block,
    "fence": outdoor.fence,
    "umbrella": outdoor.umbrella,
    "towel": outdoor.towel,
    "deck_chair": outdoor.deck_chair,
    "water_tank": outdoor.water_tank,
    "ac_unit": outdoor.ac_unit,
    "vent_pipe": outdoor.vent_pipe,
    "antenna": outdoor.antenna,
    "hydrant": outdoor.hydrant,
    "bollard": outdoor.bollard,
    "planter": outdoor.planter,
    "car_cabin": outdoor.car_bodywork,
}
_TABLETOP: dict[str, PropBuilder] = {
    "lamp": furniture.lamp,
    "computer": fixtures.computer,
    "printer": fixtures.printer,
    "phone": fixtures.phone,
    "mug": fixtures.mug,
    "bottle": fixtures.bottle,
    "books": fixtures.books,
    "till": fixtures.till,
}
PROPS: dict[str, PropDefinition] = {
    **{name: PropDefinition(build) for name, build in _FLOOR.items()},
    **{name: PropDefinition(build, tabletop=True) for name, build in _TABLETOP.items()},
}
PROP_NAMES: tuple[str, ...] = tuple(sorted(PROPS))


def prop_definition(name: str) -> PropDefinition:
    """The library entry for ``name``; an unknown name is an error that suggests a close one."""
    if name not in PROPS:
        hint = did_you_mean(name, PROPS) or "known props: " + ", ".join(PROP_NAMES)
        raise UnknownReferenceError(f"unknown prop {name!r}", suggestion=hint)
    return PROPS[name]


def build_prop(
    name: str, rng: Random, x: float, y: float, rotation: float = 0.0, z: float = 0.0, **options: Any
) -> list[PropSpec]:
    """Prop ``name`` drawn with ``rng``, turned ``rotation`` degrees about Z and standing at (x, y, z)."""
    return place(prop_definition(name).build(rng, **options), x, y, rotation, group=name, z=z)
