"""The public Python API, importable from the package top level without Blender."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import production_assets
from production_assets import (
    ProductionConfig,
    ValidationIssue,
    ValidationResult,
    expand_shots,
    load_production,
    load_production_from_dir,
    resolve_production,
    validate_characters,
    validate_production,
    validate_shots,
)


def test_the_phase_api_end_to_end(tiny_production: Path) -> None:
    config = load_production(tiny_production)
    assert isinstance(config, ProductionConfig)
    assert load_production_from_dir(tiny_production).shots == config.shots
    result = validate_production(config)
    assert isinstance(result, ValidationResult) and result.is_valid()
    assert validate_characters(config) == [] and all(isinstance(i, ValidationIssue) for i in validate_shots(config))
    assert [shot.id for shot in expand_shots(config)] == ["s001_wide_hero", "s001_close_up_hero"]
    assert resolve_production(config).render.resolution == (64, 36)
    assert set(production_assets.__all__) >= {"execute_production", "ProductionResult", "ExecutionState"}


def test_importing_the_package_and_the_cli_does_not_import_bpy() -> None:
    code = "import sys, production_assets, production_assets.cli; production_assets.load_production; assert 'bpy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_execution_api_plans_without_running(tiny_production: Path, dagster_home: Path) -> None:
    from production_assets import EXECUTION_PHASES, ExecutionEngine, analyze_dependencies, create_execution_graph

    engine = ExecutionEngine(tiny_production, read_only=True)
    assert EXECUTION_PHASES[0] == "validate" and EXECUTION_PHASES[-1] == "finalize"
    groups = analyze_dependencies(engine.production)
    assert groups[2] == ["shot_renders[s001_wide_hero]", "shot_renders[s001_close_up_hero]"]
    graph = create_execution_graph(engine.production)
    assert graph["shot_renders[s001_wide_hero]"] == ["production_config", "characters/Hero", "locations/Stage"]
    assert graph["manifest"] == ["exports/web"]
    state = engine.state()
    assert [shot.status for shot in state.shots] == ["missing", "missing"]
    checkpoint = engine.save_checkpoint(tiny_production.parent / "state.json")
    assert ExecutionEngine.load_checkpoint(checkpoint) == state
