"""Procedural sets built by code: a library of places, a prop library, matching by name, time of day and weather data.

Pure Python (no bpy): a set is a :class:`~production_assets.model.presets.LocationPreset`
plan that :mod:`production_assets.render.locations` draws.

- :data:`SET_NAMES`, :func:`build_set_plan` (:mod:`.library`): the sets and their seeded plans.
- :func:`match_set` (:mod:`.matching`): a place's name -> :class:`SetChoice` (set and reason).
- :data:`PROP_NAMES`, :func:`build_prop` (:mod:`.props`), :func:`place_props` (:mod:`.placement`).
- :func:`location_set` (:mod:`.resolution`): the one call for a YAML location.
- :mod:`.conditions`: time of day and weather as numbers.
"""

from production_assets.sets.library import SET_NAMES, SETS, build_set_plan, default_seed, stable_seed
from production_assets.sets.matching import SetChoice, match_set, parse_heading
from production_assets.sets.placement import check_placements, place_props
from production_assets.sets.props import PROP_NAMES, build_prop
from production_assets.sets.resolution import LocationSet, known_location_names, location_set

__all__ = [
    "PROP_NAMES",
    "SETS",
    "SET_NAMES",
    "LocationSet",
    "SetChoice",
    "build_prop",
    "build_set_plan",
    "check_placements",
    "default_seed",
    "known_location_names",
    "location_set",
    "match_set",
    "parse_heading",
    "place_props",
    "stable_seed",
]
