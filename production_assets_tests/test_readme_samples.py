"""The README's sample outputs are the real ones: its `--dry-run` and run summary blocks, compared with the
output of the same commands on the tiny production (paths and seconds normalised)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from production_assets_tests.conftest import TINY_PRODUCTION, write_production

REPO = Path(__file__).resolve().parents[1]
CLOSE_UP = "{template: close_up, scene: 1, character: Hero, duration: 2}"


def readme_sample(name: str) -> str:
    """The first fenced block after ``<!-- sample: NAME -->`` in the README."""
    text = (REPO / "README.md").read_text()
    after = text.split(f"<!-- sample: {name} -->", 1)[1]
    return after.split("```\n", 1)[1].split("```", 1)[0]


def normalised(output: str, production: Path) -> str:
    text = output.replace(str(production), "<production>")
    text = re.sub(r"\b\d+(?:\.\d+)?(s| s)\b", lambda m: "<seconds>" + ("" if m.group(1) == "s" else " s"), text)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def test_the_dry_run_and_run_samples_are_what_the_commands_print(tmp_path: Path, dagster_home: Path) -> None:
    production = write_production(tmp_path / "tiny", TINY_PRODUCTION).parent
    env = {**os.environ, "DAGSTER_HOME": str(dagster_home)}

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "production_assets", *args], env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stdout + done.stderr[-2000:]
        return done.stdout

    run("run", str(production))
    path = production / "production.yaml"
    path.write_text(path.read_text().replace(CLOSE_UP, CLOSE_UP.replace("duration: 2", "duration: 3")))
    expected_plan = "\n".join(line.rstrip() for line in readme_sample("dry-run").splitlines()) + "\n"
    assert normalised(run("run", str(production), "--dry-run"), production) == expected_plan
    expected_run = "\n".join(line.rstrip() for line in readme_sample("run").splitlines()) + "\n"
    assert normalised(run("run", str(production)), production) == expected_run
