"""A retro shot on disk: indexed PNG frames, an animated GIF, a sprite sheet,
the palette as a GIMP .gpl file and nearest-neighbour upscaled previews.

Frames are numbered from 1 (``frame_0001.png``) like the rendered frames they
come from. Files are written straight into the folder given: a retro output is
published all or nothing, so its builder writes every shot into a staging
folder and publishes them together (:func:`production_assets.storage.atomic.staged_files`).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image

from production_assets.post.palettes import format_gpl
from production_assets.post.retro import RetroShot
from production_assets.storage.frames import frame_name

PREVIEW_FOLDER = "preview"


def indexed_image(indices: np.ndarray, palette: np.ndarray) -> Image.Image:
    """A mode 'P' image holding ``indices`` with ``palette``."""
    image = Image.fromarray(np.ascontiguousarray(indices, dtype=np.uint8), mode="L")
    image.putpalette(np.ascontiguousarray(palette, dtype=np.uint8).tobytes(), rawmode="RGB")
    return image


def _save(image: Image.Image, path: Path, **options: object) -> Path:
    image.save(path, **options)
    return path


def gif_durations(frame_count: int, fps: float) -> list[int]:
    """Per-frame GIF delays in ms: GIF counts in hundredths of a second, so 24 fps alternates
    40 and 50 ms to keep the average rate (and the total length) right."""
    ticks = [round((i + 1) * 100 / fps) - round(i * 100 / fps) for i in range(frame_count)]
    return [max(1, tick) * 10 for tick in ticks]


def sprite_sheet(images: list[Image.Image], palette: np.ndarray) -> Image.Image:
    """The frames in a near-square grid, left to right then top to bottom."""
    columns = math.ceil(math.sqrt(len(images)))
    rows = math.ceil(len(images) / columns)
    width, height = images[0].size
    sheet = np.zeros((rows * height, columns * width), dtype=np.uint8)
    for number, image in enumerate(images):
        row, column = divmod(number, columns)
        sheet[row * height : (row + 1) * height, column * width : (column + 1) * width] = np.asarray(image)
    return indexed_image(sheet, palette)


def write_retro_shot(shot: RetroShot, folder: Path, shot_id: str, fps: float, pixel_scale: int = 3) -> list[Path]:
    """Write one shot's retro deliverables into ``folder`` (a staging folder: files are
    written in place, not one by one atomically); return the written paths."""
    if not shot.indices:
        raise ValueError(f"shot {shot_id!r} has no frames to write")
    if pixel_scale < 1:
        raise ValueError(f"pixel_scale must be at least 1, not {pixel_scale}")
    folder = Path(folder)
    (folder / PREVIEW_FOLDER).mkdir(parents=True, exist_ok=True)
    images = [indexed_image(indices, shot.palette) for indices in shot.indices]
    written: list[Path] = []
    for number, image in enumerate(images, start=1):
        written.append(_save(image, folder / frame_name(number), format="PNG", optimize=False))
    first, rest = images[0], images[1:]
    written.append(
        _save(
            first,
            folder / f"{shot_id}.gif",
            format="GIF",
            save_all=True,
            append_images=rest,
            duration=gif_durations(len(images), fps),
            loop=0,
            optimize=False,
            disposal=1,
        )
    )
    written.append(_save(sprite_sheet(images, shot.palette), folder / f"{shot_id}_sheet.png", format="PNG"))
    palette_path = folder / f"{shot_id}.gpl"
    palette_path.write_text(format_gpl(shot.palette, shot_id), encoding="utf-8")
    written.append(palette_path)
    for number, image in enumerate(images, start=1):
        preview = image.resize((image.width * pixel_scale, image.height * pixel_scale), Image.Resampling.NEAREST)
        written.append(_save(preview, folder / PREVIEW_FOLDER / frame_name(number), format="PNG"))
    return written
