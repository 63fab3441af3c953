"""The action registry: names, loops or once, `to`, did-you-mean (no bpy)."""

from __future__ import annotations

import re

import pytest

from production_assets.acting.registry import (
    ACTION_NAMES,
    ACTIONS,
    DEFAULT_ACTION,
    LOCOMOTION,
    UnknownActionError,
    action_spec,
    ground_speed,
    locomotion_seconds,
)
from production_assets.errors import UnknownReferenceError

REQUIRED = {"idle", "talk", "listen", "walk", "run", "sit", "stand_up", "turn", "point", "wave", "look_around", "fall"}


def test_the_library_has_every_required_action() -> None:
    assert REQUIRED <= set(ACTION_NAMES)
    assert DEFAULT_ACTION == "idle" and ACTIONS["idle"].loops
    assert LOCOMOTION == {"walk", "run"}


def test_walk_and_run_need_to_turn_and_point_accept_it() -> None:
    assert {name for name, spec in ACTIONS.items() if spec.needs_to} == {"walk", "run"}
    assert {name for name, spec in ACTIONS.items() if spec.accepts_to} == {"walk", "run", "turn", "point"}
    assert {name for name, spec in ACTIONS.items() if not spec.loops} == {"sit", "stand_up", "turn", "point", "fall"}
    assert all(spec.natural_seconds for spec in ACTIONS.values() if not spec.loops)


def test_unknown_action_suggests_the_closest_name() -> None:
    with pytest.raises(UnknownActionError) as raised:
        action_spec("wlak")
    assert isinstance(raised.value, UnknownReferenceError)
    assert re.fullmatch(r"error: unknown action 'wlak' \(did you mean 'walk'\?\)", str(raised.value))


def test_paces_scale_with_leg_length_and_speed() -> None:
    assert ground_speed("walk", 1.0, 0.92) == pytest.approx(1.15)
    assert ground_speed("run", 1.0, 0.92) > 2 * ground_speed("walk", 1.0, 0.92)
    assert ground_speed("walk", 2.0, 0.92) == pytest.approx(2.3)
    assert ground_speed("walk", 1.0, 0.46) == pytest.approx(1.15 / 2**0.5)
    with pytest.raises(ValueError, match="does not move"):
        ground_speed("wave", 1.0, 0.92)


def test_locomotion_time_adds_the_ramps_and_a_turn_when_the_goal_is_off_to_the_side() -> None:
    straight = locomotion_seconds("walk", 2.3, 1.0, 0.92)
    assert straight == pytest.approx(2.0 + 0.35)
    assert locomotion_seconds("walk", 2.3, 1.0, 0.92, turn_deg=90.0) == pytest.approx(straight + 0.5)
    assert locomotion_seconds("walk", 0.1, 1.0, 0.92) < 0.7
