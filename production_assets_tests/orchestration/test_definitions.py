from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from production_assets.orchestration.definitions_factory import build_definitions
from production_assets_tests.conftest import TINY_PRODUCTION, write_production


def test_definitions_do_not_import_bpy(tiny_production: Path) -> None:
    code = "import sys, production_assets.definitions as d; d.defs.get_repository_def(); assert 'bpy' not in sys.modules, 'bpy imported'"
    env = {**os.environ, "PRODUCTION_PATHS": str(tiny_production)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, timeout=120)


def test_graph_per_production(tiny_production: Path) -> None:
    defs = build_definitions([tiny_production])
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert keys == {
        "tiny/production_config",
        "tiny/characters/Hero",
        "tiny/locations/Stage",
        "tiny/shot_renders",
        "tiny/graded_shots",
        "tiny/exports/web",
        "tiny/manifest",
    }
    assert defs.resolve_job_def("tiny_shots").partitions_def == dg.DynamicPartitionsDefinition(name="tiny_shots")


def test_broken_production_shows_up_without_taking_the_location_down(tmp_path: Path, tiny_production: Path) -> None:
    write_production(tmp_path / "broken", "production: [")
    with pytest.warns(UserWarning, match="does not load"):
        defs = build_definitions([tiny_production, tmp_path / "broken"])
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {"tiny/manifest", "broken/production_config"} <= keys


def test_invalid_production_fails_checks_and_blocks_downstream(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    write_production(folder, TINY_PRODUCTION.replace("character: Hero, duration: 2}", "character: Nobody, duration: 2}", 1))
    defs = build_definitions([folder])
    with dg.instance_for_test() as instance:
        result = defs.resolve_job_def("bad_prepare").execute_in_process(instance=instance, raise_on_error=False)
        assert not result.success
        assert result.get_asset_materialization_events() == []
        checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert set(checks) == {f"check_{f}" for f in ("structure", "characters", "locations", "shots", "dependencies", "timeline", "outputs")}
    assert not checks["check_shots"].passed
    assert "unknown character 'Nobody'" in checks["check_shots"].metadata["issues"].value
    assert "production.yaml:10:" in checks["check_shots"].metadata["issues"].value
    assert checks["check_characters"].passed


def test_unreadable_production_fails_the_structure_check(tmp_path: Path, tiny_production: Path) -> None:
    defs = build_definitions([tiny_production])
    (tiny_production / "production.yaml").write_text("production: [")
    with dg.instance_for_test() as instance:
        result = defs.resolve_job_def("tiny_prepare").execute_in_process(instance=instance, raise_on_error=False)
        checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert not result.success
    assert checks["check_structure"] is False


def test_exports_are_one_step_that_builds_every_output_and_checks_each(tmp_path: Path) -> None:
    """Outputs build side by side in one step; each gets its own materialization and blocking check."""
    from production_assets_tests.export.conftest import fake_graded_shots, resolved_from

    production = resolved_from(tmp_path / "delivery")
    fake_graded_shots(production)
    defs = build_definitions([tmp_path / "delivery"])
    with dg.instance_for_test() as instance:
        result = defs.resolve_job_def("delivery_deliver").execute_in_process(instance=instance)
        assert result.success
        steps = {e.step_key for e in result.all_events if e.event_type_value == "STEP_START"}
        assert steps == {"delivery__exports", "delivery__manifest"}
        built = {e.asset_key.path[-1] for e in result.get_asset_materialization_events()}
        assert built == {"cinema", "web", "snes", "manifest"}
        checks = {e.asset_key.path[-1]: e.passed for e in result.get_asset_check_evaluations()}
        assert checks == {"cinema": True, "web": True, "snes": True}
