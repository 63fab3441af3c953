"""Figures of the reliability suite, written as JSON when RELIABILITY_FIGURES names a file.

Tests count what they inject and what survived through the ``figures`` fixture;
``benchmarks/reliability.py`` runs this folder and prints the totals.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

FIGURES_ENV = "RELIABILITY_FIGURES"


class Figures:
    """Counters shared by the whole session (faults, hostile inputs, fuzz examples, losses)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.faults: dict[str, str] = {}
        self.hostile: dict[str, str] = {}

    def add(self, name: str, amount: int = 1) -> None:
        self.counts[name] += amount

    def fault_injected(self, name: str) -> None:
        self.faults[name] = "injected"

    def fault_survived(self, name: str) -> None:
        self.faults[name] = "survived"

    def hostile_tried(self, name: str) -> None:
        self.hostile.setdefault(name, "tried")

    def hostile_refused(self, name: str) -> None:
        self.hostile[name] = "refused"

    def as_dict(self) -> dict[str, object]:
        return {
            "faults_injected": len(self.faults),
            "faults_survived": sum(state == "survived" for state in self.faults.values()),
            "hostile_tried": len(self.hostile),
            "hostile_refused": sum(state == "refused" for state in self.hostile.values()),
            "fuzz_examples": self.counts["fuzz_examples"],
            "frames_lost": self.counts["frames_lost"],
            "partial_files_published": self.counts["partial_files_published"],
            "faults": dict(sorted(self.faults.items())),
            "hostile": dict(sorted(self.hostile.items())),
        }


_FIGURES = Figures()


@pytest.fixture(scope="session")
def figures() -> Figures:
    return _FIGURES


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A temporary DAGSTER_HOME for the `production` subprocesses of one test."""
    folder = tmp_path / "dagster_home"
    folder.mkdir()
    (folder / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return folder


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    target = os.environ.get(FIGURES_ENV)
    if target:
        document = {**_FIGURES.as_dict(), "exit_status": int(exitstatus)}
        Path(target).write_text(json.dumps(document, indent=2) + "\n")


BLEND_FACTORY = r"""
import sys
import bpy

folder, marker = sys.argv[-2], sys.argv[-1]
AUTORUN = f"__import__('pathlib').Path({marker!r}).touch()"


def fresh():
    bpy.ops.wm.read_factory_settings(use_empty=True)
    bpy.context.preferences.filepaths.use_scripts_auto_execute = False


def save(name):
    bpy.ops.wm.save_as_mainfile(filepath=f"{folder}/{name}")


fresh()
bpy.ops.mesh.primitive_cube_add(size=1.0, location=(0, 0, 0.5))
save("cube.blend")
fresh()
bpy.ops.mesh.primitive_uv_sphere_add(radius=0.6, location=(0, 0, 0.6))
save("sphere.blend")
fresh()
bpy.ops.mesh.primitive_cube_add(size=1.0, location=(0, 0, 0.5))
hostile = bpy.context.active_object
text = bpy.data.texts.new("autorun.py")
text.write(AUTORUN + "\n")
text.use_module = True
driver = hostile.driver_add("location", 2).driver
driver.type = "SCRIPTED"
driver.expression = f"({AUTORUN}) or 0.5"
save("hostile.blend")
"""


@pytest.fixture(scope="session")
def blend_assets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Real .blend files made by bpy: cube, sphere, hostile (auto-run text block + Python driver), broken (its
    middle overwritten: it passes validation's structural check and fails in Blender).

    ``marker`` is the file the hostile scripts create when they run.
    """
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("blends")
    marker = folder / "autorun_marker"
    script = folder / "make_blends.py"
    script.write_text(BLEND_FACTORY)
    subprocess.run(
        [sys.executable, str(script), str(folder), str(marker)], check=True, capture_output=True, timeout=120
    )
    cube = (folder / "cube.blend").read_bytes()
    # Whole at both ends (validation's structural check passes), garbage in the middle: Blender fails on it.
    third = len(cube) // 3
    (folder / "broken.blend").write_bytes(
        cube[:third] + bytes((i * 37 + 11) % 256 for i in range(third)) + cube[2 * third :]
    )
    assert not marker.exists(), "creating the hostile .blend must not run its scripts"
    return {name: folder / f"{name}.blend" for name in ("cube", "sphere", "hostile", "broken")} | {"marker": marker}
