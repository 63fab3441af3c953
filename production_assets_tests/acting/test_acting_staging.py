"""A shot's acting requests to placement fields: the orchestrator's entry point (no bpy)."""

from __future__ import annotations

import math

import pytest

from production_assets.acting.registry import UnknownActionError
from production_assets.acting.staging import ActingError, Performer, action_clips, locomotion_frames, stage_shot
from production_assets.model.acting import ActionRequest
from production_assets.model.presets import WardrobeLook
from production_assets.model.render_job import CharacterPlacement


def requests(*items: object) -> list[ActionRequest]:
    return [ActionRequest.model_validate(item) for item in items]


def test_a_dialogue_two_shot_stages_marks_clips_and_eyelines() -> None:
    performers = [Performer("Hero"), Performer("Kid", "builtin:child")]
    staged = stage_shot(
        performers, 48, shares_dialogue=True, action={"Hero": requests("talk"), "Kid": requests("listen")}
    )
    hero, kid = staged["Hero"], staged["Kid"]
    assert math.dist(hero.position, kid.position) == pytest.approx(1.4)
    assert hero.facing_deg == pytest.approx(90.0) and kid.facing_deg == pytest.approx(-90.0)
    assert [(c.name, c.start_frame, c.end_frame) for c in hero.actions] == [("talk", 1, 48)]
    assert hero.look_at == pytest.approx((kid.position[0], kid.position[1], 1.113), abs=1e-3)
    assert kid.look_at == pytest.approx((hero.position[0], hero.position[1], 1.705), abs=1e-3)
    placement = CharacterPlacement(name="Hero", model="builtin:mannequin", look=WardrobeLook())
    placed = placement.model_copy(update=hero.placement_fields())
    assert CharacterPlacement.model_validate_json(placed.model_dump_json()) == placed


def test_clips_share_the_shot_in_order_unless_given_frames() -> None:
    hero = Performer("Hero")
    even = action_clips(requests("sit", "talk", "stand_up"), 48, hero)
    assert [(c.start_frame, c.end_frame) for c in even] == [(1, 16), (17, 32), (33, 48)]
    bounded = action_clips(requests({"name": "sit", "end": 10}, "talk", {"name": "stand_up", "start": 40}), 48, hero)
    assert [(c.start_frame, c.end_frame) for c in bounded] == [(1, 10), (11, 39), (40, 48)]
    walk = action_clips(requests({"name": "walk", "to": [2, 0], "speed": 1.5}), 30, hero)[0]
    assert (walk.to, walk.speed) == ((2.0, 0.0), 1.5)


def test_bad_requests_are_refused_with_the_reason() -> None:
    hero = Performer("Hero")
    with pytest.raises(ActingError, match="'walk' of 'Hero' needs 'to'"):
        action_clips(requests("walk"), 24, hero)
    with pytest.raises(ActingError, match="'wave' of 'Hero' takes no 'to'"):
        action_clips(requests({"name": "wave", "to": [1, 1]}), 24, hero)
    with pytest.raises(ActingError, match="outside the shot's 1..24"):
        action_clips(requests({"name": "wave", "start": 30}), 24, hero)
    with pytest.raises(UnknownActionError, match="did you mean 'wave'"):
        action_clips(requests("wav"), 24, hero)
    with pytest.raises(Exception, match="did you mean 'Hero'"):
        stage_shot([hero], 24, action={"Hreo": requests("wave")})


def test_a_model_file_may_bring_actions_the_library_lacks() -> None:
    clips = action_clips(requests("dance"), 24, Performer("Robot", "/models/robot.glb"))
    assert [clip.name for clip in clips] == ["dance"]


def test_locomotion_frames_counts_ramps_and_turns() -> None:
    hero = Performer("Hero")
    ahead = locomotion_frames(hero, (0.0, 0.0), ActionRequest(name="walk", to=(0.0, -2.3)))
    assert ahead == math.ceil((2.0 + 0.35) * 24) + 1
    sideways = locomotion_frames(hero, (0.0, 0.0), ActionRequest(name="walk", to=(2.3, 0.0)))
    assert sideways == math.ceil((2.5 + 0.35) * 24) + 1
    assert locomotion_frames(hero, (0, 0), ActionRequest(name="run", to=(0.0, -2.3))) < ahead
