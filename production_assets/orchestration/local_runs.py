"""Runs executed in this process that the web UI can still re-execute.

`production run` executes its Dagster runs in its own processes (no code
server to start, no per-run process), but creates each run the way the UI
does: with the origin of the code location ``production_assets`` (module
``production_assets.definitions``) and the production's repository. A run made
by ``execute_in_process`` has no such origin and the UI cannot re-execute it;
these can, from any UI whose code location holds the production
(PRODUCTION_PATHS).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Mapping
from pathlib import Path

import dagster as dg
from dagster import build_reconstructable_job
from dagster._core.definitions.reconstruct import ReconstructableJob
from dagster._core.execution.api import execute_run
from dagster._core.execution.job_execution_result import JobExecutionResult
from dagster._core.remote_origin import ManagedGrpcPythonEnvCodeLocationOrigin, RemoteJobOrigin, RemoteRepositoryOrigin
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin

from production_assets.orchestration.code_location import DEFINITIONS_MODULE, LOCATION_NAME
from production_assets.orchestration.definitions_factory import QUIET_RUN_CONFIG, build_definitions, production_slug_at
from production_assets.orchestration.run_tags import PARTITION_TAG, RANGE_END_TAG, RANGE_START_TAG


@functools.cache
def production_job(production_path: str, job_name: str) -> dg.JobDefinition:
    """One job of one production's definitions (how this process rebuilds the job it runs; built
    once per process: the graph's shape is all it holds, the bodies read the YAML when they run)."""
    return build_definitions([Path(production_path)]).resolve_job_def(job_name)


def _origin(repository_name: str, job_name: str) -> RemoteJobOrigin:
    location = ManagedGrpcPythonEnvCodeLocationOrigin(
        loadable_target_origin=LoadableTargetOrigin(
            executable_path=sys.executable, module_name=DEFINITIONS_MODULE, working_directory=os.getcwd()
        ),
        location_name=LOCATION_NAME,
    )
    return RemoteJobOrigin(RemoteRepositoryOrigin(location, repository_name), job_name)


def execute_job_here(
    instance: dg.DagsterInstance,
    production_path: str | Path,
    job_name: str,
    partition_key: str | None = None,
    tags: Mapping[str, str] | None = None,
    run_id: str | None = None,
    partition_range: tuple[str, str] | None = None,
) -> JobExecutionResult:
    """Create a run of `job_name` with its code-location origin and execute it in this process.

    The run targets one partition, a range of partitions (first, last), or none. It is
    rebuilt from the production's own definitions; its recorded origin is the code
    location production_assets.definitions, where a UI holding the production finds it.
    """
    recon_job: ReconstructableJob = build_reconstructable_job(
        __name__, production_job.__name__, reconstructable_args=(str(production_path), job_name)
    )
    run_tags = dict(tags or {})
    if partition_key is not None:
        run_tags[PARTITION_TAG] = partition_key
    if partition_range is not None:
        run_tags[RANGE_START_TAG], run_tags[RANGE_END_TAG] = partition_range
    run = instance.create_run_for_job(
        recon_job.get_definition(),
        run_id=run_id,
        run_config=QUIET_RUN_CONFIG,
        tags=run_tags,
        remote_job_origin=_origin(production_slug_at(Path(production_path)), job_name),
        job_code_origin=recon_job.get_python_origin(),
    )
    return execute_run(recon_job, run, instance)
