"""The retro console look: downscale with area filtering, then map to a palette.

Dithering choices:

- ``none``: each pixel becomes its nearest palette colour, read from a 32x32x32
  lookup table built once per palette (nearest by weighted RGB distance).
- ``ordered``: a Bayer threshold (2x2, 4x4 or 8x8) is added before the lookup.
  The pattern is fixed in screen space, so a still area of the picture keeps
  the same pixels from frame to frame: stable in motion, the console look.
- ``error_diffusion``: Floyd-Steinberg through Pillow's C quantizer. Smoother
  gradients on a still image, but each pixel's error travels right and down, so
  a tiny change anywhere re-shuffles the pattern below it: it flickers in video.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from PIL import Image

from production_assets.post.fit import FitMode, fit_frame
from production_assets.post.palettes import palette_for_shot

Dither = Literal["none", "ordered", "error_diffusion"]
LUT_BITS = 5
_SHIFT = 8 - LUT_BITS
_CHANNEL_WEIGHTS = np.array([3.0, 4.0, 2.0], dtype=np.float32)  # perceptual weighting of R, G, B errors
_CHUNK = 4096


@dataclass(frozen=True)
class RetroShot:
    """One shot in a console look: per-frame palette indices and the shot's palette."""

    indices: list[np.ndarray]  # HxW uint8 per frame
    palette: np.ndarray  # (N, 3) uint8

    def rgb_frame(self, number: int) -> np.ndarray:
        """Frame ``number`` as an ``HxWx3`` uint8 RGB array."""
        return self.palette[self.indices[number]]


def downscale(rgb: np.ndarray, size: tuple[int, int], fit: FitMode = "crop") -> np.ndarray:
    """Shrink a frame to ``size`` = (width, height) with area (box) filtering, never stretching."""
    return fit_frame(rgb, size, fit, resample="area")


def _nearest(colors: np.ndarray, palette: np.ndarray) -> np.ndarray:
    weighted_palette = palette.astype(np.float32) * np.sqrt(_CHANNEL_WEIGHTS)
    best = np.empty(len(colors), dtype=np.uint8)
    for start in range(0, len(colors), _CHUNK):
        chunk = colors[start : start + _CHUNK].astype(np.float32) * np.sqrt(_CHANNEL_WEIGHTS)
        distances = (
            (chunk * chunk).sum(axis=1)[:, None]
            - 2.0 * chunk @ weighted_palette.T
            + (weighted_palette * weighted_palette).sum(axis=1)[None, :]
        )
        best[start : start + _CHUNK] = distances.argmin(axis=1)
    return best


@functools.lru_cache(maxsize=16)
def _lookup_table(palette_bytes: bytes) -> np.ndarray:
    palette = np.frombuffer(palette_bytes, dtype=np.uint8).reshape(-1, 3)
    levels = (np.arange(1 << LUT_BITS, dtype=np.int32) << _SHIFT) + (1 << _SHIFT) // 2
    cells = np.stack(np.meshgrid(levels, levels, levels, indexing="ij"), axis=-1).reshape(-1, 3)
    table = _nearest(cells, palette)
    table.setflags(write=False)
    return table


def lookup_table(palette: np.ndarray) -> np.ndarray:
    """The 32^3 colour -> palette index table for ``palette`` (cached per palette)."""
    palette = np.ascontiguousarray(palette, dtype=np.uint8)
    if not 1 <= len(palette) <= 256:
        raise ValueError(f"a palette holds 1 to 256 colours, not {len(palette)}")
    return _lookup_table(palette.tobytes())


def bayer_matrix(size: int) -> np.ndarray:
    """The ``size`` x ``size`` Bayer index matrix (size 2, 4 or 8), values 0..size*size-1."""
    if size not in (2, 4, 8):
        raise ValueError(f"Bayer matrix size must be 2, 4 or 8, not {size}")
    matrix = np.zeros((1, 1), dtype=np.int32)
    while matrix.shape[0] < size:
        matrix = np.block([[4 * matrix, 4 * matrix + 2], [4 * matrix + 3, 4 * matrix + 1]])
    return matrix


