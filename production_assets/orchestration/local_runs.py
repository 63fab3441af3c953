"""Runs of one production's jobs that the web UI can re-execute, however they are executed.

A run made by ``execute_in_process`` records no code location, so no UI can
re-execute it. These runs are created the way the UI creates them, as runs of
the code location ``production_assets.definitions``, but each rebuilds only its
own production's job (:func:`production_job`, by the production's path), so a
run process does not pay for the other productions in PRODUCTION_PATHS.
:func:`execute_job_here` executes one in this process (`production run`);
orchestration.launch submits them to the instance's run launcher.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

import dagster as dg

from production_assets.orchestration.code_location import DEFINITIONS_MODULE, LOCATION_NAME
from production_assets.orchestration.dagster_compat import ReconstructableJob, execute_run_here, location_run
from production_assets.orchestration.definitions_factory import QUIET_RUN_CONFIG, build_definitions
from production_assets.orchestration.run_tags import PARTITION_TAG, RANGE_END_TAG, RANGE_START_TAG


@functools.cache
def production_job(production_path: str, job_name: str) -> dg.JobDefinition:
    """One job of one production's definitions (how a run process rebuilds the job it runs; built
    once per process: the graph's shape is all it holds, the bodies read the YAML when they run)."""
    return build_definitions([Path(production_path)]).resolve_job_def(job_name)


def create_production_run(
    instance: dg.DagsterInstance,
    production_path: str | Path,
    job_name: str,
    tags: Mapping[str, str] | None = None,
    run_config: Mapping[str, object] | None = None,
    run_id: str | None = None,
    parent_run_id: str | None = None,
    root_run_id: str | None = None,
) -> tuple[dg.DagsterRun, ReconstructableJob]:
    """A new run of `job_name` recorded with the code location's origin, and the pointer its run process
    follows to rebuild the job (the production's absolute path: the same on every host of a farm)."""
    job = dg.build_reconstructable_job(
        __name__, production_job.__name__, reconstructable_args=(str(Path(production_path).resolve()), job_name)
    )
    run = location_run(
        instance,
        job,
        LOCATION_NAME,
        DEFINITIONS_MODULE,
        run_config=QUIET_RUN_CONFIG if run_config is None else run_config,
        tags=dict(tags or {}),
        run_id=run_id,
        parent_run_id=parent_run_id,
        root_run_id=root_run_id,
    )
    return run, job


def partition_tags(partition_key: str | None = None, partition_range: tuple[str, str] | None = None) -> dict[str, str]:
    """The tags that make a run target one partition or a range of them (first, last)."""
    tags = {}
    if partition_key is not None:
        tags[PARTITION_TAG] = partition_key
    if partition_range is not None:
        tags[RANGE_START_TAG], tags[RANGE_END_TAG] = partition_range
    return tags


def execute_job_here(
    instance: dg.DagsterInstance,
    production_path: str | Path,
    job_name: str,
    partition_key: str | None = None,
    tags: Mapping[str, str] | None = None,
    run_id: str | None = None,
    partition_range: tuple[str, str] | None = None,
) -> dg.JobExecutionResult:
    """Create a run of `job_name` (one partition, a range of them, or none) and execute it in this process."""
    run_tags = {**(tags or {}), **partition_tags(partition_key, partition_range)}
    run, job = create_production_run(instance, production_path, job_name, tags=run_tags, run_id=run_id)
    return execute_run_here(job, run, instance)
