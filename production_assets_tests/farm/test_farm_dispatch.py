"""How shots are grouped into range runs and ordered for a farm (orchestration.shot_dispatch), without servers."""

from __future__ import annotations

import importlib.util

import pytest

from production_assets.orchestration.shot_dispatch import (
    CELERY_PRIORITY_TAG,
    PRIORITY_TAG,
    QUEUE_TAG,
    SHOTS_TAG,
    ShotRange,
    celery_run_priority,
    plan_ranges,
    range_size,
    range_tags,
)

ORDER = tuple(f"s{i:02d}" for i in range(1, 21))


def shots(plan: list[ShotRange]) -> list[tuple[str, ...]]:
    return [r.shots for r in plan]


def test_neighbouring_shots_go_in_ranges_of_at_most_the_limit_in_partition_order() -> None:
    plan = plan_ranges(ORDER[9::-1], ORDER, {}, {}, limit=4)
    assert shots(plan) == [ORDER[0:4], ORDER[4:8], ORDER[8:10]]
    assert plan[0].partition_range == ("s01", "s04") and plan[0].partition_key is None
    assert plan_ranges(["s03"], ORDER, {}, {}, limit=4)[0].partition_key == "s03"
    assert shots(plan_ranges(ORDER[:6], ORDER, {}, {}, limit=1)) == [(s,) for s in ORDER[:6]]


def test_a_range_stops_at_a_shot_that_is_not_sent_so_a_run_never_renders_it() -> None:
    plan = plan_ranges(["s01", "s02", "s04", "s05", "s09"], ORDER, {}, {}, limit=8)
    assert shots(plan) == [("s01", "s02"), ("s04", "s05"), ("s09",)]


def test_ranges_are_small_enough_to_give_every_worker_of_their_queue_one() -> None:
    assert range_size(6, workers=2, limit=8) == 3
    assert range_size(100, workers=2, limit=8) == 8
    assert range_size(3, workers=8, limit=8) == 1
    assert range_size(5, workers=0, limit=8) == 5
    assert range_size(24, workers=2, limit=8) == 6  # four ranges, two each, rather than three
    assert range_size(24, workers=1, limit=8) == 8
    plan = plan_ranges(ORDER[:6], ORDER, {}, {"s05": "gpu", "s06": "gpu"}, limit=8, workers={"dagster": 2, "gpu": 1})
    assert [(r.shots, r.queue) for r in plan] == [
        (("s01", "s02"), None),
        (("s03", "s04"), None),
        (("s05", "s06"), "gpu"),
    ]


def test_higher_priority_ranges_come_first_and_a_range_never_mixes_priorities() -> None:
    priorities = {"s03": 5, "s04": 5, "s07": 9, "s08": 2}
    plan = plan_ranges(ORDER[:10], ORDER, priorities, {}, limit=8)
    assert [(r.priority, r.shots) for r in plan] == [
        (9, ("s07",)),
        (5, ("s03", "s04")),
        (2, ("s08",)),
        (0, ("s01", "s02")),
        (0, ("s05", "s06")),
        (0, ("s09", "s10")),
    ]


def test_celery_priorities_follow_the_broker_s_direction_and_clamp_to_its_levels() -> None:
    assert [celery_run_priority(p, lowest_first=False) for p in (0, 1, 9, 50)] == [0, 1, 9, 9]
    assert [celery_run_priority(p, lowest_first=True) for p in (0, 1, 9, 50)] == [9, 8, 0, 0]


def test_range_tags_say_which_shots_how_urgent_and_where() -> None:
    tags = range_tags(ShotRange(("a", "b"), priority=4, queue="gpu"), {"team": "fx"}, celery_priority=5)
    assert tags == {
        "team": "fx",
        SHOTS_TAG: "a,b",
        PRIORITY_TAG: "4",
        CELERY_PRIORITY_TAG: "5",
        QUEUE_TAG: "gpu",
    }
    assert range_tags(ShotRange(("a",))) == {SHOTS_TAG: "a", PRIORITY_TAG: "0"}


@pytest.mark.skipif(importlib.util.find_spec("dagster_celery") is None, reason="the farm extra is not installed")
def test_the_celery_tags_are_the_ones_dagster_celery_reads() -> None:
    from dagster_celery.tags import DAGSTER_CELERY_QUEUE_TAG, DAGSTER_CELERY_RUN_PRIORITY_TAG

    assert (CELERY_PRIORITY_TAG, QUEUE_TAG) == (DAGSTER_CELERY_RUN_PRIORITY_TAG, DAGSTER_CELERY_QUEUE_TAG)
