"""What the render and prepare entry points share: reading a job file, one-line errors, Pipes detection."""

from __future__ import annotations

import json
from typing import TypeVar

from pydantic import BaseModel, ValidationError

EXIT_FAILED = 1
EXIT_USAGE = 2

Job = TypeVar("Job", bound=BaseModel)


class JobFileError(Exception):
    """A job file cannot be read or does not match its contract."""


def load_job_file(path: str, model: type[Job], what: str) -> Job:
    """Read and validate a job JSON file as ``model`` (``what`` names it in messages)."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        return model.model_validate(data)
    except OSError as error:
        raise JobFileError(f"cannot read job file {path!r}: {error.strerror}") from error
    except ValueError as error:
        detail = error.errors()[0] if isinstance(error, ValidationError) else None
        where = ".".join(str(part) for part in detail["loc"]) + ": " + detail["msg"] if detail else str(error)
        raise JobFileError(f"job file {path!r} is not a valid {what} ({where})") from error


def parse_extra(extra: object, model: type[Job]) -> Job:
    """A job passed through Pipes extras, as a JSON string or a mapping."""
    return model.model_validate_json(extra) if isinstance(extra, str) else model.model_validate(extra)


def one_line(error: BaseException) -> str:
    """``Type: message`` on one line, never a traceback."""
    text = " ".join(str(error).split()) or type(error).__name__
    return f"{type(error).__name__}: {text}"


def launched_by_pipes() -> bool:
    from dagster_pipes import PipesEnvVarParamsLoader

    return PipesEnvVarParamsLoader().is_dagster_pipes_process()
