"""Typed data: the production file, presets, render jobs and results."""

from production_assets.model.meta import ProductionMeta
from production_assets.model.production import (
    CameraOverride,
    Character,
    Location,
    Output,
    ProductionConfig,
    RenderSettings,
    RetroSettings,
    Shot,
    Style,
)
from production_assets.model.results import (
    ExecutionState,
    PhaseReport,
    ProductionResult,
    ShotFailure,
    ShotState,
    ValidationIssue,
    ValidationResult,
)

__all__ = [
    "CameraOverride",
    "Character",
    "ExecutionState",
    "Location",
    "Output",
    "PhaseReport",
    "ProductionConfig",
    "ProductionMeta",
    "ProductionResult",
    "RenderSettings",
    "RetroSettings",
    "Shot",
    "ShotFailure",
    "ShotState",
    "Style",
    "ValidationIssue",
    "ValidationResult",
]
