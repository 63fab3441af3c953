from __future__ import annotations

from production_assets.loading.shots import expand_shots
from production_assets.model.production import ProductionConfig, Shot


def _config(shots: list[Shot]) -> ProductionConfig:
    return ProductionConfig.model_validate(
        {
            "title": "t",
            "characters": [{"name": "Hero"}],
            "locations": [{"name": "Stage"}],
            "shots": [s.model_dump() for s in shots],
        }
    )


def test_ids_do_not_depend_on_position() -> None:
    a = Shot(template="wide", scene=1, character="Hero")
    b = Shot(template="close_up", scene=2, character="Hero")
    c = Shot(template="medium", scene=3, character="Hero")
    before = {e.shot.template: e.id for e in expand_shots(_config([a, b, c]))}
    inserted = {e.shot.template: e.id for e in expand_shots(_config([Shot(template="insert", scene=1), a, c, b]))}
    removed = {e.shot.template: e.id for e in expand_shots(_config([c, a]))}
    assert before["wide"] == inserted["wide"] == removed["wide"] == "s001_wide_hero"
    assert before["medium"] == inserted["medium"] == removed["medium"]
    assert before["close_up"] == inserted["close_up"]


def test_duplicates_get_distinct_safe_ids() -> None:
    shots = [Shot(template="wide", scene=1, character="Hero", duration=d) for d in (10, 20, 10)]
    ids = [e.id for e in expand_shots(_config(shots))]
    assert len(set(ids)) == 3
    assert all(set(i) <= set("abcdefghijklmnopqrstuvwxyz0123456789_-") for i in ids)


def test_only_location_is_used_when_none_given() -> None:
    (expanded,) = expand_shots(_config([Shot(template="wide", character="Hero")]))
    assert expanded.location == "Stage"


def test_seconds_become_frames() -> None:
    assert Shot(template="wide", duration="2s").frame_count(24) == 48
    assert Shot(template="wide", duration="0.5s").frame_count(30) == 15
