"""Dagster's run tags for the partitions a run targets: one shot, or a range of neighbouring shots."""

PARTITION_TAG = "dagster/partition"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
