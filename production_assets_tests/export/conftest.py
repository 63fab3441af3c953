"""A resolved production whose shots are already "graded": deterministic synthetic frames on disk
(the export layer is tested without Blender; real renders are covered by the engine tests)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from production_assets.export.frames import frame_name
from production_assets.loading.production_file import load_production
from production_assets.loading.resolve import resolve_production
from production_assets.model.resolved import ResolvedProduction
from production_assets_tests.conftest import write_production

DELIVERY_PRODUCTION = """\
production:
  title: "Delivery Test"
  version: "2.1"
  style: {preset: cinematic}
  characters:
    - {name: Hero, model: "builtin:mannequin"}
  locations:
    - {name: Stage, preset: studio}
  shots:
    - {template: wide, scene: 1, character: Hero, duration: 3}
    - {template: close_up, scene: 1, character: Hero, duration: 2}
    - {template: medium, scene: 2, character: Hero, duration: 4}
  render_settings: {engine: cycles, samples: 1, resolution: [64, 36], frame_rate: 24}
  outputs:
    - {name: cinema, format: cinema_4k, resolution: [96, 54], path: "output/cinema/"}
    - {name: web, format: streaming_1080p, resolution: [64, 36], path: "output/web/"}
    - name: snes
      format: 16bit_game
      resolution: [32, 28]
      retro: {palette: snes, dither: ordered, colors: 16, pixel_scale: 2}
      path: "output/snes/"
"""


def synthetic_frame(shot_number: int, frame_number: int, height: int = 36, width: int = 64) -> np.ndarray:
    """A colourful gradient with a bright square that moves from frame to frame."""
    ys, xs = np.mgrid[0:height, 0:width]
    frame = np.stack(
        [(xs * 4 + 60 * shot_number) % 256, (ys * 7 + 10 * frame_number) % 256, ((xs + ys) * 3) % 256], axis=-1
    ).astype(np.uint8)
    left = (frame_number * 6) % (width - 12)
    frame[10:22, left : left + 12] = (250, 240, 200)
    return frame


def fake_graded_shots(production: ResolvedProduction) -> None:
    for shot_number, shot in enumerate(production.shots):
        folder = production.shot_dir(shot.id)
        (folder / "graded").mkdir(parents=True, exist_ok=True)
        for number in range(1, shot.frame_count + 1):
            Image.fromarray(synthetic_frame(shot_number, number)).save(folder / "graded" / frame_name(number))
        Image.fromarray(synthetic_frame(shot_number, 1)).save(folder / "thumbnail.png")
        version = f"v{shot_number}{shot.id[:6]}"
        (folder / "render_job.json").write_text(json.dumps({"data_version": version}))
        seconds = {str(n): 0.5 + 0.1 * n + shot_number for n in range(1, shot.frame_count + 1)}
        (folder / "render_log.json").write_text(
            json.dumps({"shot_id": shot.id, "data_version": version, "frame_seconds": seconds})
        )


def resolved_from(folder: Path, text: str = DELIVERY_PRODUCTION) -> ResolvedProduction:
    write_production(folder, text)
    return resolve_production(load_production(folder))


@pytest.fixture
def delivery_production(tmp_path: Path) -> ResolvedProduction:
    """Three shots (3, 2 and 4 frames) graded on disk; outputs cinema (ProRes), web (H.264), snes (retro)."""
    production = resolved_from(tmp_path / "delivery")
    fake_graded_shots(production)
    return production


def output_named(production: ResolvedProduction, name: str):  # type: ignore[no-untyped-def]
    return next(output for output in production.outputs if output.name == name)