def dither_spread(palette: np.ndarray) -> float:
    """How far the threshold swings: the mean distance from a palette colour to its nearest neighbour."""
    return _dither_spread(np.ascontiguousarray(palette, dtype=np.uint8).tobytes())


@functools.lru_cache(maxsize=16)
def _dither_spread(palette_bytes: bytes) -> float:
    colours = np.frombuffer(palette_bytes, dtype=np.uint8).reshape(-1, 3).astype(np.float32)
    if len(colours) < 2:
        return 0.0
    distances = np.sqrt(((colours[:, None, :] - colours[None, :, :]) ** 2).sum(axis=2))
    np.fill_diagonal(distances, np.inf)
    return float(np.clip(distances.min(axis=1).mean(), 8.0, 96.0))


@functools.lru_cache(maxsize=16)
def _threshold(height: int, width: int, size: int, spread: float) -> np.ndarray:
    matrix = (bayer_matrix(size) + 0.5) / (size * size) - 0.5
    reps = (-(-height // size), -(-width // size))
    tile = np.tile(np.round(matrix * spread).astype(np.int16), reps)[:height, :width]
    # The same offset on R, G and B, laid out HxWx3 so adding it is one contiguous pass.
    offset = np.ascontiguousarray(np.repeat(tile[:, :, None], 3, axis=2))
    offset.setflags(write=False)
    return offset


def _lut_index(rgb: np.ndarray, offset: np.ndarray | None) -> np.ndarray:
    """Flat 15-bit lookup-table cells (int16) of the pixels, after adding the dither offset."""
    cells = rgb.astype(np.int16)
    if offset is not None:
        cells += offset
        np.clip(cells, 0, 255, out=cells)
    cells >>= _SHIFT
    return (cells[:, :, 0] << 2 * LUT_BITS) | (cells[:, :, 1] << LUT_BITS) | cells[:, :, 2]


@functools.lru_cache(maxsize=16)
def _palette_image(palette_bytes: bytes) -> Image.Image:
    # Reusing the image keeps Pillow's nearest-colour cache warm: 6x faster per frame.
    image = Image.new("P", (1, 1))
    image.putpalette(palette_bytes, rawmode="RGB")
    return image


def map_to_palette(rgb: np.ndarray, palette: np.ndarray, dither: Dither = "ordered", bayer_size: int = 4) -> np.ndarray:
    """Palette indices (``HxW`` uint8) for an ``HxWx3`` uint8 frame."""
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"map_to_palette expects an HxWx3 array, got {rgb.shape}")
    palette = np.ascontiguousarray(palette, dtype=np.uint8)
    if dither == "error_diffusion":
        image = Image.fromarray(np.ascontiguousarray(rgb, dtype=np.uint8))
        quantized = image.quantize(palette=_palette_image(palette.tobytes()), dither=Image.Dither.FLOYDSTEINBERG)
        return np.asarray(quantized, dtype=np.uint8)
    table = lookup_table(palette)
    if dither == "none":
        return np.take(table, _lut_index(rgb, None))
    if dither == "ordered":
        height, width = rgb.shape[:2]
        offset = _threshold(height, width, bayer_size, dither_spread(palette))
        return np.take(table, _lut_index(rgb, offset))
    raise ValueError(f"dither {dither!r} is not 'none', 'ordered' or 'error_diffusion'")


def convert_shot(
    frames: Sequence[np.ndarray],
    palette_name: str,
    dither: Dither = "ordered",
    colors: int | None = None,
    size: tuple[int, int] = (256, 224),
    fit: FitMode = "crop",
) -> RetroShot:
    """Downscale a shot's frames, choose its palette once, and map every frame to it."""
    small = [downscale(frame, size, fit) for frame in frames]
    palette = palette_for_shot(palette_name, small, colors)
    return RetroShot(indices=[map_to_palette(frame, palette, dither) for frame in small], palette=palette)
