"""The code location as Dagster's own tools load it: `dagster asset materialize` renders one shot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg

from production_assets.orchestration.code_location import DEFINITIONS_MODULE, LOCATION_NAME
from production_assets_tests.conftest import REPO, write_production


def test_dagster_asset_materialize_renders_one_shot_partition(
    tiny_production: Path, dagster_home: Path, tmp_path: Path
) -> None:
    """One production configured: the module alone names it; several: `-a <slug>` picks its repository."""
    with dg.DagsterInstance.get() as instance:
        instance.add_dynamic_partitions("tiny_shots", ["s001_wide_hero", "s001_close_up_hero"])
    env = {**os.environ, "PRODUCTION_PATHS": str(tiny_production), "DAGSTER_HOME": str(dagster_home)}
    dagster = [sys.executable, "-m", "dagster", "asset", "materialize", "-m", "production_assets.definitions"]
    prepare = subprocess.run(
        [*dagster, "--select", "tiny/production_config,tiny/characters/Hero,tiny/locations/Stage"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert prepare.returncode == 0, prepare.stderr[-3000:]
    env["PRODUCTION_PATHS"] = os.pathsep.join([str(write_production(tmp_path / "other").parent), str(tiny_production)])
    shot = subprocess.run(
        [*dagster, "-a", "tiny", "--select", "tiny/shot_renders", "--partition", "s001_close_up_hero"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert shot.returncode == 0, shot.stderr[-3000:]
    frames = sorted((tiny_production / "build" / "shots").glob("*/renders/*/frames/*.png"))
    assert [frame.name for frame in frames] == ["frame_0001.png", "frame_0002.png"]
    assert {frame.parents[3].name for frame in frames} == {"s001_close_up_hero"}
    with dg.DagsterInstance.get() as instance:
        record = instance.get_latest_data_version_record(dg.AssetKey(["tiny", "shot_renders"]), partition_key="s001_close_up_hero")
        assert record is not None


def test_pyproject_and_workspace_point_at_the_same_module() -> None:
    import tomllib

    import yaml

    tool = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["dagster"]
    workspace = yaml.safe_load((REPO / "workspace.yaml").read_text())["load_from"][0]["python_module"]
    assert tool["module_name"] == workspace["module_name"] == DEFINITIONS_MODULE
    assert tool["code_location_name"] == workspace["location_name"] == LOCATION_NAME
