"""The grade's per-pixel pass as one compiled loop (numba), used by :mod:`production_assets.post.grade`.

Each pixel is read once, graded in float32 registers (tone lookup, 3x3 matrix,
split toning, vignette, grain) and written once as uint8: no intermediate
frames, which is what made the numpy version cost several passes.

The kernel runs on a band of rows and releases the GIL (``nogil``), so the
caller's band threads run it in parallel. We do not use ``parallel=True``:
numba's default ``workqueue`` threading layer terminates the process when two
threads launch parallel kernels at once, and the caller's thread pool is
already made again in a forked child.

Importing numba and compiling take about a second, so both happen on first use
(not when Dagster loads the code location), and the machine code is cached on
disk (``NUMBA_CACHE_DIR`` when set, else ``__pycache__`` beside this file, else
numba's user-wide cache folder): later processes load it in a few tenths of a
second. When no cache folder is writable the kernel is compiled without one,
once per process, with a warning.
"""

from __future__ import annotations

import functools
import threading
import time
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numba.core.types import Type
    from numba.core.typing.templates import Signature

_compile_lock = threading.Lock()


def _grade_rows(
    source: np.ndarray,
    target: np.ndarray,
    row_start: int,
    row_stop: int,
    tone_lut: np.ndarray,
    matrix: np.ndarray,
    quadratic: np.ndarray,
    offset: np.ndarray,
    vignette: np.ndarray,
    grain: np.ndarray,
    grain_top: int,
    grain_left: int,
    grey: bool,
) -> None:
    """Grade rows ``row_start:row_stop`` of ``source`` into ``target`` (the formula is in grade.py).

    Per row: the pixels to float32 (through the lookup table when there is one),
    then one branch-free loop that LLVM vectorises; "no vignette" is a row of
    ones, "no grain" a row of 0.5 (the half that turns truncation into rounding).
    """
    width = source.shape[1]
    values = width * 3
    pixels = np.empty(values, dtype=np.float32)
    ones = np.ones(width, dtype=np.float32)
    halves = np.full(width, np.float32(0.5), dtype=np.float32)
    luma_r, luma_g, luma_b = np.float32(0.2126), np.float32(0.7152), np.float32(0.0722)
    low, high = np.float32(0.0), np.float32(255.0)
    m00, m01, m02 = matrix[0, 0], matrix[0, 1], matrix[0, 2]
    m10, m11, m12 = matrix[1, 0], matrix[1, 1], matrix[1, 2]
    m20, m21, m22 = matrix[2, 0], matrix[2, 1], matrix[2, 2]
    o0, o1, o2 = offset[0], offset[1], offset[2]
    q0 = q1 = q2 = np.float32(0.0)
    if quadratic.shape[0] > 0:
        q0, q1, q2 = quadratic[0], quadratic[1], quadratic[2]
    for row in range(row_start, row_stop):
        source_row = source[row].reshape(values)
        target_row = target[row].reshape(values)
        if tone_lut.shape[0] > 0:
            for index in range(values):
                pixels[index] = tone_lut[source_row[index]]
        else:
            for index in range(values):
                pixels[index] = np.float32(source_row[index])
        scale = vignette[row] if vignette.shape[0] > 0 else ones
        after = grain[row + grain_top, grain_left : grain_left + width] if grain.shape[0] > 0 else halves
        if grey:
            for column in range(width):
                red, green, blue = pixels[3 * column], pixels[3 * column + 1], pixels[3 * column + 2]
                value = (red * m00 + green * m10 + blue * m20 + o0) * scale[column] + after[column]
                level = np.uint8(min(max(value, low), high))
                target_row[3 * column] = level
                target_row[3 * column + 1] = level
                target_row[3 * column + 2] = level
        else:
            for column in range(width):
                red, green, blue = pixels[3 * column], pixels[3 * column + 1], pixels[3 * column + 2]
                luma = red * luma_r + green * luma_g + blue * luma_b
                toning = luma * luma
                mask, add = scale[column], after[column]
                out_r = (red * m00 + green * m10 + blue * m20 + o0 + toning * q0) * mask + add
                out_g = (red * m01 + green * m11 + blue * m21 + o1 + toning * q1) * mask + add
                out_b = (red * m02 + green * m12 + blue * m22 + o2 + toning * q2) * mask + add
                target_row[3 * column] = np.uint8(min(max(out_r, low), high))
                target_row[3 * column + 1] = np.uint8(min(max(out_g, low), high))
                target_row[3 * column + 2] = np.uint8(min(max(out_b, low), high))


def _signature() -> Signature:
    """One specialisation for every call, compiled up front.

    Inputs are typed read-only so read-only arrays (cached planes, ``np.asarray``
    of an image) are accepted too. They are full C-contiguous arrays plus a row
    range, so a band never has another layout (a sliced window would compile
    again); empty arrays stand for "no lookup table / toning / vignette / grain".
    """
    from numba import types

    def array(dtype: Type, dims: int, readonly: bool = True) -> Type:
        return types.Array(dtype, dims, "C", readonly=readonly)

    floats = types.float32
    return types.void(
        array(types.uint8, 3),
        array(types.uint8, 3, readonly=False),
        types.int64,
        types.int64,
        array(floats, 1),
        array(floats, 2),
        array(floats, 1),
        array(floats, 1),
        array(floats, 2),
        array(floats, 2),
        types.int64,
        types.int64,
        types.boolean,
    )


def _compile(cache: bool) -> Callable[..., None]:
    import numba

    return numba.njit(_signature(), cache=cache, nogil=True, fastmath=True)(_grade_rows)


@functools.cache
def _compiled() -> Callable[..., None]:
    try:
        return _compile(cache=True)
    except (RuntimeError, OSError) as error:
        # No writable cache folder ("cannot cache function ..."): compile for this process only.
        warnings.warn(f"grading kernel compiled without a disk cache: {error}", RuntimeWarning, stacklevel=3)
        return _compile(cache=False)


def grade_kernel() -> Callable[..., None]:
    """The compiled kernel (imported and compiled, or loaded from the cache, on the first call)."""
    with _compile_lock:
        return _compiled()


def warm_up() -> float:
    """Compile (or load) the kernel now; return the seconds it took (about 0 when it was ready already)."""
    started = time.perf_counter()
    grade_kernel()
    return time.perf_counter() - started
