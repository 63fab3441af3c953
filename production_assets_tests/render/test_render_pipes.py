"""The worker under Dagster Pipes: progress logs, materialization metadata and data version.

No ``from __future__ import annotations``: Dagster inspects the context annotation at runtime.
"""

import sys
from pathlib import Path

import dagster as dg
from render_jobs import make_job, run_worker, worker_command, worker_env

from production_assets.model.layout import Layout
from production_assets.model.render_job import RenderJob
from production_assets.render.prepare_contract import (
    LOCATION_BLEND_EXTRAS_KEY,
    PREPARE_COMMAND_MODULE,
    PREPARE_EXTRAS_KEY,
    PREPARE_METADATA_KEYS,
    location_prepare_job,
)


def materialize_shot(job: RenderJob) -> dg.ExecuteInProcessResult:
    @dg.asset(name="shot_render")
    def shot_render(context: dg.AssetExecutionContext, pipes: dg.PipesSubprocessClient) -> dg.MaterializeResult:
        invocation = pipes.run(
            command=worker_command(), context=context, extras={"job": job.model_dump(mode="json")}, env=worker_env()
        )
        return invocation.get_materialize_result()

    with dg.instance_for_test() as instance:
        return dg.materialize([shot_render], instance=instance, resources={"pipes": dg.PipesSubprocessClient()})


def test_pipes_run_reports_metadata_and_data_version(tmp_path: Path) -> None:
    job = make_job(tmp_path / "shot", "wide", frame_count=2)

    result = materialize_shot(job)

    assert result.success
    materialization = result.asset_materializations_for_node("shot_render")[0]
    metadata = {key: value.value for key, value in materialization.metadata.items()}
    assert metadata["frames"] == 2
    assert metadata["frames_rendered"] == 2
    assert metadata["frames_skipped"] == 0
    assert metadata["resolution"] == "64x36"
    assert metadata["render_seconds"] > 0
    assert metadata["seconds_per_frame"] > 0
    assert metadata["frames_dir"] == job.frames_dir
    assert (metadata["engine"], metadata["samples"]) == ("cycles", 1)
    assert materialization.tags["dagster/data_version"] == job.data_version
    assert sorted(path.name for path in Path(job.frames_dir).iterdir()) == ["frame_0001.png", "frame_0002.png"]


def test_without_pipes_or_job_the_worker_explains_usage(tmp_path: Path) -> None:
    result = run_worker(tmp_path)

    assert result.returncode == 2
    assert "pass --job" in result.stderr


def test_pipes_prepares_a_location_and_a_shot_renders_from_it(tmp_path: Path) -> None:
    job = make_job(tmp_path / "shot", "wide")
    location_blend = Layout(tmp_path).prepared_blend("location", job.location_name)
    prepare_job = location_prepare_job(job.location_name, job.location, location_blend, "loc-v7")
    prepare_command = [sys.executable, "-m", PREPARE_COMMAND_MODULE]

    @dg.asset(name="prepared_location")
    def prepared_location(context: dg.AssetExecutionContext, pipes: dg.PipesSubprocessClient) -> dg.MaterializeResult:
        extras = {PREPARE_EXTRAS_KEY: prepare_job.model_dump(mode="json")}
        invocation = pipes.run(command=prepare_command, context=context, extras=extras, env=worker_env())
        return invocation.get_materialize_result()

    @dg.asset(name="shot_render", deps=[prepared_location])
    def shot_render(context: dg.AssetExecutionContext, pipes: dg.PipesSubprocessClient) -> dg.MaterializeResult:
        extras = {"job": job.model_dump(mode="json"), LOCATION_BLEND_EXTRAS_KEY: str(location_blend)}
        invocation = pipes.run(command=worker_command(), context=context, extras=extras, env=worker_env())
        return invocation.get_materialize_result()

    with dg.instance_for_test() as instance:
        result = dg.materialize(
            [prepared_location, shot_render], instance=instance, resources={"pipes": dg.PipesSubprocessClient()}
        )

    assert result.success
    prepared = result.asset_materializations_for_node("prepared_location")[0]
    metadata = {key: value.value for key, value in prepared.metadata.items()}
    assert set(metadata) == set(PREPARE_METADATA_KEYS)
    assert metadata["bytes"] == location_blend.stat().st_size
    assert prepared.tags["dagster/data_version"] == "loc-v7"
    assert (Path(job.frames_dir) / "frame_0001.png").is_file()
    assert f"location from {location_blend}" in (Path(job.frames_dir).parent / "render.log").read_text()
