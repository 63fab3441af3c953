"""Shots grouped into ranges of neighbouring partitions: one Dagster run renders a contiguous range."""

from __future__ import annotations


def neighbour_ranges(shot_ids: list[str], partition_order: list[str], limit: int | None = None) -> list[list[str]]:
    """Split shots into runs of neighbouring partitions (a run targets a contiguous range), in partition
    order, at most `limit` shots each; a shot without a partition is a range of its own."""
    position = {key: index for index, key in enumerate(partition_order)}
    ranges: list[list[str]] = []
    for shot_id in sorted(shot_ids, key=lambda s: position.get(s, len(position))):
        follows = bool(ranges) and shot_id in position and position.get(ranges[-1][-1], -2) + 1 == position[shot_id]
        if follows and (limit is None or len(ranges[-1]) < limit):
            ranges[-1].append(shot_id)
        else:
            ranges.append([shot_id])
    return ranges
