"""Validation as blocking asset checks on production_config, one per validator family."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from production_assets.errors import ProductionError
from production_assets.model.results import ValidationIssue
from production_assets.orchestration.assets import ProductionNames
from production_assets.orchestration.metadata import issues_markdown
from production_assets.orchestration.production_loader import load_validated
from production_assets.validation.validators import VALIDATOR_FAMILIES


def _family_issues(path: Path, family: str) -> list[ValidationIssue]:
    loaded = load_validated(path)
    return [issue for issue in loaded.validation.issues if issue.family == family]


def _load_error_issue(path: Path, error: ProductionError) -> ValidationIssue:
    where = error.location
    return ValidationIssue(
        path="production",
        message=error.message,
        suggestion=error.suggestion,
        file=where.file if where else str(path),
        line=where.line if where else None,
        column=where.column if where else None,
        family="structure",
    )


def build_checks(names: ProductionNames) -> list[dg.AssetChecksDefinition]:
    checks = []
    for family in VALIDATOR_FAMILIES:
        checks.append(_family_check(names, family))
    return checks


def _family_check(names: ProductionNames, family: str) -> dg.AssetChecksDefinition:
    path = names.path

    @dg.asset_check(
        asset=names.key("production_config"),
        name=f"check_{family}",
        blocking=True,
        description=f"The production's {family} are valid (errors block every downstream asset).",
    )
    def check() -> dg.AssetCheckResult:
        try:
            issues = _family_issues(path, family)
        except ProductionError as error:
            issues = [_load_error_issue(path, error)] if family == "dependencies" else []
        errors = [issue for issue in issues if issue.severity == "error"]
        warnings = [issue for issue in issues if issue.severity == "warning"]
        return dg.AssetCheckResult(
            passed=not errors,
            severity=dg.AssetCheckSeverity.ERROR if errors else dg.AssetCheckSeverity.WARN,
            metadata={"errors": len(errors), "warnings": len(warnings), "issues": issues_markdown(issues)},
        )

    return check
