"""Metadata the Dagster UI shows: issue tables, thumbnails as markdown."""

from __future__ import annotations

import base64
from pathlib import Path

import dagster as dg

from production_assets.model.results import ValidationIssue


def issues_markdown(issues: list[ValidationIssue]) -> dg.MetadataValue:
    if not issues:
        return dg.MetadataValue.md("No issues.")
    rows = ["| where | severity | message | fix |", "|---|---|---|---|"]
    for issue in issues:
        where = f"{Path(issue.file).name}:{issue.line}:{issue.column}" if issue.file else ""
        cells = [where, issue.severity, f"{issue.message} `{issue.path}`", issue.suggestion]
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return dg.MetadataValue.md("\n".join(rows))


def thumbnail_markdown(path: Path, alt: str) -> dg.MetadataValue:
    """An inline PNG, so the UI shows it with no file server."""
    data = base64.b64encode(path.read_bytes()).decode()
    return dg.MetadataValue.md(f"![{alt}](data:image/png;base64,{data})")


def problems_markdown(problems: list[str]) -> dg.MetadataValue:
    """A check's problems as a markdown list ("none" when it passed)."""
    return dg.MetadataValue.md("\n".join(f"- {problem}" for problem in problems) or "none")
