"""Place YAML props (``props: [{name: lamp, mark: desk}, {name: box, position: [1, 2], rotation: 30}]``) on a set.

On a mark, a floor prop stands at the mark turned to the mark's facing; a
tabletop prop (lamp, computer, phone, mug, ...) stands on the mark's surface
(the desk or counter in front of it) facing the actor, or at the mark when
the mark has no surface. At a position, a prop stands on the floor turned by
``rotation`` (default 0). Several props on one surface are spread along it.
"""

from __future__ import annotations

from collections.abc import Sequence
from random import Random

from production_assets.errors import UnknownReferenceError
from production_assets.model.presets import LocationPreset, PropSpec
from production_assets.model.sets import PropPlacement
from production_assets.sets.library import stable_seed
from production_assets.sets.parts import rotate_xy
from production_assets.sets.props import build_prop, prop_definition
from production_assets.suggest import did_you_mean

SURFACE_SPACING = 0.3


def place_props(location: LocationPreset, placements: Sequence[PropPlacement], seed: int = 0) -> LocationPreset:
    """``location`` with every placement's prop added; an unknown prop or mark raises with a suggestion."""
    added: list[PropSpec] = []
    on_surface: dict[str, int] = {}
    for index, placement in enumerate(placements):
        definition = prop_definition(placement.name)
        rng = Random(stable_seed("prop", str(seed), str(index), placement.name))
        if placement.position is not None:
            x, y = placement.position
            added += build_prop(placement.name, rng, x, y, placement.rotation or 0.0)
            continue
        mark_name = placement.mark or ""
        if mark_name not in location.marks:
            hint = did_you_mean(mark_name, location.marks) or "marks: " + ", ".join(sorted(location.marks))
            raise UnknownReferenceError(f"prop {placement.name!r}: unknown mark {mark_name!r}", suggestion=hint)
        mark = location.marks[mark_name]
        if definition.tabletop and mark.surface is not None:
            count = on_surface.get(mark_name, 0)
            on_surface[mark_name] = count + 1
            along = (count + 1) // 2 * SURFACE_SPACING * (1 if count % 2 else -1)
            dx, dy = rotate_xy(along, 0.0, mark.facing_deg)
            rotation = placement.rotation if placement.rotation is not None else mark.facing_deg + 180.0
            sx, sy, sz = mark.surface
            added += build_prop(placement.name, rng, sx + dx, sy + dy, rotation, sz)
        else:
            rotation = placement.rotation if placement.rotation is not None else mark.facing_deg
            added += build_prop(placement.name, rng, mark.x, mark.y, rotation)
    return location.model_copy(update={"props": [*location.props, *added]})


def check_placements(location: LocationPreset, placements: Sequence[PropPlacement]) -> list[str]:
    """Messages for every unknown prop or mark (for validation), without building anything."""
    problems = []
    for placement in placements:
        try:
            prop_definition(placement.name)
        except UnknownReferenceError as error:
            problems.append(f"{error.message} ({error.suggestion})")
        if placement.mark is not None and placement.mark not in location.marks:
            hint = did_you_mean(placement.mark, location.marks) or "marks: " + ", ".join(sorted(location.marks))
            problems.append(f"prop {placement.name!r}: unknown mark {placement.mark!r} ({hint})")
    return problems
