"""The Dagster instance shared by `production run`, `production status` and the web UI."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import production_assets.deploy

if TYPE_CHECKING:
    import dagster as dg

DEFAULT_DAGSTER_HOME = Path.home() / ".production_assets" / "dagster_home"
LOCAL_PROFILE = resources.files(production_assets.deploy) / "local" / "dagster.yaml"


def dagster_home(create: bool = True) -> Path:
    """DAGSTER_HOME if set, else ~/.production_assets/dagster_home (created, and exported for children)."""
    home = Path(os.environ.get("DAGSTER_HOME") or DEFAULT_DAGSTER_HOME).expanduser().resolve()
    if create:
        home.mkdir(parents=True, exist_ok=True)
        config = home / "dagster.yaml"
        if not config.exists():
            config.write_text(LOCAL_PROFILE.read_text())
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def get_instance(create: bool = True) -> dg.DagsterInstance:
    """The shared instance; with create=False a missing DAGSTER_HOME gives an empty in-memory one (writes nothing)."""
    import dagster as dg  # here, so dagster_home() costs no Dagster import (`production run` starts workers first)

    home = dagster_home(create)
    if not create and not (home / "dagster.yaml").is_file():
        return dg.DagsterInstance.ephemeral()
    return dg.DagsterInstance.get()
