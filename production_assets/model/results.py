"""Results the library returns and the CLI prints as JSON.

Counts and flags derived from other fields (``ValidationResult.valid``, ``ProductionResult.shots_completed``,
...) are computed fields: they appear in ``model_dump`` and the JSON, are read back without complaint and
cannot disagree with the fields they count.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import Field, ModelWrapValidatorHandler, computed_field, model_validator

from production_assets.model.base import StrictModel

Severity = Literal["error", "warning", "info"]
PhaseName = Literal["validate", "prepare", "characters", "locations", "shots", "post_process", "export", "finalize"]
EXECUTION_PHASES: tuple[PhaseName, ...] = get_args(PhaseName)
PhaseStatus = Literal["pending", "running", "done", "skipped", "failed"]


class DerivedFieldsModel(StrictModel):
    """A model whose computed fields round-trip through JSON: read back, they must match what they count."""

    @model_validator(mode="wrap")
    @classmethod
    def _check_derived(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        given: dict[str, Any] = {}
        if isinstance(data, dict):
            given = {name: data[name] for name in cls.model_computed_fields if name in data}
            data = {key: value for key, value in data.items() if key not in given}
        model = handler(data)
        for name, value in given.items():
            if getattr(model, name) != value:
                raise ValueError(f"{name} is derived from the other fields ({getattr(model, name)!r}), not {value!r}")
        return model


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


class ValidationResult(DerivedFieldsModel):
    """Every issue found in one pass."""

    production: str = ""
    issues: list[ValidationIssue] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def valid(self) -> bool:
        """No errors (warnings allowed; ``is_valid(strict=True)`` refuses them too)."""
        return self.is_valid()

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


class PhaseReport(StrictModel):
    """One phase of a run as the user sees it, whichever Dagster step does its work."""

    state: PhaseStatus = "pending"
    seconds: float = Field(
        0.0,
        description="Wall-clock seconds during which its work was going on (from Dagster's records); phases that "
        "one step does together overlap (characters and locations run side by side; shots and post_process "
        "alternate shot by shot).",
    )
    step: str = Field("", description="Where the work happens: the Dagster run and step, and what else it does.")
    note: str = Field("", description="Why it was skipped or failed, or what it did.")


def _pending_phases() -> dict[PhaseName, PhaseReport]:
    return {phase: PhaseReport() for phase in EXECUTION_PHASES}


class ProductionResult(DerivedFieldsModel):
    """What `production run` did."""

    production: str
    success: bool
    completed_shot_ids: list[str] = Field(default_factory=list, description="Shots rendered and graded by this run.")
    skipped_shot_ids: list[str] = Field(default_factory=list, description="Shots that were up to date already.")
    failed_shots: list[ShotFailure] = Field(default_factory=list)
    frames_rendered: int = 0
    total_time: float = 0.0
    phases: dict[PhaseName, PhaseReport] = Field(
        default_factory=_pending_phases, description="Every phase, in order: its state, seconds and Dagster step."
    )
    output_paths: list[str] = Field(default_factory=list)
    deliverables: dict[str, str] = Field(default_factory=dict, description="Output name -> its film or folder.")
    manifest_path: str | None = None
    dagster_home: str = ""
    run_ids: list[str] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def shots_completed(self) -> int:
        return len(self.completed_shot_ids)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def shots_failed(self) -> int:
        return len(self.failed_shots)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def shots_skipped(self) -> int:
        return len(self.skipped_shot_ids)


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
    locked: str = Field(
        "",
        description="approved or final: a stale shot held at its published version (production run --include-locked).",
    )

    @property
    def label(self) -> str:
        """The status as users read it: ``stale (locked: approved)``."""
        return f"{self.status} (locked: {self.locked})" if self.locked else self.status


RunOutcome = Literal["running", "succeeded", "failed", "interrupted"]


class ExecutionState(StrictModel):
    """A snapshot of a production's progress, derived from Dagster's records; as a run's checkpoint it also
    says what the run was asked to do and how it ended (``production run --resume`` reads it)."""

    production: str
    shots: list[ShotState] = Field(default_factory=list)
    latest_run_id: str | None = None
    latest_run_status: str | None = None
    selection: list[str] | None = Field(None, description="The shots the run was asked for (--only); None: all.")
    run_outcome: RunOutcome | None = Field(None, description="How the run ended (running: it has not said yet).")
    run_ids: list[str] = Field(default_factory=list, description="The Dagster runs the run started.")
    saved_at: str | None = Field(
        None, description="When the snapshot was taken (ISO 8601, UTC); a run's checkpoint: when the run started."
    )
