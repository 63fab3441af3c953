"""A production owns its looks: presets of its own (inline and in presets/), per-shot render settings (real renders)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from production_assets.engine.runner import ExecutionEngine, ParallelConfig, RunOptions
from production_assets.export.probe import probe_media
from production_assets.planning.production_loader import load_validated
from production_assets_tests.conftest import write_production

PRODUCTION = """\
production:
  title: "Own Looks"
  style: {preset: cinematic}
  presets:
    wardrobes:
      rain_coat: {primary_color: [0.95, 0.85, 0.0], secondary_color: [0.95, 0.85, 0.0]}
  characters:
    - {name: Hero, model: "builtin:mannequin", wardrobe: {scenes_1_end: rain_coat}}
  locations:
    - {name: Stage, preset: studio}
  shots:
    - {template: tight, scene: 1, character: Hero, duration: 2}
    - {template: wide, scene: 1, character: Hero, duration: 2, render: {resolution_percentage: 50, samples: 2}}
  render_settings: {engine: cycles, samples: 1, resolution: [64, 36], frame_rate: 24}
  outputs:
    - {name: small, format: small_web, path: "output/small/"}
"""
TEMPLATES = "tight: {description: 'Eyes and mouth.', lens: 120, frame_low: 0.85, frame_high: 1.0, margin: 1.1}\n"
FORMATS = (
    "small_web: {description: 'A 48x28 web film.', kind: video, codec: h264, resolution: [48, 28], extension: .mp4}\n"
)


def _rgb(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pixels = np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)
    return pixels[..., 0], pixels[..., 1], pixels[..., 2]


def yellow_fraction(path: Path) -> float:
    red, green, blue = _rgb(path)
    return float(np.mean((red > 120) & (green > 100) & (blue < red - 60)))


def skin_fraction(path: Path) -> float:
    red, green, blue = _rgb(path)
    return float(np.mean((red > green + 15) & (red > blue + 25)))


def _production(tmp_path: Path) -> Path:
    folder = write_production(tmp_path / "looks", PRODUCTION).parent
    (folder / "presets").mkdir()
    (folder / "presets" / "shot_templates.yaml").write_text(TEMPLATES)
    (folder / "presets" / "output_formats.yaml").write_text(FORMATS)
    return folder


def test_local_presets_dress_frame_and_deliver(tmp_path: Path, dagster_home: Path) -> None:
    folder = _production(tmp_path)
    result = ExecutionEngine(folder, RunOptions(parallel=ParallelConfig(max_workers=1))).execute()
    assert result.success, result
    production = load_validated(folder).require_resolved()
    frames = {
        shot.id: sorted(production.layout.frames_dir(shot.id, load_validated(folder).versions[shot.id]).glob("*.png"))
        for shot in production.shots
    }
    tight, wide = production.shots
    # The local look dresses the stand-in (the wide shows the coat); the local template fills the frame with a face.
    assert yellow_fraction(frames[wide.id][0]) > 0.01
    assert skin_fraction(frames[tight.id][0]) > 4 * skin_fraction(frames[wide.id][0])
    assert Image.open(frames[wide.id][0]).size == (32, 18), "render: {resolution_percentage: 50} on the wide"
    assert Image.open(frames[tight.id][0]).size == (64, 36)
    film = probe_media(folder / "output" / "small" / "looks.mp4")
    assert (film.width, film.height, film.frames) == (48, 28, 4), "the local output format delivers mixed sizes"


def test_a_local_preset_replaces_a_built_in_one_and_its_edit_re_renders_only_its_shots(tmp_path: Path) -> None:
    folder = _production(tmp_path)
    (folder / "presets" / "styles.yaml").write_text(
        "cinematic: {description: mine, key_light: {kind: AREA, location: [2, -3, 4], energy: 900}}\n"
    )
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "no_home")}
    shown = subprocess.run(
        [sys.executable, "-m", "production_assets", "validate", str(folder)], capture_output=True, text=True, env=env
    )
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert (
        "presets/styles.yaml:1:1: info: preset 'cinematic' of this production replaces the built-in style"
        in shown.stdout
    )
    before = load_validated(folder).versions
    path = folder / "presets" / "shot_templates.yaml"
    path.write_text(path.read_text().replace("lens: 120", "lens: 135"))
    after = load_validated(folder).versions
    changed = sorted(shot_id for shot_id in before if before[shot_id] != after[shot_id])
    assert changed == ["s001_tight_hero"]


def test_the_json_schema_covers_presets() -> None:
    schema = json.loads(
        subprocess.run(
            [sys.executable, "-m", "production_assets", "schema"], capture_output=True, text=True, check=True
        ).stdout
    )
    presets = schema["$defs"]["ProductionConfig"]["properties"]["presets"]
    assert presets["$ref"].endswith("LocalPresets")
    assert set(schema["$defs"]["LocalPresets"]["properties"]) == {
        "styles",
        "locations",
        "shot_templates",
        "wardrobes",
        "output_formats",
    }
