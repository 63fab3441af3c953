"""Every use of Dagster beyond its public API (orchestration/dagster_compat.py), pinned: each test fails
when Dagster changes what we rely on. Also the instance profiles' class references."""

import importlib
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
import yaml

from production_assets.orchestration.code_location import DEFINITIONS_MODULE, LOCATION_NAME
from production_assets.orchestration.dagster_compat import (
    DATA_VERSION_TAG,
    PipesExecutionError,
    data_version_of,
    execute_run_here,
    latest_data_versions,
    location_run,
    record_partitions_one_by_one,
    serve_code_location,
    version_tags,
)
from production_assets.orchestration.run_tags import RANGE_END_TAG, RANGE_START_TAG
from production_assets_tests.conftest import REPO

# A Pipes process that opens its session and closes it.
PIPES_SCRIPT = "from dagster_pipes import open_dagster_pipes\nwith open_dagster_pipes():\n    pass"
PIPES_COMMAND = [sys.executable, "-c", PIPES_SCRIPT]
PARTITIONS = dg.StaticPartitionsDefinition(["p1", "p2", "p3"])


def test_latest_data_versions_reads_the_latest_version_of_every_partition() -> None:
    key = dg.AssetKey(["film", "shot_renders"])
    with dg.instance_for_test() as instance:
        for partition, version in (("a", "1"), ("b", "2"), ("a", "3")):
            event = dg.AssetMaterialization(key, partition=partition, tags={DATA_VERSION_TAG: version})
            instance.report_runless_asset_event(event)
        assert latest_data_versions(instance, key) == {"a": "3", "b": "2"}
        assert latest_data_versions(instance, key, ["b"]) == {"b": "2"}
        record = instance.get_latest_data_version_record(key, partition_key="a")
        assert record is not None and record.asset_materialization is not None
        assert data_version_of(record.asset_materialization.tags) == "3"


@dg.asset
def upstream() -> dg.MaterializeResult:
    return dg.MaterializeResult(data_version=dg.DataVersion("up-1"))


@dg.asset(deps=[upstream], code_version="code-7")
def downstream() -> dg.MaterializeResult:
    return dg.MaterializeResult(data_version=dg.DataVersion("down-1"))


def test_version_tags_are_the_tags_dagster_writes_for_a_user_data_version() -> None:
    """What MaterializeResult(data_version=...) records is what version_tags gives an AssetMaterialization."""
    with dg.instance_for_test() as instance:
        assert dg.materialize([upstream, downstream], instance=instance).success
        up = instance.get_latest_data_version_record(upstream.key)
        down = instance.get_latest_data_version_record(downstream.key)
        assert up is not None and down is not None and down.asset_materialization is not None
        written = {k: v for k, v in down.asset_materialization.tags.items() if k.startswith("dagster/")}
        written.pop("dagster/run_id", None)
        assert version_tags("down-1", "code-7", {upstream.key: up}) == written
        assert data_version_of(written) == "down-1"
        # Dagster reads the provenance back from those tags: the upstream version and event.
        instance.report_runless_asset_event(
            dg.AssetMaterialization(downstream.key, tags=version_tags("down-2", "code-7", {upstream.key: up}))
        )
        again = instance.get_latest_data_version_record(downstream.key)
        assert again is not None and again.asset_materialization is not None
        assert data_version_of(again.asset_materialization.tags) == "down-2"


