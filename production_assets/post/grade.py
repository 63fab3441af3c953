"""The style's colour grade, applied to display-referred sRGB frames in numpy.

Order of operations (all in float32, values unclamped until the end):

1. tone curve per channel: ``u = gain * (u + lift * (1 - u))``, then
   ``u ** (1 / gamma)``, then contrast around mid grey ``(u - 0.5) * contrast + 0.5``;
2. saturation around Rec.709 luma ``Y = 0.2126 R + 0.7152 G + 0.0722 B``
   (``monochrome`` is saturation 0);
3. split toning: ``+ shadows_tint * (1 - Y)**2 + highlights_tint * Y**2``;
4. vignette: multiplied by a radial mask (1 at the centre, ``1 - vignette`` in the corners);
5. grain: monochrome gaussian noise, the same for a given ``seed`` every time.

How it stays cheap: with ``gamma == 1`` steps 1-3 collapse to
``x @ L + Y**2 * c2 + c0`` for a 3x3 matrix ``L`` and two 3-vectors, computed once
per spec. A frame then costs one small matrix product plus a few in-place
passes; without saturation or toning the matrix is a scalar, and monochrome is
graded as a single luma plane. Frames are processed in bands of rows that stay
in the CPU cache, on a few threads (numpy and BLAS release the GIL). The vignette
mask and the grain texture are computed once per frame size and cached; a
frame's grain is a window into the texture at an offset derived from ``seed``.
A gamma other than 1 adds a 256-entry lookup-table pass. Split toning is the
expensive part (a luma pass plus three strided channel adds): see
benchmarks/bench_post.py for figures.
"""

from __future__ import annotations

import ctypes
import functools
import glob
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from production_assets.model.presets import GradeSpec

REC709_LUMA = np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)
BAND_ROWS = 48
GRAIN_PAD = 64
_GRAIN_TEXTURE_SEED = 0x5EED_6A1
_WORKERS = max(1, min(4, os.cpu_count() or 1))
_pools: dict[int, ThreadPoolExecutor] = {}


class _SingleThreadedBlas:
    """Hold numpy's bundled OpenBLAS at one thread while bands are graded.

    Our bands already run in parallel; OpenBLAS threading each tiny (N, 3) x (3, 3)
    product on top makes its spinning threads fight ours (3x slower measured).
    Best effort, like threadpoolctl: a no-op when the library is not found.
    Re-entrant across threads; the previous setting comes back when the last
    grading call ends.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._saved = 0
        self._get: Callable[[], int] | None = None
        self._set: Callable[[int], None] | None = None
        for library in glob.glob(os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs", "*openblas*")):
            try:
                handle = ctypes.CDLL(library)
                self._get = handle.openblas_get_num_threads64_
                self._set = handle.openblas_set_num_threads64_
                break
            except (OSError, AttributeError):
                continue

    def __enter__(self) -> None:
        if self._set is None or self._get is None:
            return
        with self._lock:
            if self._users == 0:
                self._saved = int(self._get())
                self._set(ctypes.c_int(1))
            self._users += 1

    def __exit__(self, *exc: object) -> None:
        if self._set is None:
            return
        with self._lock:
            self._users -= 1
            if self._users == 0:
                self._set(ctypes.c_int(self._saved))


_blas_limit = _SingleThreadedBlas()


def _pool() -> ThreadPoolExecutor:
    """This process's band workers (a forked child gets its own: threads do not survive fork)."""
    pid = os.getpid()
    if pid not in _pools:
        _pools[pid] = ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="grade")
    return _pools[pid]


@dataclass(frozen=True)
class _GradePlan:
    """A GradeSpec reduced to the few arrays the per-pixel passes need."""

    tone_lut: np.ndarray | None  # uint8 -> float32 in 0..255 units; only when gamma != 1
    matrix: np.ndarray  # (3, 3) float32: out = x @ matrix ...
    quadratic: np.ndarray | None  # (3,) float32: ... + Y**2 * quadratic ...
    offset: np.ndarray  # (3,) float32: ... + offset (0..255 units)
    channel_scale: np.float32 | None  # set when the matrix is this scalar times identity
    grey_gain: np.float32 | None  # set when every channel is grey_gain * luma + offset


def is_identity(spec: GradeSpec) -> bool:
    """True when grading with ``spec`` changes nothing."""
    return spec == GradeSpec()


def _plan(spec: GradeSpec) -> _GradePlan:
    return _plan_for(tuple(spec.model_dump().items()))


