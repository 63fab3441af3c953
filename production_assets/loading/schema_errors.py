"""Turn pydantic's errors into ValidationIssues with positions and suggestions."""

from __future__ import annotations

from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from production_assets.model.production import ProductionConfig
from production_assets.model.results import ValidationIssue
from production_assets.model.source import SourceMap, ValuePath, format_path
from production_assets.suggest import did_you_mean

_FAMILY = {"characters": "characters", "locations": "locations", "shots": "shots", "outputs": "outputs"}


def model_at(path: ValuePath) -> type[BaseModel] | None:
    """The pydantic model that holds the value at path inside a ProductionConfig."""
    model: Any = ProductionConfig
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return None
        model = _unwrap(model.model_fields[part].annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    while get_origin(annotation) is not None:
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        models = [arg for arg in args if isinstance(arg, type) and issubclass(arg, BaseModel)]
        if models:
            return models[0]
        if get_origin(annotation) is list and args:
            annotation = args[0]
            continue
        return None
    return annotation


def clean_loc(loc: tuple[Any, ...], data: Any) -> ValuePath:
    """Keep the part of pydantic's loc that exists in the data (drop union branch names)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        elif isinstance(node, dict) and not path[-1:] == [part]:
            path.append(part)
            break
        else:
            break
        path.append(part)
    return tuple(path)


def issues_from_pydantic(error: ValidationError, source: SourceMap, data: dict[str, Any]) -> list[ValidationIssue]:
    issues: list[ValidationIssue] = []
    for item in error.errors(include_url=False):
        path = clean_loc(item["loc"], data)
        kind = item["type"]
        suggestion = ""
        if kind == "extra_forbidden":
            model = model_at(path[:-1])
            known = list(model.model_fields) if model else []
            message = f"unknown key {path[-1]!r}"
            suggestion = did_you_mean(str(path[-1]), known)
            location = source.locate(("production",) + path, key=True)
        else:
            message = _message(item, path)
            location = source.locate(("production",) + path)
        issues.append(
            ValidationIssue(
                path=format_path(path) or "production",
                severity="error",
                message=message,
                suggestion=suggestion,
                file=location.file if location else str(source.root_file),
                line=location.line if location else None,
                column=location.column if location else None,
                family=_FAMILY.get(str(path[0]) if path else "", "structure"),
            )
        )
    return _dedupe(issues)


def _message(item: Any, path: ValuePath) -> str:
    name = format_path(path) or "production"
    text = str(item["msg"]).removeprefix("Value error, ")
    if item["type"] == "missing":
        position = item["loc"][-1] if item["loc"] else None
        if isinstance(position, int):  # a tuple short of values: resolution: [64]
            return f"{name} has too few values: value {position + 1} is missing"
        return f"{name} is required"
    value = item.get("input")
    shown = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{name} = {shown}: {text}"


def _dedupe(issues: list[ValidationIssue]) -> list[ValidationIssue]:
    """One issue per path (unions report each branch); keep the first."""
    seen: set[str] = set()
    unique = []
    for issue in issues:
        if issue.path not in seen:
            seen.add(issue.path)
            unique.append(issue)
    return unique