@dg.asset
def failing_process(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    try:
        dg.PipesSubprocessClient().run(command=[sys.executable, "-c", "raise SystemExit(3)"], context=context)
    except PipesExecutionError as error:
        return dg.MaterializeResult(metadata={"caught": str(error)})
    return dg.MaterializeResult(metadata={"caught": ""})


def test_a_failed_pipes_process_raises_pipes_execution_error() -> None:
    with dg.instance_for_test() as instance:
        result = dg.materialize([failing_process], instance=instance)
    [event] = result.get_asset_materialization_events()
    assert "code 3" in event.materialization.metadata["caught"].value  # type: ignore[union-attr]


def shots_step(take_back_the_demand: bool) -> dg.AssetsDefinition:
    """Two skippable partitioned assets recorded per partition after a Pipes process per partition,
    as orchestration.shot_partitions does."""

    @dg.multi_asset(
        specs=[dg.AssetSpec("rendered", skippable=True), dg.AssetSpec("graded", skippable=True, deps=["rendered"])],
        partitions_def=PARTITIONS,
        can_subset=True,
    )
    def shots(context: dg.AssetExecutionContext) -> Iterator[dg.AssetMaterialization]:
        for partition in context.partition_keys:
            dg.PipesSubprocessClient().run(command=PIPES_COMMAND, context=context)
            for key in context.selected_asset_keys:
                yield dg.AssetMaterialization(key, partition=partition)
        if take_back_the_demand:
            record_partitions_one_by_one(context)

    return shots


@pytest.mark.parametrize("take_back_the_demand", [True, False], ids=["taken-back", "left"])
def test_a_step_that_used_pipes_records_its_partitions_one_by_one(take_back_the_demand: bool) -> None:
    """Without taking Pipes' demand back the step fails: if it stops failing, Dagster no longer needs it."""
    job = dg.Definitions(assets=[shots_step(take_back_the_demand)]).resolve_implicit_global_asset_job_def()
    with dg.instance_for_test() as instance:
        result = job.execute_in_process(
            instance=instance, tags={RANGE_START_TAG: "p1", RANGE_END_TAG: "p2"}, raise_on_error=False
        )
        recorded = sorted(
            (event.asset_key.to_user_string(), event.partition) for event in result.get_asset_materialization_events()
        )
    assert recorded == [("graded", "p1"), ("graded", "p2"), ("rendered", "p1"), ("rendered", "p2")]
    assert result.success is take_back_the_demand


COMPAT_LOCATION = """\
import dagster as dg


@dg.op
def one() -> int:
    return 1


def compat_job() -> dg.JobDefinition:
    return dg.GraphDefinition(name="compat_job", node_defs=[one]).to_job(executor_def=dg.in_process_executor)


defs = dg.Definitions(jobs=[compat_job()])
"""


@pytest.fixture
def compat_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A code location module of one job, importable here and by the processes Dagster starts."""
    (tmp_path / "compat_location.py").write_text(COMPAT_LOCATION)
    # Not first on sys.path: Dagster's module loader drops sys.path[0] (the script's folder) while importing.
    monkeypatch.setattr(sys, "path", [sys.path[0], str(tmp_path), *sys.path[1:]])
    monkeypatch.chdir(tmp_path)
    monkeypatch.delitem(sys.modules, "compat_location", raising=False)
    return "compat_location"


def test_a_location_run_records_the_code_location_and_executes_here(compat_location: str) -> None:
    job = dg.build_reconstructable_job(compat_location, "compat_job")
    with dg.instance_for_test() as instance:
        first = location_run(instance, job, LOCATION_NAME, DEFINITIONS_MODULE, run_config={}, tags={"team": "fx"})
        assert execute_run_here(job, first, instance).success
        child = location_run(
            instance, job, LOCATION_NAME, DEFINITIONS_MODULE, run_config={}, tags={},
            parent_run_id=first.run_id, root_run_id=first.run_id,
        )  # fmt: skip
        assert execute_run_here(job, child, instance).success
        runs = {run.run_id: run for run in instance.get_runs()}
    recorded, rerun = runs[first.run_id], runs[child.run_id]
    origin = recorded.remote_job_origin
    assert origin is not None and recorded.job_code_origin is not None
    assert (origin.location_name, origin.job_name) == (LOCATION_NAME, "compat_job")
    # A code location with one `defs` has one repository, under Dagster's own name for it.
    assert origin.repository_origin.repository_name == dg.Definitions().get_repository_def().name
    assert recorded.status == dg.DagsterRunStatus.SUCCESS and recorded.tags["team"] == "fx"
    assert (rerun.parent_run_id, rerun.root_run_id) == (first.run_id, first.run_id)


def finished(instance: dg.DagsterInstance, run_id: str) -> bool:
    run = instance.get_run_by_id(run_id)
    return run is not None and run.is_finished


def test_a_served_location_submits_runs_to_the_instance_run_launcher(compat_location: str, dagster_home: Path) -> None:
    """The local profile launches a submitted run at once, as a process of the location's code server
    (which runs the job of the `defs` it serves, found by the run's repository and job names)."""
    job = dg.build_reconstructable_job(compat_location, "compat_job")
    with dg.DagsterInstance.get() as instance:
        with serve_code_location(instance, compat_location, compat_location) as location:
            run = location_run(instance, job, compat_location, compat_location, run_config={}, tags={})
            assert location.submit(run) == run.run_id
            deadline = time.monotonic() + 120
            while not finished(instance, run.run_id) and time.monotonic() < deadline:
                time.sleep(0.5)
        launched = instance.get_run_by_id(run.run_id)
    assert launched is not None and launched.status == dg.DagsterRunStatus.SUCCESS


def test_a_location_that_fails_to_load_is_an_error(dagster_home: Path) -> None:
    with dg.DagsterInstance.get() as instance:
        with pytest.raises(dg.DagsterError, match="code location no_such_module failed to load"):
            with serve_code_location(instance, "no_such_module", "no_such_module"):
                pass


@pytest.mark.parametrize("profile", ["local", "farm", "k8s"])
def test_every_class_an_instance_profile_names_from_dagster_is_there(profile: str) -> None:
    """dagster.yaml names classes by module; the local profile's DefaultRunCoordinator has no public home."""
    config = yaml.safe_load((REPO / "deploy" / profile / "dagster.yaml").read_text())
    blocks = [block for block in config.values() if isinstance(block, dict) and "module" in block]
    named = [(block["module"], block["class"]) for block in blocks]
    for module, name in named:
        if module.split(".")[0] == "dagster":
            assert isinstance(getattr(importlib.import_module(module), name), type), (module, name)
    assert named
