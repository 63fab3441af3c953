"""Results the library returns and the CLI prints as JSON."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from production_assets.model.base import StrictModel

Severity = Literal["error", "warning", "info"]


class ValidationIssue(StrictModel):
    """One finding about a production: where, how bad, what, and how to fix it."""

    path: str = Field(description="JSON-ish path such as shots[3].character.")
    severity: Severity = "error"
    message: str
    suggestion: str = ""
    file: str | None = None
    line: int | None = None
    column: int | None = None
    family: str = Field("shots", description="Validator family: structure, characters, locations, shots, ...")

    def format(self) -> str:
        where = f"{self.file}:{self.line or 0}:{self.column or 0}: " if self.file else ""
        hint = f" ({self.suggestion})" if self.suggestion else ""
        return f"{where}{self.severity}: {self.message} [{self.path}]{hint}"


class ValidationResult(StrictModel):
    """Every issue found in one pass."""

    production: str = ""
    issues: list[ValidationIssue] = Field(default_factory=list)

    @property
    def errors(self) -> list[ValidationIssue]:
        return [issue for issue in self.issues if issue.severity == "error"]

    @property
    def warnings(self) -> list[ValidationIssue]:
        return [issue for issue in self.issues if issue.severity == "warning"]

    def is_valid(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)


class ShotFailure(StrictModel):
    shot_id: str
    message: str
    location: str = ""
    log_tail: str = ""


class ProductionResult(StrictModel):
    """What `production run` did."""

    production: str
    success: bool
    shots_completed: list[str] = Field(default_factory=list)
    shots_skipped: list[str] = Field(default_factory=list)
    shots_failed: list[ShotFailure] = Field(default_factory=list)
    frames_rendered: int = 0
    total_time: float = 0.0
    output_paths: list[str] = Field(default_factory=list)
    deliverables: dict[str, str] = Field(default_factory=dict, description="Output name -> its film or folder.")
    manifest_path: str | None = None
    dagster_home: str = ""
    run_ids: list[str] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class ShotState(StrictModel):
    shot_id: str
    status: Literal["missing", "stale", "up_to_date", "failed", "in_progress"]
    reason: str = ""
    frames_done: int = Field(0, description="Finished frames of the version the YAML asks for now.")
    frame_count: int = 0
    data_version: str = Field("", description="The version the YAML asks for now.")
    published_version: str | None = Field(None, description="The version Dagster recorded last (delivered).")
    building_version: str | None = Field(
        None, description="A version with frames on disk that is not published yet (an interrupted render)."
    )


class ExecutionState(StrictModel):
    """A snapshot of a production's progress, derived from Dagster's records."""

    production: str
    shots: list[ShotState] = Field(default_factory=list)
    latest_run_id: str | None = None
    latest_run_status: str | None = None
