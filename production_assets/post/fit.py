"""Fit a frame into a deliverable's resolution without ever stretching it.

``letterbox`` scales the whole frame to fit inside and pads with black bars;
``crop`` scales it to fill and crops the centre.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from PIL import Image

FitMode = Literal["crop", "letterbox"]
Resample = Literal["lanczos", "area"]


def _scaled_size(width: int, height: int, scale: float) -> tuple[int, int]:
    return max(1, round(width * scale)), max(1, round(height * scale))


def _resize(
    image: Image.Image, size: tuple[int, int], resample: Resample, box: tuple[float, ...] | None
) -> Image.Image:
    source_width = (box[2] - box[0]) if box else image.width
    downscaling = size[0] < source_width
    if resample == "area" and downscaling:
        return image.resize(size, Image.Resampling.BOX, box=box)
    # reducing_gap first box-reduces by the integer part of the ratio: area filtering, then Lanczos.
    return image.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=2.0 if downscaling else None)


def fit_frame(
    rgb: np.ndarray, size: tuple[int, int], mode: FitMode = "letterbox", resample: Resample = "lanczos"
) -> np.ndarray:
    """Resize an ``HxWx3`` (or ``HxWx4`` RGBA) uint8 frame to ``size`` = (width, height) by letterboxing
    or centre-cropping. Letterbox bars are black (transparent for RGBA)."""
    width, height = size
    if width < 1 or height < 1:
        raise ValueError(f"cannot fit a frame into {width}x{height}")
    if mode not in ("crop", "letterbox"):
        raise ValueError(f"fit mode {mode!r} is not 'crop' or 'letterbox'")
    source_height, source_width = rgb.shape[:2]
    if (source_width, source_height) == (width, height):
        return np.ascontiguousarray(rgb, dtype=np.uint8)
    image = Image.fromarray(np.ascontiguousarray(rgb, dtype=np.uint8))
    if mode == "crop":
        scale = max(width / source_width, height / source_height)
        crop_width, crop_height = width / scale, height / scale
        left, top = (source_width - crop_width) / 2, (source_height - crop_height) / 2
        box = (left, top, left + crop_width, top + crop_height)
        return np.asarray(_resize(image, (width, height), resample, box))
    scale = min(width / source_width, height / source_height)
    inner = _scaled_size(source_width, source_height, scale)
    inner = (min(inner[0], width), min(inner[1], height))
    canvas = Image.new(image.mode, (width, height))
    canvas.paste(_resize(image, inner, resample, None), ((width - inner[0]) // 2, (height - inner[1]) // 2))
    return np.asarray(canvas)
