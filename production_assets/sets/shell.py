"""A room's shell from a :class:`LocationPreset`: walls cut around openings, window panes, doors, window lights.

Pure geometry, so the renderer only draws primitives and tests can check
that openings really are holes. The back wall spans the room's width at
``+wall_distance``; the side walls run from ``side_wall_front`` to the back
wall at ``±side_wall_x``. Each window opening gets a glowing pane just
outside it (``role: window``: it shows the outside and follows the time of
day), a cross of glazing bars, and an area light just inside it shining into
the room (``role: window``). Each door opening gets a closed door in it.
"""

from __future__ import annotations

from random import Random

from production_assets.model.base import Color
from production_assets.model.presets import LightSpec, LocationPreset, PropSpec
from production_assets.model.sets import WallOpening
from production_assets.sets.parts import WHITE, aim_rotation, box, place
from production_assets.sets.props_furniture import door

WALL_THICKNESS = 0.2
WINDOW_DAYLIGHT: Color = (0.85, 0.92, 1.0)
WINDOW_PANE: Color = (0.75, 0.85, 1.0)
WINDOW_PANE_EMISSION = 2.0
WINDOW_LIGHT_WATTS_PER_M2 = 220.0


def _span(location: LocationPreset, wall: str) -> tuple[float, float]:
    if wall == "back":
        return (-location.side_wall_x, location.side_wall_x)
    return (location.side_wall_front, location.wall_distance)


def _wall_box(
    location: LocationPreset, wall: str, start: float, end: float, bottom: float, top: float, color: Color
) -> PropSpec:
    """A slab of ``wall`` from ``start`` to ``end`` along it and from ``bottom`` to ``top``."""
    length, middle = end - start, (start + end) / 2.0
    if wall == "back":
        return box(middle, location.wall_distance, bottom, length, WALL_THICKNESS, top - bottom, color, roughness=0.9)
    x = -location.side_wall_x if wall == "left" else location.side_wall_x
    return box(x, middle, bottom, WALL_THICKNESS, length, top - bottom, color, roughness=0.9)


def wall_parts(location: LocationPreset, color: Color) -> list[PropSpec]:
    """Every wall as slabs that leave the openings free."""
    parts = []
    height = location.wall_height
    for wall in ("back", "left", "right"):
        start, end = _span(location, wall)
        openings = sorted((o for o in location.openings if o.wall == wall), key=lambda o: o.offset)
        cursor = start
        for opening in openings:
            low, high = opening.offset - opening.width / 2.0, opening.offset + opening.width / 2.0
            if low > cursor:
                parts.append(_wall_box(location, wall, cursor, low, 0.0, height, color))
            if opening.sill > 0:
                parts.append(_wall_box(location, wall, low, high, 0.0, opening.sill, color))
            if opening.sill + opening.height < height:
                parts.append(_wall_box(location, wall, low, high, opening.sill + opening.height, height, color))
            cursor = max(cursor, high)
        if cursor < end:
            parts.append(_wall_box(location, wall, cursor, end, 0.0, height, color))
    return parts


def _frame(location: LocationPreset, opening: WallOpening) -> tuple[float, float, float]:
    """Where the opening's centre is (x, y) and which way its inside faces (degrees, 0 = toward -Y)."""
    if opening.wall == "back":
        return (opening.offset, location.wall_distance, 0.0)
    if opening.wall == "left":
        return (-location.side_wall_x, opening.offset, 90.0)
    return (location.side_wall_x, opening.offset, -90.0)


def opening_parts(location: LocationPreset) -> list[PropSpec]:
    """Window panes and glazing bars, and a closed door in each door opening (its colour follows the walls')."""
    parts: list[PropSpec] = []
    seed = round(sum(location.wall_color or (0.0,)) * 1000)
    for index, opening in enumerate(location.openings):
        x, y, facing = _frame(location, opening)
        if opening.kind == "door":
            leaf = door(Random(seed * 31 + index), opening.width - 0.04, opening.height - 0.02)
            parts += place(leaf, x, y, facing, group="door")
            continue
        middle = opening.sill + opening.height / 2.0
        local = [
            box(
                0,
                WALL_THICKNESS / 2 + 0.15,
                opening.sill,
                opening.width,
                0.02,
                opening.height,
                WINDOW_PANE,
                emission=WINDOW_PANE_EMISSION,
                role="window",
            ),
            box(0, 0.0, middle - 0.03, opening.width, 0.06, 0.06, WHITE),
            box(0, 0.0, opening.sill, 0.06, 0.06, opening.height, WHITE),
            box(0, -WALL_THICKNESS / 2 - 0.06, opening.sill - 0.05, opening.width + 0.2, 0.14, 0.05, WHITE),
        ]
        parts += place(local, x, y, facing, group="window")
    return parts


def window_lights(location: LocationPreset) -> list[LightSpec]:
    """An area light just inside each window, aimed into the room and a little down."""
    lights = []
    for opening in location.openings:
        if opening.kind != "window":
            continue
        x, y, facing = _frame(location, opening)
        inward = {0.0: (0.0, -1.0), 90.0: (1.0, 0.0), -90.0: (-1.0, 0.0)}[facing]
        inset = WALL_THICKNESS / 2 + 0.05
        lights.append(
            LightSpec(
                kind="AREA",
                location=(x + inward[0] * inset, y + inward[1] * inset, opening.sill + opening.height / 2.0),
                rotation_deg=aim_rotation((inward[0], inward[1], -0.35)),
                color=WINDOW_DAYLIGHT,
                energy=round(WINDOW_LIGHT_WATTS_PER_M2 * opening.width * opening.height, 1),
                size=max(opening.width, opening.height),
                role="window",
            )
        )
    return lights


def shell_parts(location: LocationPreset) -> list[PropSpec]:
    """The walls (if any) with their openings filled: what the renderer draws besides the floor and the props."""
    if location.wall_color is None:
        return []
    return wall_parts(location, location.wall_color) + opening_parts(location)


def shell_lights(location: LocationPreset) -> list[LightSpec]:
    return window_lights(location) if location.wall_color is not None else []
