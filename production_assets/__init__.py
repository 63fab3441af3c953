"""production_assets: a film production described in YAML, rendered by Blender, orchestrated by Dagster.

The public API is importable from here; heavy modules load on first use so
``import production_assets`` stays fast and never imports bpy.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "ProductionComponent": "production_assets.orchestration.component",
    "ProductionConfig": "production_assets.model.production",
    "ProductionMeta": "production_assets.model.meta",
    "OutputFormat": "production_assets.model.presets",
    "ValidationIssue": "production_assets.model.results",
    "ValidationResult": "production_assets.model.results",
    "ProductionResult": "production_assets.model.results",
    "PhaseReport": "production_assets.model.results",
    "ShotFailure": "production_assets.model.results",
    "ShotState": "production_assets.model.results",
    "ExecutionState": "production_assets.model.results",
    "EXECUTION_PHASES": "production_assets.model.results",
    "load_production": "production_assets.loading.production_file",
    "load_production_from_dir": "production_assets.loading.production_file",
    "resolve_production": "production_assets.loading.resolve",
    "expand_shots": "production_assets.loading.shots",
    "validate_production": "production_assets.validation.validators",
    "validate_file": "production_assets.validation.validators",
    "validate_characters": "production_assets.validation.validators",
    "validate_locations": "production_assets.validation.validators",
    "validate_shots": "production_assets.validation.validators",
    "validate_dependencies": "production_assets.validation.validators",
    "validate_timeline": "production_assets.validation.validators",
    "validate_outputs": "production_assets.validation.validators",
    "ProductionError": "production_assets.errors",
    "analyze_dependencies": "production_assets.engine.dependencies",
    "create_execution_graph": "production_assets.engine.dependencies",
    "ParallelConfig": "production_assets.engine.parallel",
    "ParallelExecutor": "production_assets.engine.parallel",
    "execute_production": "production_assets.engine.runner",
    "ExecutionEngine": "production_assets.engine.runner",
    "RunOptions": "production_assets.engine.runner",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'production_assets' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
