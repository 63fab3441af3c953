"""Grade every frame of a rendered shot with the production's style (alpha kept when the render has one),
and make its thumbnail."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from production_assets.errors import ProductionError
from production_assets.export.frames import list_frames, read_pixels, write_png_atomic
from production_assets.model.resolved import ResolvedProduction
from production_assets.post.grade import grade_frame

THUMBNAIL_WIDTH = 320


@dataclass(frozen=True)
class GradedShot:
    folder: Path
    frames: int
    thumbnail: Path


def _complete_frames(production: ResolvedProduction, shot_id: str, folder: str, done: str, fix: str) -> list[Path]:
    shot = production.shot(shot_id)
    frames = list_frames(production.shot_dir(shot_id) / folder)[: shot.frame_count]
    if len(frames) < shot.frame_count:
        raise ProductionError(f"shot {shot_id} has {len(frames)} of {shot.frame_count} frames {done}", suggestion=fix)
    return frames


def rendered_frames(production: ResolvedProduction, shot_id: str) -> list[Path]:
    """The shot's finished frames; an error if any is missing."""
    return _complete_frames(production, shot_id, "frames", "rendered", "render it first (production run)")


def graded_frames(production: ResolvedProduction, shot_id: str) -> list[Path]:
    """The shot's graded frames; an error if any is missing."""
    return _complete_frames(
        production, shot_id, "graded", "graded", "run production run (or materialize graded_shots) first"
    )


def grade_shot(production: ResolvedProduction, shot_id: str) -> GradedShot:
    sources = rendered_frames(production, shot_id)
    folder = production.shot_dir(shot_id) / "graded"
    folder.mkdir(parents=True, exist_ok=True)
    spec = production.style.grade
    middle: np.ndarray | None = None
    for number, source in enumerate(sources, start=1):
        pixels = read_pixels(source)
        graded = grade_frame(np.ascontiguousarray(pixels[:, :, :3]), spec, seed=production.render.seed + number)
        # Alpha passes through untouched: the cinema master keeps it.
        write_png_atomic(folder / source.name, np.dstack([graded, pixels[:, :, 3]]) if pixels.shape[2] == 4 else graded)
        if number == len(sources) // 2 + 1:
            middle = graded
    for extra in list_frames(folder)[len(sources) :]:
        extra.unlink()
    assert middle is not None
    thumbnail = production.shot_dir(shot_id) / "thumbnail.png"
    image = Image.fromarray(middle)
    if image.width > THUMBNAIL_WIDTH:
        image = image.resize((THUMBNAIL_WIDTH, max(1, round(image.height * THUMBNAIL_WIDTH / image.width))), Image.BOX)
    write_png_atomic(thumbnail, np.asarray(image))
    return GradedShot(folder, len(sources), thumbnail)
