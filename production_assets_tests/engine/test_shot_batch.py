"""How `production run` splits shots over workers and runs: neighbours together, each worker on its own cores."""

from __future__ import annotations

import os

import pytest

from production_assets.engine.parallel import ParallelConfig, shot_batches, worker_cpus
from production_assets.engine.shot_batch import keep_to_cpus
from production_assets.planning.shot_ranges import neighbour_ranges

SHOTS = [f"s{i:02d}" for i in range(10)]


def test_batches_are_neighbours_with_about_equal_frames() -> None:
    frames = {shot: 10 for shot in SHOTS} | {"s00": 50}
    batches = shot_batches(SHOTS, frames, ParallelConfig(max_workers=2))
    assert batches == [["s00", "s01", "s02"], SHOTS[3:]]  # 70 frames each
    assert shot_batches(SHOTS, dict.fromkeys(SHOTS, 10), ParallelConfig(max_workers=3)) == [
        SHOTS[:4],
        SHOTS[4:7],
        SHOTS[7:],
    ]
    assert shot_batches(SHOTS[:2], dict.fromkeys(SHOTS, 1), ParallelConfig(max_workers=4)) == [["s00"], ["s01"]]
    assert shot_batches(SHOTS, dict.fromkeys(SHOTS, 1), ParallelConfig(max_workers=1, chunk_size=4)) == [
        SHOTS[:4],
        SHOTS[4:8],
        SHOTS[8:],
    ]


def test_a_batch_runs_as_few_ranges_as_its_partitions_allow() -> None:
    order = ["s00", "s01", "late", "s02", "s03"]  # "late" was added between them in partition order
    assert neighbour_ranges(["s00", "s01", "s02", "s03"], order) == [["s00", "s01"], ["s02", "s03"]]
    assert neighbour_ranges(["s03", "s00"], order) == [["s00"], ["s03"]]
    assert neighbour_ranges(["unknown", "s00"], order) == [["s00"], ["unknown"]]


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="CPU affinity is Linux-only")
def test_workers_keep_to_their_own_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    cpus = sorted(os.sched_getaffinity(0))
    slots = min(2, len(cpus))
    chosen = [worker_cpus(slot, slots) for slot in range(slots)]
    assert all(chosen) and sum(len(c) for c in chosen) <= len(cpus)
    assert len({cpu for c in chosen for cpu in c}) == sum(len(c) for c in chosen)  # no core shared
    before = os.sched_getaffinity(0)
    try:
        monkeypatch.setenv("PRODUCTION_WORKER_CPUS", ",".join(map(str, chosen[-1])))
        keep_to_cpus()
        assert os.sched_getaffinity(0) == set(chosen[-1])
    finally:
        os.sched_setaffinity(0, before)
