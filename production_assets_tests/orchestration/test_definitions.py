"""The code location `production_assets.definitions`: one `defs` of every configured production, built when
Dagster loads it; broken productions show as failing checks; each production's graph, jobs and checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from production_assets.orchestration.definitions_factory import build_definitions
from production_assets.orchestration.local_runs import production_job
from production_assets.validation.validators import CHECK_FAMILIES
from production_assets_tests.conftest import TINY_PRODUCTION, write_production


def test_the_code_location_is_one_defs_of_every_production_built_when_dagster_loads_it(
    tmp_path: Path, tiny_production: Path
) -> None:
    """Importing the module builds nothing; calling ``defs`` (what Dagster's loaders do) builds every
    configured production into one Definitions, without bpy."""
    write_production(tmp_path / "second", TINY_PRODUCTION.replace('title: "Tiny"', 'title: "Second"'))
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from production_assets.model.layout import Layout\n"
        "import production_assets.definitions as location\n"
        "caches = [Layout(Path(p)).names_cache for p in sys.argv[1:]]\n"
        "assert not any(cache.exists() for cache in caches), 'built on import'\n"
        "defs = location.defs()\n"
        "assert all(cache.exists() for cache in caches), 'not built by defs()'\n"
        "print(sorted({key.path[0] for key in defs.resolve_asset_graph().get_all_asset_keys()}))\n"
        "print(sorted(job.name for job in defs.resolve_all_job_defs() if not job.name.startswith('__')))\n"
        "assert 'bpy' not in sys.modules, 'bpy imported'\n"
    )
    folders = [str(tiny_production), str(tmp_path / "second")]
    env = {**os.environ, "PRODUCTION_PATHS": os.pathsep.join(folders)}
    done = subprocess.run([sys.executable, "-c", code, *folders], env=env, timeout=120, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    slugs, jobs = done.stdout.strip().splitlines()
    assert slugs == "['second', 'tiny']"
    names = sorted(f"{slug}_{job}" for slug in ("second", "tiny") for job in ("deliver", "prepare", "shots"))
    assert jobs == str(names)


def test_a_run_process_rebuilds_only_its_own_production(tmp_path: Path, tiny_production: Path) -> None:
    """Runs made outside the UI point their run process at production_job(path, job): one production."""
    write_production(tmp_path / "other")
    job = production_job(str(tiny_production.resolve()), "tiny_shots")
    assert {key.path[0] for key in job.asset_layer.asset_graph.get_all_asset_keys()} == {"tiny"}
    assert job.partitions_def == dg.DynamicPartitionsDefinition(name="tiny_shots")


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
    write_production(tmp_path / "no_title", TINY_PRODUCTION.replace('  title: "Tiny"\n', ""))
    with pytest.warns(UserWarning, match="does not load"):
        defs = build_definitions([tiny_production, tmp_path / "broken", tmp_path / "no_title"])
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {"tiny/manifest", "broken/production_config", "no_title/production_config"} <= keys
    with dg.instance_for_test() as instance:
        for slug, message in (("broken", "not valid YAML"), ("no_title", "title is required")):
            result = defs.resolve_job_def(f"{slug}_prepare").execute_in_process(instance=instance, raise_on_error=False)
            checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
            assert not result.success and result.get_asset_materialization_events() == []
            assert checks["check_structure"].passed is False
            assert message in checks["check_structure"].metadata["issues"].value


def test_invalid_production_fails_checks_and_blocks_downstream(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    unknown_character = TINY_PRODUCTION.replace("character: Hero, duration: 2}", "character: Nobody, duration: 2}", 1)
    write_production(folder, unknown_character)
    defs = build_definitions([folder])
    with dg.instance_for_test() as instance:
        result = defs.resolve_job_def("bad_prepare").execute_in_process(instance=instance, raise_on_error=False)
        assert not result.success
        assert result.get_asset_materialization_events() == []
        checks = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert set(checks) == {f"check_{f}" for f in CHECK_FAMILIES}
    assert {"check_structure", "check_shots", "check_script", "check_outputs"} <= set(checks)
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
    from production_assets_tests.export.conftest import fake_graded_shots, record_published, resolved_from

    production = resolved_from(tmp_path / "delivery")
    fake_graded_shots(production)
    defs = build_definitions([tmp_path / "delivery"])
    with dg.instance_for_test() as instance:
        record_published(instance, production)
        result = defs.resolve_job_def("delivery_deliver").execute_in_process(instance=instance)
        assert result.success
        steps = {e.step_key for e in result.all_events if e.event_type_value == "STEP_START"}
        assert steps == {"delivery__exports", "delivery__manifest"}
        built = {e.asset_key.path[-1] for e in result.get_asset_materialization_events()}
        assert built == {"cinema", "web", "snes", "manifest"}
        checks = {e.asset_key.path[-1]: e.passed for e in result.get_asset_check_evaluations()}
        assert checks == {"cinema": True, "web": True, "snes": True}
