"""The one place where production_assets uses Dagster beyond its public API.

Each name here wraps something Dagster has no public form for yet; each is covered by a test in
production_assets_tests/orchestration/test_dagster_compat.py that fails loudly when Dagster changes it.

- Data versions: read every partition's in one query; write them, with their provenance, on the
  ``AssetMaterialization`` of one partition of a run over many (``MaterializeResult`` has no partition).
- Pipes: the error a failed Pipes process raises; a step that used Pipes may still record its
  partitions one by one.
- Runs with a code-location origin: created for a job this process can rebuild, recorded as runs of the
  code location ``production_assets.definitions`` (so any UI serving it re-executes them), and either
  executed here (`production run`) or submitted to the instance's run coordinator and launcher through a
  workspace that serves the location (orchestration.launch).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import dagster as dg
from dagster._core.definitions.data_version import (
    CODE_VERSION_TAG,
    DATA_VERSION_IS_USER_PROVIDED_TAG,
    extract_data_version_from_entry,
    get_input_data_version_tag,
    get_input_event_pointer_tag,
)
from dagster._core.definitions.reconstruct import ReconstructableJob
from dagster._core.definitions.repository_definition.valid_definitions import SINGLETON_REPOSITORY_NAME
from dagster._core.errors import DagsterPipesExecutionError
from dagster._core.execution.api import execute_run
from dagster._core.remote_origin import ManagedGrpcPythonEnvCodeLocationOrigin, RemoteJobOrigin, RemoteRepositoryOrigin
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
from dagster._core.workspace.context import WorkspaceProcessContext, WorkspaceRequestContext
from dagster._core.workspace.load_target import ModuleTarget

DATA_VERSION_TAG = "dagster/data_version"
# What PipesSubprocessClient.run raises when the process it started fails (also raised for a kept worker).
PipesExecutionError = DagsterPipesExecutionError


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


def version_tags(
    data_version: str, code_version: str, inputs: Mapping[dg.AssetKey, dg.EventLogRecord | None]
) -> dict[str, str]:
    """The tags ``MaterializeResult(data_version=...)`` would give a materialization: its data version,
    its code version, and the version and event of each input, from which Dagster tells what is stale."""
    tags = {DATA_VERSION_TAG: data_version, CODE_VERSION_TAG: code_version, DATA_VERSION_IS_USER_PROVIDED_TAG: "true"}
    for key, record in inputs.items():
        version = extract_data_version_from_entry(record.event_log_entry) if record else None
        if version is not None and record is not None:
            tags[get_input_data_version_tag(key)] = version.value
            tags[get_input_event_pointer_tag(key)] = str(record.storage_id)
    return tags


def record_partitions_one_by_one(context: dg.AssetExecutionContext) -> None:
    """Let a step that used Pipes end without yielding a result per output.

    Pipes marks the step as one that must yield every output as a ``MaterializeResult``; a step over
    a range of partitions records each partition as an ``AssetMaterialization`` instead (its outputs
    are skippable), so it takes that demand back once its Pipes sessions are done.
    """
    step = context.get_step_execution_context()
    if not hasattr(step, "_requires_typed_event_stream"):
        raise RuntimeError(f"Dagster {dg.__version__} moved the typed-event-stream flag: update dagster_compat")
    step._requires_typed_event_stream = False  # noqa: SLF001


def location_run(
    instance: dg.DagsterInstance,
    job: ReconstructableJob,
    location_name: str,
    module_name: str,
    run_config: Mapping[str, object],
    tags: Mapping[str, str],
    run_id: str | None = None,
    parent_run_id: str | None = None,
    root_run_id: str | None = None,
) -> dg.DagsterRun:
    """A new run of ``job`` (rebuilt from its reconstructable pointer) that Dagster records as a run of
    the single-``defs`` code location ``location_name`` loaded from ``module_name``."""
    definition = job.get_definition()
    location = ManagedGrpcPythonEnvCodeLocationOrigin(
        loadable_target_origin=LoadableTargetOrigin(
            executable_path=sys.executable, module_name=module_name, working_directory=os.getcwd()
        ),
        location_name=location_name,
    )
    return instance.create_run_for_job(
        definition,
        run_id=run_id,
        run_config=run_config,
        tags=tags,
        parent_run_id=parent_run_id,
        root_run_id=root_run_id,
        remote_job_origin=RemoteJobOrigin(RemoteRepositoryOrigin(location, SINGLETON_REPOSITORY_NAME), definition.name),
        job_code_origin=job.get_python_origin(),
    )


def execute_run_here(
    job: ReconstructableJob, run: dg.DagsterRun, instance: dg.DagsterInstance
) -> dg.JobExecutionResult:
    """Execute a run made by :func:`location_run` in this process."""
    return execute_run(job, run, instance)


@dataclass(frozen=True)
class ServedLocation:
    """A code location served by a code server child process, as the webserver serves it."""

    instance: dg.DagsterInstance
    workspace: WorkspaceRequestContext

    def submit(self, run: dg.DagsterRun) -> str:
        """Hand a run to the instance's run coordinator (which queues it or launches it at once); its id."""
        return self.instance.submit_run(run.run_id, self.workspace).run_id


@contextmanager
def serve_code_location(instance: dg.DagsterInstance, module_name: str, location_name: str) -> Iterator[ServedLocation]:
    """Serve the code location for the length of the block; a location that fails to load is an error."""
    target = ModuleTarget(module_name=module_name, attribute=None, working_directory=None, location_name=location_name)
    with WorkspaceProcessContext(
        instance, target, version=dg.__version__, code_server_log_level="WARNING"
    ) as process_context:
        workspace = process_context.create_request_context()
        error = workspace.get_code_location_error(location_name)
        if error is not None:
            raise dg.DagsterError(f"code location {location_name} failed to load: {error.to_string()}")
        yield ServedLocation(instance, workspace)