@functools.lru_cache(maxsize=32)
def _plan_for(fields: tuple[tuple[str, object], ...]) -> _GradePlan:
    spec = GradeSpec.model_validate(dict(fields))
    # Work in 0..255 units: x is the input value, y = Y/255 the graded luma.
    tone_lut = None
    if spec.gamma != 1.0:
        unit = np.arange(256, dtype=np.float64) / 255.0
        lifted = np.maximum(spec.gain * (unit + spec.lift * (1.0 - unit)), 0.0)
        tone_lut = (255.0 * lifted ** (1.0 / spec.gamma)).astype(np.float32)
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
    diagonal_only = not np.any(c1)
    grey = saturation == 0.0 and not np.any(k2) and np.all(c1 == c1[0])
    return _GradePlan(
        grey_gain=np.float32(c1[0]) if grey else None,
        channel_scale=np.float32(saturation * scale) if diagonal_only else None,
        tone_lut=tone_lut,
        matrix=matrix.astype(np.float32),
        quadratic=c2.astype(np.float32) if np.any(c2 != 0.0) else None,
        offset=c0.astype(np.float32),
    )


@functools.lru_cache(maxsize=4)
def _vignette_plane(height: int, width: int, strength: float) -> np.ndarray:
    ys = (np.arange(height, dtype=np.float32) + 0.5) / height * 2.0 - 1.0
    xs = (np.arange(width, dtype=np.float32) + 0.5) / width * 2.0 - 1.0
    radius = np.sqrt((ys[:, None] ** 2 + xs[None, :] ** 2) / 2.0)
    edge = np.clip((radius - 0.3) / 0.7, 0.0, 1.0)
    falloff = edge * edge * (3.0 - 2.0 * edge)
    return _frozen((1.0 - strength * falloff).astype(np.float32))


@functools.lru_cache(maxsize=4)
def vignette_mask(height: int, width: int, strength: float) -> np.ndarray:
    """The radial vignette as an ``HxWx3`` float32 multiplier (channels repeated for fast passes):
    1 inside 30% of the half-diagonal, easing down to ``1 - strength`` in the corners."""
    return _frozen(np.repeat(_vignette_plane(height, width, strength)[:, :, None], 3, axis=2))


@functools.lru_cache(maxsize=4)
def _grain_plane(height: int, width: int, strength: float) -> np.ndarray:
    """Gaussian grain (plus the 0.5 that makes truncation round), padded so frames can pick an offset."""
    rng = np.random.default_rng(_GRAIN_TEXTURE_SEED)
    noise = rng.standard_normal((height + GRAIN_PAD, width + GRAIN_PAD), dtype=np.float32)
    noise *= np.float32(255.0 * strength)
    noise += np.float32(0.5)
    return _frozen(noise)


@functools.lru_cache(maxsize=4)
def _grain_texture(height: int, width: int, strength: float) -> np.ndarray:
    return _frozen(np.repeat(_grain_plane(height, width, strength)[:, :, None], 3, axis=2))


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def _grain_view(height: int, width: int, strength: float, seed: int, channels: int) -> np.ndarray:
    mixed = (seed * 2654435761 + 12345) % (GRAIN_PAD * GRAIN_PAD)
    top, left = divmod(mixed, GRAIN_PAD)
    texture = _grain_texture if channels == 3 else _grain_plane
    return texture(height, width, strength)[top : top + height, left : left + width]


class _Scratch(threading.local):
    """Per-thread band buffers: reusing them avoids an allocation (and its page faults) per pass."""

    def __init__(self) -> None:
        self.buffers: dict[tuple[str, tuple[int, ...]], np.ndarray] = {}

    def get(self, name: str, shape: tuple[int, ...], dtype: type) -> np.ndarray:
        key = (name, shape)
        buffer = self.buffers.get(key)
        if buffer is None:
            if len(self.buffers) > 16:
                self.buffers.clear()
            buffer = self.buffers[key] = np.empty(shape, dtype=dtype)
        return buffer


_scratch = _Scratch()


def _tone_mapped(source: np.ndarray, plan: _GradePlan) -> np.ndarray:
    """The band as (N, 3) float32, through the gamma lookup table when there is one."""
    flat = source.reshape(-1, 3)
    pixels = _scratch.get("pixels", flat.shape, np.float32)
    if plan.tone_lut is not None:
        np.take(plan.tone_lut, flat, out=pixels)
    else:
        np.copyto(pixels, flat, casting="unsafe")
    return pixels


