"""How Dagster names a production's shots: their partitions, and the run tags for the partitions a
run targets (one shot, or a range of neighbouring shots)."""

from __future__ import annotations

PARTITION_TAG = "dagster/partition"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def shot_partitions_name(slug: str) -> str:
    """The name of a production's DynamicPartitionsDefinition of shot ids."""
    return f"{slug}_shots"
