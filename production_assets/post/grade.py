"""The style's colour grade, applied to display-referred sRGB frames.

Order of operations (all in float32, values unclamped until the end):

1. tone curve per channel: ``u = gain * (u + lift * (1 - u))``, then
   ``u ** (1 / gamma)``, then contrast around mid grey ``(u - 0.5) * contrast + 0.5``;
2. saturation around Rec.709 luma ``Y = 0.2126 R + 0.7152 G + 0.0722 B``
   (``monochrome`` is saturation 0);
3. split toning: ``+ shadows_tint * (1 - Y)**2 + highlights_tint * Y**2``;
4. vignette: multiplied by a radial mask (1 at the centre, ``1 - vignette`` in the corners);
5. grain: monochrome gaussian noise, the same for a given ``seed`` every time.

How it stays cheap: steps 1-3 collapse to ``t @ L + Y(t)**2 * c2 + c0``, where
``t`` is the input (through a 256-entry lookup table when gamma is not 1), ``L``
a 3x3 matrix and ``c0``/``c2`` 3-vectors, computed once per spec. One compiled
loop (:mod:`production_assets.post.grade_kernel`) then reads each pixel once and
writes it once, on a few threads that each take bands of rows. The vignette mask
and the grain texture are computed once per frame size and cached; a frame's
grain is a window into the texture at an offset derived from ``seed``.
benchmarks/bench_post.py has the figures.
"""

from __future__ import annotations

import functools
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from production_assets.model.presets import GradeSpec
from production_assets.post.grade_kernel import grade_kernel

REC709_LUMA = np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)
GRAIN_PAD = 64
GRAIN_TEXTURE_SEED = 0x5EED_6A1
# Bands of at least this many rows, a few per worker, so a worker slowed by
# another process on the machine does not hold the whole frame up.
MIN_BAND_ROWS = 64
BANDS_PER_WORKER = 4
_WORKERS = max(1, min(4, os.cpu_count() or 1))
_NONE_1D = np.zeros(0, dtype=np.float32)
_NONE_2D = np.zeros((0, 0), dtype=np.float32)
_pools: dict[int, ThreadPoolExecutor] = {}


def _pool() -> ThreadPoolExecutor:
    """This process's band workers (a forked child gets its own: threads do not survive fork)."""
    pid = os.getpid()
    if pid not in _pools:
        _pools[pid] = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="grade")
    return _pools[pid]


@dataclass(frozen=True)
class _GradePlan:
    """A GradeSpec reduced to the few arrays the kernel needs (empty arrays: step skipped)."""

    tone_lut: np.ndarray  # (256,) float32 in 0..255 units when gamma != 1, else empty
    matrix: np.ndarray  # (3, 3) float32: out = t @ matrix ...
    quadratic: np.ndarray  # (3,) float32: ... + Y**2 * quadratic ...; empty without toning
    offset: np.ndarray  # (3,) float32: ... + offset (0..255 units)
    grey: bool  # every channel is the same: grade one value per pixel


def is_identity(spec: GradeSpec) -> bool:
    """True when grading with ``spec`` changes nothing."""
    return spec == GradeSpec()


def _plan(spec: GradeSpec) -> _GradePlan:
    return _plan_for(tuple(spec.model_dump().items()))


@functools.lru_cache(maxsize=32)
def _plan_for(fields: tuple[tuple[str, object], ...]) -> _GradePlan:
    spec = GradeSpec.model_validate(dict(fields))
    # Work in 0..255 units: x is the input value, y = Y/255 the graded luma.
    tone_lut = _NONE_1D
    if spec.gamma != 1.0:
        unit = np.arange(256, dtype=np.float64) / 255.0
        lifted = np.maximum(spec.gain * (unit + spec.lift * (1.0 - unit)), 0.0)
        tone_lut = _frozen((255.0 * lifted ** (1.0 / spec.gamma)).astype(np.float32))
        scale, bias = spec.contrast, 255.0 * 0.5 * (1.0 - spec.contrast)
    else:
        scale = spec.gain * (1.0 - spec.lift) * spec.contrast
        bias = 255.0 * ((spec.gain * spec.lift - 0.5) * spec.contrast + 0.5)
    saturation = 0.0 if spec.monochrome else spec.saturation
    shadows = np.asarray(spec.shadows_tint, dtype=np.float64)
    highlights = np.asarray(spec.highlights_tint, dtype=np.float64)
    # out_c = s*T_c + (1-s)*255*y + 255*shadows_c*(1-y)^2 + 255*highlights_c*y^2, T = scale*x + bias
    k0 = saturation * bias + 255.0 * shadows
    k1 = (1.0 - saturation) * 255.0 - 510.0 * shadows
    k2 = 255.0 * (shadows + highlights)
    # y = alpha * Yx + beta, with Yx the luma of the (tone-mapped) input in 0..255 units
    alpha, beta = scale / 255.0, bias / 255.0
    c0 = k0 + k1 * beta + k2 * beta**2
    c1 = k1 * alpha + 2.0 * k2 * alpha * beta
    c2 = k2 * alpha**2
    luma = REC709_LUMA.astype(np.float64)
    matrix = saturation * scale * np.eye(3) + np.outer(luma, c1)
    grey = saturation == 0.0 and not np.any(k2) and bool(np.all(c1 == c1[0]) and np.all(c0 == c0[0]))
    return _GradePlan(
        tone_lut=tone_lut,
        matrix=_frozen(matrix.astype(np.float32)),
        quadratic=_frozen(c2.astype(np.float32)) if np.any(c2 != 0.0) else _NONE_1D,
        offset=_frozen(c0.astype(np.float32)),
        grey=grey,
    )


