"""How a farm is given shots: ranges of neighbouring shot partitions, one run each, highest priority first.

A run over a range of partitions pays Dagster's per-run cost (a run process on a worker, the job's
definitions, a bpy worker) once for all its shots, while the shots step still records every shot on its
own (orchestration.shot_partitions). A range never mixes priorities or Celery queues, so a run's tags say
where it goes and when: ``dagster/priority`` orders the QueuedRunCoordinator's queue (higher first), and
``dagster-celery/run_priority`` (dagster_celery.tags.DAGSTER_CELERY_RUN_PRIORITY_TAG) orders the tasks
already on the broker. Pure functions: orchestration.launch applies them to an instance.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from production_assets.planning.shot_ranges import neighbour_ranges

PRIORITY_TAG = "dagster/priority"
CELERY_PRIORITY_TAG = "dagster-celery/run_priority"
QUEUE_TAG = "dagster-celery/queue"
SHOTS_TAG = "production/shots"
DEFAULT_QUEUE = "dagster"
# Celery priorities run 0-9: dagster-celery declares its AMQP queue with x-max-priority 10, and kombu's Redis
# transport clamps to 0-9 (deploy/farm gives Redis all ten levels with `priority_steps`).
CELERY_TOP_PRIORITY = 9


@dataclass(frozen=True)
class ShotRange:
    """Neighbouring shots that one run renders, with their priority and the Celery queue they go to."""

    shots: tuple[str, ...]
    priority: int = 0
    queue: str | None = None

    @property
    def partition_key(self) -> str | None:
        """The partition of a one-shot run (None for a range)."""
        return self.shots[0] if len(self.shots) == 1 else None

    @property
    def partition_range(self) -> tuple[str, str] | None:
        """(first, last) partition of a range run (None for one shot)."""
        return (self.shots[0], self.shots[-1]) if len(self.shots) > 1 else None


def range_size(shot_count: int, workers: int, limit: int) -> int:
    """Shots per run: at most ``limit``, in as many ranges as it takes to give each of ``workers`` workers
    the same number (so none idles at the end while another renders one more range)."""
    workers, limit = max(1, workers), max(1, limit)
    full_ranges = max(1, math.ceil(shot_count / limit))
    ranges = math.ceil(full_ranges / workers) * workers
    return max(1, math.ceil(shot_count / ranges))


def plan_ranges(
    shot_ids: Sequence[str],
    partition_order: Sequence[str],
    priorities: Mapping[str, int],
    queues: Mapping[str, str],
    limit: int,
    workers: Mapping[str, int] | None = None,
) -> list[ShotRange]:
    """The runs that render ``shot_ids``: highest priority first, then in partition order.

    A range is neighbouring partitions (a run targets every partition from its first to its last) of one
    priority and one queue, at most ``limit`` shots, and no longer than it takes to give every worker that
    serves its queue (``workers``: queue -> count, default 1) a range of its own.
    """
    order = list(partition_order)
    position = {key: index for index, key in enumerate(order)}
    groups: dict[tuple[int, str | None], list[str]] = {}
    for shot_id in dict.fromkeys(shot_ids):
        groups.setdefault((priorities.get(shot_id, 0), queues.get(shot_id)), []).append(shot_id)
    ranges = []
    for (priority, queue), shots in groups.items():
        size = range_size(len(shots), (workers or {}).get(queue or DEFAULT_QUEUE, 1), limit)
        ranges += [ShotRange(tuple(run), priority, queue) for run in neighbour_ranges(shots, order, size)]
    return sorted(ranges, key=lambda r: (-r.priority, position.get(r.shots[0], len(position))))


def celery_run_priority(priority: int, lowest_first: bool) -> int:
    """The Celery priority of a run of ``priority`` (0 or more, higher first): 0-9, where the broker serves
    9 first (AMQP) or 0 first (``lowest_first``: kombu's Redis transport). Priorities above 9 share the top
    level; Dagster's run queue still tells them apart."""
    level = min(max(priority, 0), CELERY_TOP_PRIORITY)
    return CELERY_TOP_PRIORITY - level if lowest_first else level


def range_tags(
    shot_range: ShotRange, tags: Mapping[str, str] | None = None, celery_priority: int | None = None
) -> dict[str, str]:
    """Tags of a range's run: its shots, its priority for Dagster's queue (and for Celery's, on a Celery
    farm), the queue it is routed to when it has one, and ``tags``."""
    result = {**(tags or {}), SHOTS_TAG: ",".join(shot_range.shots), PRIORITY_TAG: str(shot_range.priority)}
    if celery_priority is not None:
        result[CELERY_PRIORITY_TAG] = str(celery_priority)
    if shot_range.queue:
        result[QUEUE_TAG] = shot_range.queue
    return result
