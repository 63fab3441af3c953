"""Every frame rate validate accepts delivers every output (real renders, tiny)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from production_assets.export.probe import probe_media
from production_assets_tests.conftest import TINY_PRODUCTION, write_production

OUTPUTS = """  outputs:
    - {name: web, format: streaming_1080p, resolution: [64, 36], path: "output/web/"}
    - {name: fast, format: streaming_1080p, resolution: [64, 36], frame_rate: 120, path: "output/fast/"}
"""


def test_a_12_fps_animatic_delivers_with_an_edl_and_a_120_fps_output_without_one(
    tmp_path: Path, dagster_home: Path
) -> None:
    text = TINY_PRODUCTION.replace("frame_rate: 24", "frame_rate: 12")
    text = text[: text.index("  outputs:")] + OUTPUTS
    production = write_production(tmp_path / "animatic", text).parent
    env = {**os.environ, "DAGSTER_HOME": str(dagster_home)}
    validate = subprocess.run(
        [sys.executable, "-m", "production_assets", "validate", str(production)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert "warning: no CMX 3600 EDL at 120 fps" in validate.stdout
    done = subprocess.run(
        [sys.executable, "-m", "production_assets", "run", str(production), "--json"],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    web, fast = production / "output" / "web", production / "output" / "fast"
    assert probe_media(web / "animatic.mp4").fps == 12.0 and probe_media(fast / "animatic.mp4").fps == 120.0
    assert "FCM: NON-DROP FRAME" in (web / "animatic.edl").read_text()
    assert not (fast / "animatic.edl").exists() and (fast / "animatic.otio").is_file()
    manifest = json.loads((production / "manifest.json").read_text())
    assert {(e["output"], e["role"]) for e in manifest["outputs"] if e["role"] == "edl"} == {("web", "edl")}
