from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from production_assets.validation.validators import CHECK_FAMILIES
from production_assets.orchestration.definitions_factory import build_definitions
from production_assets_tests.conftest import TINY_PRODUCTION, write_production


def test_code_location_loads_a_repository_per_production_without_bpy(tmp_path: Path, tiny_production: Path) -> None:
    """What the UI's code server does: find the module's repositories (one per production), build them."""
    write_production(tmp_path / "second", TINY_PRODUCTION.replace('title: "Tiny"', 'title: "Second"'))
    code = (
        "import sys\n"
        "from dagster._core.workspace.autodiscovery import loadable_targets_from_python_module\n"
        "targets = loadable_targets_from_python_module('production_assets.definitions', None)\n"
        "print(sorted((t.attribute, t.target_definition.name) for t in targets))\n"
        "assert 'bpy' not in sys.modules, 'bpy imported'\n"
    )
    env = {**os.environ, "PRODUCTION_PATHS": os.pathsep.join([str(tiny_production), str(tmp_path / "second")])}
    done = subprocess.run([sys.executable, "-c", code], env=env, timeout=120, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[('second', 'second'), ('tiny', 'tiny')]"


def test_a_run_process_builds_only_its_own_production(
    tmp_path: Path, tiny_production: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run's code pointer is the module attribute named after its production: loading it builds that one."""
    from dagster._core.definitions.reconstruct import load_def_in_module

    from production_assets.orchestration import definitions_factory

    others = [write_production(tmp_path / f"other{n}").parent for n in range(3)]
    monkeypatch.setenv("PRODUCTION_PATHS", os.pathsep.join(map(str, [*others, tiny_production])))
    built: list[str] = []
    original = definitions_factory.build_repository
    monkeypatch.setattr(
        definitions_factory, "build_repository", lambda slug, path: built.append(slug) or original(slug, path)
    )
    repository = load_def_in_module("production_assets.definitions", "tiny", None)
    assert isinstance(repository, dg.RepositoryDefinition) and repository.name == "tiny"
    assert built == ["tiny"]
    assert {key.path[0] for key in repository.asset_graph.get_all_asset_keys()} == {"tiny"}
    with pytest.raises(dg.DagsterInvariantViolationError, match=r"\bnothing\b"):
        load_def_in_module("production_assets.definitions", "nothing", None)


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
