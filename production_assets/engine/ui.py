"""`production ui`: the Dagster web UI and daemon for some productions, on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from production_assets.engine.instance import dagster_home


def run_ui(paths: list[Path], port: int) -> int:
    """Run `dagster dev` (webserver + daemon) on the shared instance until Ctrl-C; returns its exit status."""
    home = dagster_home()
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    if paths:
        env["PRODUCTION_PATHS"] = os.pathsep.join(str(p.resolve()) for p in paths)
    dagster = shutil.which("dagster") or "dagster"
    print(f"Dagster UI on http://127.0.0.1:{port} (DAGSTER_HOME={home}); Ctrl-C stops it", file=sys.stderr)
    command = [dagster, "dev", "-m", "production_assets.definitions", "-h", "127.0.0.1", "-p", str(port)]
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 0
