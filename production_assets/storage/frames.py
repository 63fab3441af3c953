"""Frame files on disk: read RGB frames, write PNGs atomically, list a shot's frames."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
from PIL import Image

from production_assets.storage.atomic import atomic_path

FRAME_NAME = re.compile(r"^frame_(\d{4,})\.png$")


def frame_name(index: int) -> str:
    """The file name of frame ``index`` (``frame_0001.png``)."""
    return f"frame_{index:04d}.png"


def read_frame(path: Path) -> np.ndarray:
    """Read an image as an ``HxWx3`` uint8 RGB array (alpha dropped, 16-bit reduced)."""
    with Image.open(path) as image:
        if image.mode in ("I;16", "I;16B", "I;16L", "I"):
            wide = np.asarray(image, dtype=np.uint32)
            grey = (wide >> 8).astype(np.uint8) if wide.max(initial=0) > 255 else wide.astype(np.uint8)
            return np.repeat(grey[:, :, None], 3, axis=2)
        return np.asarray(image.convert("RGB"), dtype=np.uint8).copy()


def read_pixels(path: Path) -> np.ndarray:
    """Read an image as ``HxWx3`` RGB, or ``HxWx4`` RGBA when it carries an alpha channel that is not fully opaque."""
    with Image.open(path) as image:
        if "A" in image.getbands() or "transparency" in image.info:
            rgba = np.asarray(image.convert("RGBA"), dtype=np.uint8)
            if rgba[:, :, 3].min(initial=255) < 255:
                return rgba.copy()
    return read_frame(path)


def write_png_atomic(path: Path, rgb: np.ndarray, compress_level: int = 6) -> None:
    """Write an ``HxWx3`` RGB, ``HxWx4`` RGBA or ``HxW`` grey uint8 array as a PNG, atomically."""
    image = Image.fromarray(np.ascontiguousarray(rgb, dtype=np.uint8))
    with atomic_path(Path(path)) as temp:
        image.save(temp, format="PNG", compress_level=compress_level)


def count_frames(folder: Path) -> int:
    """How many ``frame_NNNN.png`` files ``folder`` holds (0 when it does not exist)."""
    try:
        with os.scandir(folder) as entries:
            return sum(1 for entry in entries if FRAME_NAME.match(entry.name))
    except OSError:
        return 0


def list_frames(folder: Path) -> list[Path]:
    """The ``frame_NNNN.png`` files in ``folder``, in frame order (temp files ignored)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = [(int(match.group(1)), entry) for entry in folder.iterdir() if (match := FRAME_NAME.match(entry.name))]
    return [entry for _, entry in sorted(found)]
