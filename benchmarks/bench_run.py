"""`production run` benchmarks (issue 7). One command, prints a table; never asserts wall-clock.

1. overhead:    20-shot production at a small size (320x180, 4 samples, 12 frames a shot), `production
                run --parallel 1` vs one plain bpy process rendering the same 20 render jobs (the
                worker's --job mode): ratio, per-shot overhead. Also printed at a tiny size (96x54,
                2 samples, 3 frames), where a shot renders in 0.2 s and fixed costs dominate.
2. resume:      kill -9 the run at about half the frames, run again: frames rendered twice.
3. incremental: edit one shot of 20 and run again: frames rendered vs that shot's frames.
4. parallel:    --parallel 2 vs --parallel 1 on fresh copies of the small production.
5. estimate:    `production estimate` (calibration) vs the actual run of the example production.
6. per_shot:    issue 20's figure: what one more one-frame 32x18 shot costs, `production run --parallel 1`
                vs one plain bpy process rendering the same jobs (the slope between 40 and 160 shots, so
                the fixed costs of both drop out; each the best of 3 runs): ratio (goal <= 1.5x).
Run: python benchmarks/bench_run.py [--only overhead,resume,...]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "configs" / "production" / "examples" / "example_production"
SHOTS = 20
FRAMES = 3
SMALL = {"frames": 12, "resolution": (320, 180), "samples": 4}  # the example production's preview size
TINY = {"frames": 3, "resolution": (96, 54), "samples": 2}
TEMPLATES = ["wide", "medium", "close_up", "hero_cu", "establishing_wide"]


def write_production(
    folder: Path, shots: int = SHOTS, frames: int = FRAMES, resolution: tuple[int, int] = (96, 54), samples: int = 2
) -> Path:
    folder.mkdir(parents=True)
    width, height = resolution
    lines = [
        "production:",
        '  title: "Bench"',
        "  style: {preset: cinematic}",
        "  characters: [{name: Hero, wardrobe: {scenes_1_end: hero_casual}}]",
        "  locations: [{name: Stage, preset: studio}]",
        f"  render_settings: {{engine: cycles, samples: {samples}, resolution: [{width}, {height}], frame_rate: 24}}",
        "  outputs: []",
        "  shots:",
    ]
    lines += [
        f"    - {{id: shot_{i:03d}, template: {TEMPLATES[i % 5]}, scene: 1, character: Hero, duration: {frames}}}"
        for i in range(shots)
    ]
    (folder / "production.yaml").write_text("\n".join(lines) + "\n")
    return folder


def production(*args: str, home: Path, **kwargs) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "production_assets", *args], env=env, capture_output=True, text=True, **kwargs
    )


def timed_run(folder: Path, home: Path, *extra: str) -> tuple[float, dict]:
    started = time.perf_counter()
    done = production("run", str(folder), "--json", *extra, home=home)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"run failed: {done.stderr[-2000:]}")
    return elapsed, json.loads(done.stdout)


def frames_in(folder: Path) -> list[Path]:
    return sorted(folder.glob("build/shots/*/frames/frame_*.png"))


def overhead_at(root: Path, name: str, size: dict) -> tuple[float, float]:
    """(production run --parallel 1, plain bpy process) seconds for the same shots."""
    folder = write_production(root / name, **size)
    ours, _ = timed_run(folder, root / f"home_{name}", "--parallel", "1")
    from production_assets.planning.production_loader import load_validated
    from production_assets.planning.versions import render_job

    resolved = load_validated(folder).require_resolved()
    jobs = []
    for shot in resolved.shots:
        job = render_job(resolved, shot.id, os.cpu_count() or 1).model_copy(
            update={
                "frames_dir": str(root / name / "raw" / shot.id / "frames"),
                "staging_dir": str(root / name / "raw" / shot.id / ".staging"),
            }
        )
        path = root / name / f"job_{shot.id}.json"
        path.write_text(job.model_dump_json())
        jobs += ["--job", str(path)]
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "production_assets.render.worker", *jobs], check=True, capture_output=True)
    return ours, time.perf_counter() - started


def bench_per_shot(root: Path, repeats: int = 3) -> list[str]:
    size = {"frames": 1, "resolution": (32, 18), "samples": 1}
    timings = {}
    for shots in (40, 160):
        runs = [overhead_at(root, f"per_shot_{shots}_{n}", {**size, "shots": shots}) for n in range(repeats)]
        timings[shots] = (min(ours for ours, _ in runs), min(plain for _, plain in runs))  # the best of each
    ours = (timings[160][0] - timings[40][0]) / 120
    raw = (timings[160][1] - timings[40][1]) / 120
    return [
        f"6 per shot   one-frame 32x18 shots, 1 spp: the cost of one more shot (slope from 40 to 160 shots, best of"
        f" {repeats})",
        f"             plain bpy, one process:               {raw:7.3f} s a shot (baseline)",
        f"             production run --parallel 1:          {ours:7.3f} s a shot  ratio {ours / raw:.2f}x"
        " (goal <= 1.5x)",
        f"             fixed costs: ours {timings[40][0] - 40 * ours:.1f} s, plain {timings[40][1] - 40 * raw:.1f} s",
    ]


def bench_overhead(root: Path) -> list[str]:
    lines = []
    for name, size in (("small", SMALL), ("tiny", TINY)):
        ours, raw = overhead_at(root, f"overhead_{name}", size)
        width, height = size["resolution"]
        goal = " (goal <= 1.25x)" if name == "small" else " (fixed costs dominate at this size)"
        lines += [
            f"1 overhead   {name}: 20 shots x {size['frames']} frames, {width}x{height}, {size['samples']} spp",
            f"             plain bpy, 20 shots in one process:   {raw:7.1f} s (baseline)",
            f"             production run --parallel 1:          {ours:7.1f} s  ratio {ours / raw:.2f}x{goal}",
            f"             overhead per shot:                    {(ours - raw) / SHOTS:7.2f} s",
        ]
    return lines


def bench_resume(root: Path) -> list[str]:
    folder = write_production(root / "resume", frames=6)
    home = root / "home_resume"
    total = SHOTS * 6
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    process = subprocess.Popen(
        [sys.executable, "-m", "production_assets", "run", str(folder), "--parallel", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    while len(frames_in(folder)) < total // 2 and process.poll() is None:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    time.sleep(0.5)
    subprocess.run(["pkill", "-9", "-f", str(folder)], check=False)
    at_kill = {p: p.stat().st_mtime_ns for p in frames_in(folder)}
    _, result = timed_run(folder, home)
    rerendered = sum(1 for p, mtime in at_kill.items() if p.stat().st_mtime_ns != mtime)
    rendered_total = len(at_kill) + result["frames_rendered"]
    return [
        f"2 resume     frames at kill -9: {len(at_kill)}/{total}; second run rendered {result['frames_rendered']}; "
        f"total {rendered_total} (goal {total} + at most 1 in flight); "
        f"finished frames rendered again: {rerendered} (goal 0)"
    ]


def bench_incremental(root: Path) -> list[str]:
    folder = write_production(root / "incremental")
    home = root / "home_incremental"
    timed_run(folder, home)
    path = folder / "production.yaml"
    text = path.read_text()
    edited = re.sub(r"(\{id: shot_007, [^}]*duration: )3\}", r"\g<1>5}", text)
    assert edited != text
    path.write_text(edited)
    _, result = timed_run(folder, home)
    return [
        f"3 incremental edited 1 of 20 shots (5 frames): frames rendered {result['frames_rendered']} (goal 5), "
        f"shots rendered {result['completed_shot_ids']}"
    ]


def bench_parallel(root: Path) -> list[str]:
    one, _ = timed_run(write_production(root / "p1", **SMALL), root / "home_p1", "--parallel", "1")
    two, _ = timed_run(write_production(root / "p2", **SMALL), root / "home_p2", "--parallel", "2")
    return [
        f"4 parallel   --parallel 1: {one:6.1f} s, --parallel 2: {two:6.1f} s, speed-up {one / two:.2f}x (goal >= 1.0x)"
    ]


def bench_estimate(root: Path) -> list[str]:
    folder = root / "example"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("build", "output", "manifest.json", "report.html"))
    home = root / "home_example"
    done = production("estimate", str(folder), "--json", home=home)
    estimate = json.loads(done.stdout)
    shutil.rmtree(folder / "build", ignore_errors=True)
    actual, _ = timed_run(folder, home)
    error = abs(estimate["total"] - actual) / actual
    return [
        f"5 estimate   example production: estimated {estimate['total']:.1f} s ({estimate['source']}), "
        f"actual {actual:.1f} s, error {error:.0%} (goal <= 25%)"
    ]


BENCHES = {
    "overhead": bench_overhead,
    "resume": bench_resume,
    "incremental": bench_incremental,
    "parallel": bench_parallel,
    "estimate": bench_estimate,
    "per_shot": bench_per_shot,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(BENCHES))
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="bench-run-") as folder:
        for name in args.only.split(","):
            for line in BENCHES[name](Path(folder)):
                print(line, flush=True)


if __name__ == "__main__":
    main()
