"""What every validator looks at: the production's derived facts (loading.context) and where to report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from production_assets.loading.context import ProductionContext
from production_assets.model.production import ProductionConfig
from production_assets.model.results import Severity, ValidationIssue
from production_assets.model.source import ValuePath, format_path


@dataclass
class ValidationContext(ProductionContext):
    """A production context that makes issues, located in the YAML (or in the screenplay)."""

    def script_issue(
        self, family: str, path: ValuePath, line: int, message: str, suggestion: str = "", severity: Severity = "error"
    ) -> ValidationIssue:
        """An issue located at a line of the screenplay (the YAML path says which setting it concerns)."""
        script = self.screenplay.path if self.screenplay else None
        return ValidationIssue(
            path=format_path(path) or "production",
            severity=severity,
            message=message,
            suggestion=suggestion,
            file=str(script) if script else None,
            line=line,
            column=1,
            family=family,
        )

    def issue(
        self,
        family: str,
        path: ValuePath,
        message: str,
        suggestion: str = "",
        severity: Severity = "error",
        *,
        key: bool = False,
    ) -> ValidationIssue:
        source = self.config.source
        location = source.locate(("production",) + path, key=key) if source else None
        original = source.original(("production",) + path)[1:] if source else path
        return ValidationIssue(
            path=format_path(original) or "production",
            severity=severity,
            message=message,
            suggestion=suggestion,
            file=location.file if location else (str(source.root_file) if source else None),
            line=location.line if location else None,
            column=location.column if location else None,
            family=family,
        )


def as_context(value: ValidationContext | ProductionConfig) -> ValidationContext:
    """Every validator takes a production, or a context shared by several validators."""
    return value if isinstance(value, ValidationContext) else ValidationContext(value)


def duplicate_names(ctx: ValidationContext, family: str, section: str, names: list[str]) -> list[ValidationIssue]:
    counts = Counter(names)
    return [
        ctx.issue(family, (section, index, "name"), f"duplicate {section[:-1]} name {name!r}", "names must be unique")
        for index, name in enumerate(names)
        if counts[name] > 1 and names.index(name) != index
    ]
