"""A .blend with an auto-run text block and a Python driver is rendered without running either."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from reliability_support import assert_completed, make_tiny, run_cli

from production_assets_tests.conftest import TINY_PRODUCTION

LOAD_WITH_AUTOEXEC = """
import sys
import bpy

bpy.context.preferences.filepaths.use_scripts_auto_execute = True
with bpy.data.libraries.load(sys.argv[-1], link=False) as (source, target):
    target.objects = list(source.objects)
for obj in target.objects:
    bpy.context.scene.collection.objects.link(obj)
bpy.context.scene.frame_set(1)
bpy.context.view_layer.update()
"""


def test_hostile_blend_really_runs_code_when_auto_execution_is_on(
    tmp_path: Path, blend_assets: dict[str, Path]
) -> None:
    """Control: the fixture is hostile (with auto-run on, Blender creates the marker)."""
    marker = blend_assets["marker"]
    copy = tmp_path / "hostile.blend"
    shutil.copyfile(blend_assets["hostile"], copy)
    try:
        subprocess.run(
            [sys.executable, "-c", LOAD_WITH_AUTOEXEC, str(copy)], check=True, capture_output=True, timeout=120
        )
        assert marker.exists()
    finally:
        marker.unlink(missing_ok=True)


def test_production_run_never_runs_scripts_embedded_in_a_blend(
    tmp_path: Path, home: Path, blend_assets: dict[str, Path], figures
) -> None:
    marker = blend_assets["marker"]
    marker.unlink(missing_ok=True)
    figures.hostile_tried("blend_autorun:run")
    production = make_tiny(
        tmp_path / "tiny",
        TINY_PRODUCTION.replace('"builtin:mannequin"', '"assets/hero.blend"').replace(
            ", wardrobe: {scenes_1_end: hero_casual}", ""
        ),
    )
    (production / "assets").mkdir()
    shutil.copyfile(blend_assets["hostile"], production / "assets" / "hero.blend")

    result = run_cli(["run", str(production)], home, tmp_path)

    assert_completed(production, result)
    assert not marker.exists(), "a script embedded in the .blend ran during `production run`"
    figures.hostile_refused("blend_autorun:run")
