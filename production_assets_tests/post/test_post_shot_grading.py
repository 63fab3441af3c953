"""Grading a shot's rendered frames into a published graded version."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from production_assets.loading.production_file import load_production
from production_assets.loading.resolve import resolve_production
from production_assets.model.layout import THUMBNAIL_NAME
from production_assets.post.shot_grading import grade_shot
from production_assets.storage.frames import frame_name
from production_assets_tests.conftest import write_production

PRODUCTION = """\
production:
  title: "Grading"
  style: {preset: noir}
  characters: [{name: Hero}]
  locations: [{name: Stage, preset: studio}]
  shots: [{template: wide, scene: 1, character: Hero, duration: 3}]
  render_settings: {resolution: [64, 36], frame_rate: 24}
"""


def test_a_published_graded_version_is_reused_not_graded_again(tmp_path: Path) -> None:
    production = resolve_production(load_production(write_production(tmp_path / "grading", PRODUCTION)))
    shot_id = production.shots[0].id
    frames = production.layout.frames_dir(shot_id, "r1")
    frames.mkdir(parents=True)
    for number in range(1, 4):
        pixels = np.full((36, 64, 3), 40 * number, dtype=np.uint8)
        Image.fromarray(pixels).save(frames / frame_name(number))

    graded = grade_shot(production, shot_id, "r1", "g1")
    assert graded.frames == 3 and (graded.folder / THUMBNAIL_NAME).is_file()
    first = graded.folder / frame_name(1)
    grey = np.asarray(Image.open(first).convert("RGB"))
    assert grey.std(axis=2).max() <= 1  # noir: graded to monochrome
    stamps = {path.name: path.stat().st_mtime_ns for path in graded.folder.iterdir()}

    again = grade_shot(production, shot_id, "r1", "g1")  # e.g. a new Dagster instance over the same build
    assert again.folder == graded.folder and again.frames == 3
    assert {path.name: path.stat().st_mtime_ns for path in again.folder.iterdir()} == stamps

    first.unlink()  # an incomplete folder is graded again
    assert grade_shot(production, shot_id, "r1", "g1").frames == 3 and first.is_file()
