"""`production ui` binds the Dagster web UI to 127.0.0.1 by default."""

from __future__ import annotations

import re
from pathlib import Path

import production_assets
from production_assets.engine import ui


def test_ui_command_binds_to_localhost() -> None:
    command = ui.dagster_dev_command(3000)
    assert command[command.index("-h") + 1] == "127.0.0.1", command
    assert "--host" not in command


def test_no_module_binds_every_interface() -> None:
    """No server in the package listens on 0.0.0.0 / :: by default."""
    package = Path(production_assets.__file__).parent
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if re.search(r"""["'](0\.0\.0\.0|::)["']""", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
