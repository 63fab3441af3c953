"""Grade every frame of one rendered version of a shot with the production's style (alpha kept when the
render has one), and make its thumbnail.

The graded frames of a version appear together: they are written into a hidden folder and renamed to
``graded/<graded version>/`` when all are done (see model.layout), so delivery never reads a
half-graded shot.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from production_assets.errors import ProductionError
from production_assets.model.layout import THUMBNAIL_NAME
from production_assets.model.resolved import ResolvedProduction
from production_assets.post.grade import grade_frame
from production_assets.storage.atomic import published_folder
from production_assets.storage.frames import count_frames, list_frames, read_pixels

THUMBNAIL_WIDTH = 320


@dataclass(frozen=True)
class GradedShot:
    folder: Path
    frames: int
    thumbnail: Path


def _complete_frames(folder: Path, expected: int, shot_id: str, done: str, fix: str) -> list[Path]:
    frames = list_frames(folder)[:expected]
    if len(frames) < expected:
        raise ProductionError(f"shot {shot_id} has {len(frames)} of {expected} frames {done}", suggestion=fix)
    return frames


def rendered_frames(production: ResolvedProduction, shot_id: str, render_version: str) -> list[Path]:
    """The finished frames of one version of the shot; an error if any is missing."""
    folder = production.layout.frames_dir(shot_id, render_version)
    expected = production.shot(shot_id).frame_count
    return _complete_frames(folder, expected, shot_id, "rendered", "render it first (production run)")


def graded_frames(production: ResolvedProduction, shot_id: str, graded_version: str) -> list[Path]:
    """The graded frames of the shot's graded version ``graded_version``; an error if any is missing."""
    folder = production.layout.graded_dir(shot_id, graded_version)
    expected = production.shot(shot_id).frame_count
    return _complete_frames(
        folder, expected, shot_id, "graded", "run production run (or materialize graded_shots) first"
    )


def grade_shot(production: ResolvedProduction, shot_id: str, render_version: str, graded_version: str) -> GradedShot:
    """Grade the frames of ``render_version`` into ``graded/<graded_version>/``, published as a whole. A folder
    of that version already published is reused: the version names everything it was graded from (a new
    Dagster instance over an existing build regrades nothing)."""
    sources = rendered_frames(production, shot_id, render_version)
    target = production.layout.graded_dir(shot_id, graded_version)
    if count_frames(target) == len(sources) and (target / THUMBNAIL_NAME).is_file():
        return GradedShot(target, len(sources), target / THUMBNAIL_NAME)
    spec = production.style.grade
    middle: np.ndarray | None = None
    with published_folder(target) as folder:
        for number, source in enumerate(sources, start=1):
            pixels = read_pixels(source)
            graded = grade_frame(np.ascontiguousarray(pixels[:, :, :3]), spec, seed=production.render.seed + number)
            # Alpha passes through untouched: the cinema master keeps it.
            frame = np.dstack([graded, pixels[:, :, 3]]) if pixels.shape[2] == 4 else graded
            Image.fromarray(np.ascontiguousarray(frame, dtype=np.uint8)).save(folder / source.name, compress_level=6)
            if number == len(sources) // 2 + 1:
                middle = graded
        assert middle is not None
        image = Image.fromarray(middle)
        if image.width > THUMBNAIL_WIDTH:
            size = (THUMBNAIL_WIDTH, max(1, round(image.height * THUMBNAIL_WIDTH / image.width)))
            image = image.resize(size, Image.BOX)
        image.save(folder / THUMBNAIL_NAME)
    return GradedShot(target, len(sources), target / THUMBNAIL_NAME)