@functools.lru_cache(maxsize=4)
def _vignette_plane(height: int, width: int, strength: float) -> np.ndarray:
    """The radial vignette as an ``HxW`` float32 multiplier: 1 inside 30% of the
    half-diagonal, easing down to ``1 - strength`` in the corners."""
    ys = (np.arange(height, dtype=np.float32) + 0.5) / height * 2.0 - 1.0
    xs = (np.arange(width, dtype=np.float32) + 0.5) / width * 2.0 - 1.0
    radius = np.sqrt((ys[:, None] ** 2 + xs[None, :] ** 2) / 2.0)
    edge = np.clip((radius - 0.3) / 0.7, 0.0, 1.0)
    falloff = edge * edge * (3.0 - 2.0 * edge)
    return _frozen((1.0 - strength * falloff).astype(np.float32))


@functools.lru_cache(maxsize=4)
def _grain_plane(height: int, width: int, strength: float) -> np.ndarray:
    """Gaussian grain (plus the 0.5 that makes truncation round), padded so frames can pick an offset."""
    rng = np.random.default_rng(GRAIN_TEXTURE_SEED)
    noise = rng.standard_normal((height + GRAIN_PAD, width + GRAIN_PAD), dtype=np.float32)
    noise *= np.float32(255.0 * strength)
    noise += np.float32(0.5)
    return _frozen(noise)


def grain_offset(seed: int) -> tuple[int, int]:
    """Where frame ``seed``'s grain window starts in the texture (top, left)."""
    mixed = (seed * 2654435761 + 12345) % (GRAIN_PAD * GRAIN_PAD)
    top, left = divmod(mixed, GRAIN_PAD)
    return top, left


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def _bands(height: int) -> list[tuple[int, int]]:
    count = max(1, min(_WORKERS * BANDS_PER_WORKER, height // MIN_BAND_ROWS))
    edges = [round(height * number / count) for number in range(count + 1)]
    return list(zip(edges[:-1], edges[1:], strict=True))


def grade_frame(rgb: np.ndarray, spec: GradeSpec, seed: int = 0) -> np.ndarray:
    """Grade one ``HxWx3`` uint8 sRGB frame; ``seed`` picks the grain (use the frame number)."""
    if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"grade_frame expects an HxWx3 uint8 array, got {rgb.dtype} {rgb.shape}")
    if is_identity(spec):
        return rgb.copy()
    source = np.ascontiguousarray(rgb)
    height, width, _ = source.shape
    plan = _plan(spec)
    vignette = _vignette_plane(height, width, spec.vignette) if spec.vignette > 0 else _NONE_2D
    grain = _grain_plane(height, width, spec.grain) if spec.grain > 0 else _NONE_2D
    grain_top, grain_left = grain_offset(seed)
    target = np.empty_like(source)
    kernel = grade_kernel()

    def band(rows: tuple[int, int]) -> None:
        start, stop = rows
        kernel(
            source,
            target,
            start,
            stop,
            plan.tone_lut,
            plan.matrix,
            plan.quadratic,
            plan.offset,
            vignette,
            grain,
            grain_top,
            grain_left,
            plan.grey,
        )

    bands = _bands(height)
    if len(bands) == 1:
        band(bands[0])
    else:
        list(_pool().map(band, bands))
    return target
