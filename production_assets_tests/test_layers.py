"""The package's layering holds (import-linter contracts in pyproject.toml) and the code is lint-clean (ruff)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is not installed (it is in the dev extra: pip install -e '.[dev]')"
    return found


def test_each_package_imports_only_the_ones_below_it_and_bpy_stays_in_render() -> None:
    done = subprocess.run([_tool("lint-imports")], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:]


def test_ruff_with_the_project_configuration_is_clean() -> None:
    paths = ["production_assets", "production_assets_tests", "benchmarks", "scripts"]
    done = subprocess.run([_tool("ruff"), "check", *paths], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:]
