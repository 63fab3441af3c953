"""Room shells: walls cut around doors and windows, panes and window lights; old presets keep their three walls."""

from __future__ import annotations

import pytest

from production_assets.loading.presets import load_presets
from production_assets.model.presets import LocationPreset, PropSpec
from production_assets.model.sets import WallOpening
from production_assets.sets.shell import WALL_THICKNESS, shell_lights, shell_parts, wall_parts

ROOM = LocationPreset(
    wall_color=(0.8, 0.8, 0.8), wall_height=3.0, wall_distance=4.0, wall_half_width=5.0, wall_front=-2.0
)


def covers(part: PropSpec, x: float, y: float, z: float) -> bool:
    return all(abs(p - c) <= s + 1e-9 for p, c, s in zip((x, y, z), part.location, part.scale, strict=True))


def test_a_preset_without_openings_keeps_its_three_walls() -> None:
    industrial = load_presets().locations["industrial"]

    walls = wall_parts(industrial, (0.5, 0.5, 0.5))

    half_height = industrial.wall_height / 2
    side = industrial.wall_distance * 1.5
    assert [(w.location, w.scale) for w in walls] == [
        ((0.0, 6.0, half_height), (side, WALL_THICKNESS / 2, half_height)),
        ((-side, 0.0, half_height), (WALL_THICKNESS / 2, 6.0, half_height)),
        ((side, 0.0, half_height), (WALL_THICKNESS / 2, 6.0, half_height)),
    ]
    assert shell_lights(industrial) == []


@pytest.mark.parametrize("wall", ["back", "left", "right"])
def test_a_window_is_a_hole_with_a_glowing_pane_and_a_light_shining_in(wall: str) -> None:
    room = ROOM.model_copy(
        update={"openings": [WallOpening(wall=wall, kind="window", offset=1.0, width=1.2, height=1.0, sill=1.0)]}
    )
    x, y = {"back": (1.0, 4.0), "left": (-5.0, 1.0), "right": (5.0, 1.0)}[wall]

    walls = wall_parts(room, (0.8, 0.8, 0.8))
    parts = shell_parts(room)
    (light,) = shell_lights(room)

    assert not any(covers(w, x, y, 1.5) for w in walls)
    assert any(covers(w, x, y, 0.5) for w in walls) and any(covers(w, x, y, 2.5) for w in walls)
    panes = [p for p in parts if p.role == "window"]
    assert len(panes) == 1 and panes[0].emission > 0
    assert light.role == "window" and light.kind == "AREA"
    inward = (0.0 - x, 1.0 - y) if wall != "back" else (0.0, -1.0)
    assert (light.location[0] - x) * inward[0] + (light.location[1] - y) * inward[1] > 0


def test_a_door_is_a_hole_to_the_floor_holding_a_closed_door() -> None:
    room = ROOM.model_copy(
        update={"openings": [WallOpening(wall="back", kind="door", offset=-2.0, width=0.9, height=2.1, sill=0.0)]}
    )

    walls = wall_parts(room, (0.8, 0.8, 0.8))
    parts = shell_parts(room)

    assert not any(covers(w, -2.0, 4.0, 1.0) for w in walls)
    assert any(covers(w, -2.0, 4.0, 2.5) for w in walls)
    assert {p.group for p in parts} == {"", "door"}
    assert shell_lights(room) == []


def test_a_set_without_walls_has_no_shell() -> None:
    assert shell_parts(load_presets().locations["exterior"]) == []
