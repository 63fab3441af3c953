"""Post-processing speed, as ratios against plain C/numpy anchors on the same data.

    python benchmarks/bench_post.py [--repeat N]

Retro (256x224, SNES 256-colour palette chosen from the frame):
  ANCHOR  Pillow's C Image.quantize(palette=..., dither=FLOYDSTEINBERG)
  ordered  our Bayer 4x4 + 32^3 lookup table      goal: >= anchor frames/s
  error_diffusion  ours (Pillow FS + array I/O)   goal: >= 1/3 anchor frames/s
Grade (1920x1080): each style preset's grade vs one plain numpy float32
multiply-add over the same frame (x * a + b)       goal: <= 2x its time
  The grading kernel is compiled (or loaded from numba's disk cache) once per
  process; that warm-up is printed on its own line, not counted per frame.

Timings are the median of several runs; the script never asserts on wall-clock.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import yaml
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from production_assets.model.presets import GradeSpec  # noqa: E402
from production_assets.post.grade import grade_frame  # noqa: E402
from production_assets.post.grade_kernel import warm_up  # noqa: E402
from production_assets.post.palettes import palette_for_shot  # noqa: E402
from production_assets.post.retro import lookup_table, map_to_palette  # noqa: E402

STYLES = Path(__file__).resolve().parents[1] / "configs" / "presets" / "styles.yaml"


def seconds_per_call(function: Callable[[], object], repeat: int, number: int) -> float:
    function()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            function()
        runs.append((time.perf_counter() - start) / number)
    return statistics.median(runs)


def test_scene(height: int, width: int) -> np.ndarray:
    """A smooth, colourful picture with some texture (what a render looks like to a quantizer)."""
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    red = 255 * xs / width
    green = 128 + 110 * np.sin(ys / (height / 9)) * np.cos(xs / (width / 7))
    blue = 255 * (1 - ys / height)
    noise = np.random.default_rng(0).normal(0, 6, (height, width, 3))
    return np.clip(np.stack([red, green, blue], axis=-1) + noise, 0, 255).astype(np.uint8)


def verdict(passed: bool) -> str:
    return "PASS" if passed else "MISS"


def bench_retro(repeat: int) -> None:
    frame = test_scene(224, 256)
    palette = palette_for_shot("snes", [frame], 256)
    palette_image = Image.new("P", (1, 1))
    palette_image.putpalette(palette.tobytes(), rawmode="RGB")
    image = Image.fromarray(frame)
    start = time.perf_counter()
    lookup_table(palette)
    table_ms = (time.perf_counter() - start) * 1000

    anchor = seconds_per_call(
        lambda: image.quantize(palette=palette_image, dither=Image.Dither.FLOYDSTEINBERG), repeat, 50
    )
    ordered = seconds_per_call(lambda: map_to_palette(frame, palette, "ordered"), repeat, 50)
    diffused = seconds_per_call(lambda: map_to_palette(frame, palette, "error_diffusion"), repeat, 50)

    print(
        f"Retro 256x224, SNES palette of {len(palette)} colours (lookup table built once per shot: {table_ms:.1f} ms)"
    )
    print(f"  {'method':<34}{'frames/s':>10}{'vs anchor':>11}  goal")
    print(f"  {'ANCHOR Pillow quantize FS (C)':<34}{1 / anchor:>10.0f}{1.0:>10.2f}x")
    print(
        f"  {'ours ordered (Bayer 4x4 + LUT)':<34}{1 / ordered:>10.0f}{anchor / ordered:>10.2f}x  >= 1x   "
        f"{verdict(ordered <= anchor)}"
    )
    print(
        f"  {'ours error diffusion':<34}{1 / diffused:>10.0f}{anchor / diffused:>10.2f}x  >= 1/3x "
        f"{verdict(diffused <= 3 * anchor)}"
    )


def bench_grade(repeat: int) -> None:
    warm_up_seconds = warm_up()
    frame = test_scene(1080, 1920)
    as_float = frame.astype(np.float32)
    baseline = seconds_per_call(lambda: as_float * np.float32(1.1) + np.float32(0.2), repeat, 10)
    styles = yaml.safe_load(STYLES.read_text())
    print(f"\nGrade 1920x1080 ({os.cpu_count()} CPUs); baseline numpy float32 x*a+b: {baseline * 1000:.2f} ms")
    print(f"  kernel warm-up, once per process, not in the figures: {warm_up_seconds * 1000:.0f} ms")
    print(f"  {'style':<24}{'ms':>8}{'vs baseline':>13}  goal")
    for name, style in styles.items():
        spec = GradeSpec.model_validate(style.get("grade", {}))
        graded = seconds_per_call(lambda spec=spec: grade_frame(frame, spec, seed=11), repeat, 10)
        ratio = graded / baseline
        print(f"  {name:<24}{graded * 1000:>8.2f}{ratio:>12.2f}x  <= 2x {verdict(ratio <= 2.0)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per figure (the median is shown)")
    arguments = parser.parse_args()
    bench_retro(arguments.repeat)
    bench_grade(arguments.repeat)


if __name__ == "__main__":
    main()
