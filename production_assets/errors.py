"""Exceptions raised by production_assets.

One root, :class:`ProductionError`, with flat, specific subclasses. Anything
that is the user's fault (a bad file, a bad argument) is a ``ProductionError``
and is shown without a traceback; anything else is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceLocation:
    """Where a value came from: file, 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class ProductionError(Exception):
    """Root of every error this package raises on purpose."""

    def __init__(self, message: str, location: SourceLocation | None = None, suggestion: str = ""):
        super().__init__(message)
        self.message = message
        self.location = location
        self.suggestion = suggestion

    def __str__(self) -> str:
        prefix = f"{self.location}: " if self.location else ""
        hint = f" ({self.suggestion})" if self.suggestion else ""
        return f"{prefix}error: {self.message}{hint}"


class ConfigError(ProductionError):
    """The production file cannot be read or parsed as a production."""


class UnknownReferenceError(ConfigError):
    """A name (preset, template, character, ...) that is not defined."""


class ValidationFailedError(ProductionError):
    """The production loaded but has validation errors; nothing was run."""

    def __init__(self, message: str, result: object):
        super().__init__(message)
        self.result = result


class ExportError(ProductionError):
    """A deliverable could not be written; the previous version is intact."""


class ProductionLockedError(ProductionError):
    """Another `production run` holds the production's lock."""


class ResumeRefusedError(ProductionError):
    """`production run --resume` has no run to continue, or the production changed since that run."""
