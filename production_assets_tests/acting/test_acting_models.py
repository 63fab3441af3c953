"""Acting data: clips on a placement, the shot's YAML requests (short and long forms)."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from production_assets.model.acting import ActionClip, ActionRequest, ActionRequests, BlockingRequest, LookAtRequest
from production_assets.model.presets import WardrobeLook
from production_assets.model.render_job import CharacterPlacement

OLD_PLACEMENT_JSON = '{"name": "Hero", "model": "builtin:mannequin", "look": {}, "position": [0, 0, 0]}'


def test_placements_written_before_acting_stay_valid_and_idle() -> None:
    placement = CharacterPlacement.model_validate_json(OLD_PLACEMENT_JSON)
    assert placement.actions == []
    assert placement.look_at is None
    assert placement.facing_deg == 0.0


def test_a_placement_round_trips_clips_and_look_targets() -> None:
    for look_at in ("camera", (1.0, 2.0, 1.6)):
        placement = CharacterPlacement(
            name="Hero",
            model="builtin:child",
            look=WardrobeLook(),
            actions=[ActionClip(name="walk", start_frame=1, end_frame=40, to=(2.0, 0.0), speed=1.2)],
            look_at=look_at,
        )
        again = CharacterPlacement.model_validate_json(placement.model_dump_json())
        assert again == placement
    with pytest.raises(ValidationError):
        CharacterPlacement(name="Hero", model="builtin:mannequin", look=WardrobeLook(), look_at="Villain")


def test_clips_check_their_frames_and_speed() -> None:
    with pytest.raises(ValidationError, match="end_frame 3 is before start_frame 5"):
        ActionClip(name="wave", start_frame=5, end_frame=3)
    with pytest.raises(ValidationError):
        ActionClip(name="wave", start_frame=0, end_frame=3)
    with pytest.raises(ValidationError):
        ActionClip(name="walk", start_frame=1, end_frame=3, to=(1.0, 0.0), speed=0.0)
    with pytest.raises(ValidationError, match="extra"):
        ActionClip.model_validate({"name": "wave", "start_frame": 1, "end_frame": 3, "sped": 2})


def test_shot_action_requests_accept_short_and_long_forms_and_lists() -> None:
    requests = TypeAdapter(dict[str, ActionRequests]).validate_python(
        {"Hero": "walk", "Villain": {"name": "run", "to": [2.0, 0.0], "speed": 1.2}, "Kid": ["sit", {"name": "wave"}]}
    )
    assert requests["Hero"] == [ActionRequest(name="walk")]
    assert requests["Villain"] == [ActionRequest(name="run", to=(2.0, 0.0), speed=1.2)]
    assert [request.name for request in requests["Kid"]] == ["sit", "wave"]
    assert BlockingRequest.model_validate({"mark": [0.0, 1.0], "facing": "Villain"}).facing == "Villain"
    assert BlockingRequest.model_validate({"facing": 45}).facing == 45
    looks = TypeAdapter(dict[str, LookAtRequest]).validate_python({"Villain": "camera", "Hero": [0, 0, 1.7]})
    assert looks == {"Villain": "camera", "Hero": (0.0, 0.0, 1.7)}
