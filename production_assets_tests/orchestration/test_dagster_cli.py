"""The code location as Dagster's own tools load it: `dagster asset list` shows every production,
`dagster asset materialize` renders one shot, and every configuration names the same location."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import yaml

from production_assets.orchestration.code_location import DEFINITIONS_MODULE, LOCATION_NAME
from production_assets_tests.conftest import REPO, write_production

DAGSTER = [sys.executable, "-m", "dagster"]


def test_dagster_asset_list_shows_every_configured_production(tiny_production: Path, tmp_path: Path) -> None:
    broken = write_production(tmp_path / "broken", "production: [").parent
    other = write_production(tmp_path / "other").parent
    env = {**os.environ, "PRODUCTION_PATHS": os.pathsep.join(map(str, [tiny_production, other, broken]))}
    listed = subprocess.run(
        [*DAGSTER, "asset", "list", "-m", DEFINITIONS_MODULE], env=env, capture_output=True, text=True, timeout=300
    )
    assert listed.returncode == 0, listed.stderr[-3000:]
    keys = set(listed.stdout.split())
    names = ("production_config", "characters/Hero", "shot_renders", "manifest")
    for slug in ("tiny", "other"):
        assert {f"{slug}/{name}" for name in names} <= keys
    assert "broken/production_config" in keys


def test_dagster_asset_materialize_renders_one_shot_partition(
    tiny_production: Path, dagster_home: Path, tmp_path: Path
) -> None:
    """With several productions configured, the module alone is enough: no repository to pick."""
    with dg.DagsterInstance.get() as instance:
        instance.add_dynamic_partitions("tiny_shots", ["s001_wide_hero", "s001_close_up_hero"])
    other = write_production(tmp_path / "other").parent
    env = {**os.environ, "PRODUCTION_PATHS": os.pathsep.join([str(other), str(tiny_production)])}
    materialize = [*DAGSTER, "asset", "materialize", "-m", DEFINITIONS_MODULE]
    prepare = subprocess.run(
        [*materialize, "--select", "tiny/production_config,tiny/characters/Hero,tiny/locations/Stage"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert prepare.returncode == 0, prepare.stderr[-3000:]
    shot = subprocess.run(
        [*materialize, "--select", "tiny/shot_renders", "--partition", "s001_close_up_hero"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert shot.returncode == 0, shot.stderr[-3000:]
    frames = sorted((tiny_production / "build" / "shots").glob("*/renders/*/frames/*.png"))
    assert [frame.name for frame in frames] == ["frame_0001.png", "frame_0002.png"]
    assert {frame.parents[3].name for frame in frames} == {"s001_close_up_hero"}
    assert not (other / "build" / "shots").exists()
    with dg.DagsterInstance.get() as instance:
        record = instance.get_latest_data_version_record(
            dg.AssetKey(["tiny", "shot_renders"]), partition_key="s001_close_up_hero"
        )
        assert record is not None


def _loaded_module(entry: str | dict[str, str]) -> tuple[str, str]:
    """(module, location name) of a workspace.yaml `python_module` entry, with Dagster's default name."""
    if isinstance(entry, str):
        return entry, entry
    return entry["module_name"], entry.get("location_name", entry["module_name"])


def test_every_configuration_loads_the_same_module_under_the_same_name() -> None:
    """workspace.yaml, the farm's workspace.yaml and [tool.dagster] name the location as `dagster dev -m`
    and `production ui` do (Dagster's default: the module), the name runs of `production run` record."""
    import tomllib

    tool = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["dagster"]
    assert (tool["module_name"], tool.get("code_location_name", tool["module_name"])) == (
        DEFINITIONS_MODULE,
        LOCATION_NAME,
    )
    for workspace in (REPO / "workspace.yaml", REPO / "deploy" / "farm" / "workspace.yaml"):
        [entry] = yaml.safe_load(workspace.read_text())["load_from"]
        assert _loaded_module(entry["python_module"]) == (DEFINITIONS_MODULE, LOCATION_NAME), workspace
