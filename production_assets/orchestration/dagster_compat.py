"""The one place where production_assets uses Dagster beyond its public API.

Each function here wraps something Dagster has no public form for yet; each is covered by a test in
production_assets_tests/orchestration/test_dagster_compat.py that fails loudly when Dagster changes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import dagster as dg

DATA_VERSION_TAG = "dagster/data_version"


def latest_data_versions(
    instance: dg.DagsterInstance, key: dg.AssetKey, partitions: Sequence[str] | None = None
) -> dict[str, str]:
    """The data version of every partition's latest materialization of ``key``, in one query.

    ``DagsterInstance.get_latest_data_version_record`` answers one partition per query (and SQLite opens
    a connection per query), which makes status and planning O(shots). The event log storage indexes
    the data-version tag and answers every partition at once.
    """
    tags = instance.event_log_storage.get_latest_tags_by_partition(
        key, dg.DagsterEventType.ASSET_MATERIALIZATION, [DATA_VERSION_TAG], asset_partitions=partitions
    )
    return {partition: values[DATA_VERSION_TAG] for partition, values in tags.items() if DATA_VERSION_TAG in values}


def data_version_of(tags: Mapping[str, str] | None) -> str | None:
    """The data version a materialization's tags carry."""
    return (tags or {}).get(DATA_VERSION_TAG)
