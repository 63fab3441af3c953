"""From a YAML location to the set it shows: an explicit preset, or the set its name matches, seeded and propped.

The one call resolution makes for a location (see :func:`location_set`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from production_assets.errors import UnknownReferenceError
from production_assets.model.presets import LocationPreset
from production_assets.model.sets import PropPlacement
from production_assets.sets.library import SET_NAMES, SETS, build_set_plan, default_seed
from production_assets.sets.matching import match_set
from production_assets.sets.placement import place_props
from production_assets.suggest import did_you_mean


@dataclass(frozen=True)
class LocationSet:
    """What a location shows: the set (or preset) name, why, the seed used (None for a YAML preset) and the plan."""

    set_name: str
    reason: str
    seed: int | None
    preset: LocationPreset


def known_location_names(presets: Mapping[str, LocationPreset]) -> list[str]:
    """Every name ``preset:`` accepts: the YAML presets and the set library."""
    return sorted({*presets, *SET_NAMES})


def location_set(
    name: str,
    presets: Mapping[str, LocationPreset],
    *,
    preset: str | None = None,
    seed: int | None = None,
    place: str | None = None,
    interior: bool | None = None,
    props: Sequence[PropPlacement] = (),
) -> LocationSet:
    """The set of location ``name``.

    ``preset`` (a YAML preset of ``presets`` first, else a library set) always
    wins; without it the set is matched from ``name`` and the screenplay
    ``place`` (INT. = ``interior`` True). A library set is laid out with
    ``seed`` (default: derived from ``name``); ``props`` are then placed on it.
    """
    if preset is not None:
        if preset not in presets and preset not in SETS:
            hint = did_you_mean(preset, known_location_names(presets)) or "see `preset:` in the README"
            raise UnknownReferenceError(f"unknown location preset or set {preset!r}", suggestion=hint)
        set_name, reason = preset, f"preset: {preset}"
    else:
        choice = match_set(name, place, interior)
        set_name, reason = choice.set_name, choice.reason
    if set_name in presets and (preset is not None or set_name not in SETS):
        used_seed = None
        plan = presets[set_name]
    else:
        used_seed = default_seed(name) if seed is None else seed
        plan = build_set_plan(set_name, used_seed)
    if props:
        plan = place_props(plan, props, used_seed or 0)
    return LocationSet(set_name=set_name, reason=reason, seed=used_seed, preset=plan)
