"""The Dagster instance shared by `production run`, `production status` and the web UI."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

DEFAULT_DAGSTER_HOME = Path.home() / ".production_assets" / "dagster_home"


def dagster_home() -> Path:
    """DAGSTER_HOME if set, else ~/.production_assets/dagster_home (created, and exported for children)."""
    home = Path(os.environ.get("DAGSTER_HOME") or DEFAULT_DAGSTER_HOME).expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text("telemetry:\n  enabled: false\n")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def get_instance() -> dg.DagsterInstance:
    dagster_home()
    return dg.DagsterInstance.get()