def _store(graded: np.ndarray, target: np.ndarray) -> None:
    """Round (the 0.5 is already added), clamp to 0..255 and write uint8."""
    clipped = _scratch.get("clipped", graded.shape, np.int16)
    np.copyto(clipped, graded, casting="unsafe")
    np.clip(clipped, 0, 255, out=clipped)
    if clipped.shape == target.shape:
        np.copyto(target, clipped, casting="unsafe")
    else:
        for channel in range(3):
            np.copyto(target[:, :, channel], clipped, casting="unsafe")


def _grade_grey_band(
    source: np.ndarray,
    target: np.ndarray,
    plan: _GradePlan,
    mask: np.ndarray | None,
    after_mask: np.ndarray | np.float32,
) -> None:
    """Monochrome without toning: every channel is ``gain * Y + offset``, so grade one plane."""
    rows, width, _ = source.shape
    assert plan.grey_gain is not None
    grey = _scratch.get("grey", (rows * width, 1), np.float32)
    np.matmul(_tone_mapped(source, plan), (REC709_LUMA * plan.grey_gain)[:, None], out=grey)
    grey = grey.reshape(rows, width)
    grey += plan.offset[0]
    if mask is not None:
        grey *= mask
    grey += after_mask
    _store(grey, target)


def _grade_band(
    source: np.ndarray,
    target: np.ndarray,
    plan: _GradePlan,
    mask: np.ndarray | None,
    after_mask: np.ndarray | np.float32,
    before_mask: np.ndarray | None,
) -> None:
    rows, width, _ = source.shape
    pixels = _tone_mapped(source, plan)
    if plan.channel_scale is not None:
        # No mixing between channels (saturation 1, no toning): a scale, not a matrix product.
        graded = pixels
        graded *= plan.channel_scale
    else:
        graded = _scratch.get("graded", pixels.shape, np.float32)
        np.matmul(pixels, plan.matrix, out=graded)
    if plan.quadratic is not None:
        toning = _scratch.get("toning", (len(pixels), 1), np.float32)
        np.matmul(pixels, REC709_LUMA[:, None], out=toning)
        toning = toning.ravel()
        toning *= toning
        term = _scratch.get("term", toning.shape, np.float32)
        # Per-channel strided adds: broadcasting an (N, 1) operand would run numpy's inner loop 3 wide.
        for channel in range(3):
            np.multiply(toning, plan.quadratic[channel], out=term)
            graded[:, channel] += term
    graded = graded.reshape(rows, width, 3)
    if before_mask is not None:
        graded += before_mask
    if mask is not None:
        graded *= mask
    graded += after_mask
    _store(graded, target)


def grade_frame(rgb: np.ndarray, spec: GradeSpec, seed: int = 0) -> np.ndarray:
    """Grade one ``HxWx3`` uint8 sRGB frame; ``seed`` picks the grain (use the frame number)."""
    if rgb.dtype != np.uint8 or rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"grade_frame expects an HxWx3 uint8 array, got {rgb.dtype} {rgb.shape}")
    if is_identity(spec):
        return rgb.copy()
    source = np.ascontiguousarray(rgb)
    height, width, _ = source.shape
    plan = _plan(spec)
    channels = 1 if plan.grey_gain is not None else 3
    mask = None
    if spec.vignette > 0:
        mask = (_vignette_plane if channels == 1 else vignette_mask)(height, width, spec.vignette)
    grain = _grain_view(height, width, spec.grain, seed, channels) if spec.grain > 0 else None
    offset_row = np.tile(plan.offset, (width, 1))
    # What is added after the mask carries the 0.5 that turns truncation into rounding.
    if mask is None and grain is None:
        before_mask, after_mask = None, offset_row + np.float32(0.5)
    else:
        before_mask, after_mask = offset_row, (grain if grain is not None else np.float32(0.5))
    target = np.empty_like(source)

    def band(start: int) -> None:
        rows = slice(start, min(height, start + BAND_ROWS))
        band_mask = None if mask is None else mask[rows]
        if channels == 1:
            grey_after = grain[rows] if grain is not None else np.float32(0.5)
            _grade_grey_band(source[rows], target[rows], plan, band_mask, grey_after)
        else:
            band_after = grain[rows] if grain is not None else after_mask
            _grade_band(source[rows], target[rows], plan, band_mask, band_after, before_mask)

    def share(starts: range) -> None:
        for start in starts:
            band(start)

    # One contiguous share of bands per worker: few thread hand-offs, each band still cache-sized.
    starts = range(0, height, BAND_ROWS)
    shares = [starts[worker::_WORKERS] for worker in range(_WORKERS)]
    with _blas_limit:
        list(_pool().map(share, [s for s in shares if len(s)]))
    return target
