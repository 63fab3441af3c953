"""Real bpy renders through the worker CLI (tiny frames, 1-8 samples, never faked)."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from render_jobs import make_job, run_worker, worker_command, worker_env, write_job

from production_assets.model.presets import WardrobeLook
from production_assets.model.render_job import CharacterPlacement

FRAME_PATTERN = re.compile(r"frame (\d+)/(\d+) rendered in [0-9.]+ s")
GREEN = (0.05, 0.8, 0.05)
GREEN_LOOK = WardrobeLook(primary_color=GREEN, secondary_color=GREEN, skin_color=GREEN)


def read_image(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"), dtype=np.float64)


def rendered_frames(stderr: str) -> list[int]:
    return [int(match.group(1)) for match in FRAME_PATTERN.finditer(stderr)]


def frame_files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def green_fraction(image: np.ndarray) -> float:
    """Share of pixels clearly dominated by green (the test wardrobe)."""
    red, green, blue = image[..., 0], image[..., 1], image[..., 2]
    return float(np.mean((green > red + 25) & (green > blue + 25)))


def test_worker_renders_frames_then_skips_them_on_rerun(tmp_path: Path) -> None:
    job = make_job(tmp_path / "shot", "medium", frame_count=2)
    job_path = write_job(job)

    first = run_worker(tmp_path, job_path)

    assert first.returncode == 0, first.stderr
    frames_dir = Path(job.frames_dir)
    assert frame_files(frames_dir) == ["frame_0001.png", "frame_0002.png"]
    for name in frame_files(frames_dir):
        with Image.open(frames_dir / name) as image:
            assert image.size == (64, 36)
            assert image.mode == "RGB"
        assert read_image(frames_dir / name).std() > 10
    assert rendered_frames(first.stderr) == [1, 2]
    log = json.loads((frames_dir.parent / "render_log.json").read_text())
    assert set(log["frame_seconds"]) == {"1", "2"}
    assert log["data_version"] == job.data_version
    published = {name: (frames_dir / name).stat().st_mtime_ns for name in frame_files(frames_dir)}

    second = run_worker(tmp_path, job_path)

    assert second.returncode == 0, second.stderr
    assert rendered_frames(second.stderr) == []
    assert "0 rendered, 2 skipped" in second.stderr
    assert {name: (frames_dir / name).stat().st_mtime_ns for name in frame_files(frames_dir)} == published


def test_killed_worker_resumes_with_only_the_missing_frames(tmp_path: Path) -> None:
    job = make_job(tmp_path / "shot", "medium", frame_count=6, resolution=(128, 72), samples=8)
    job_path = write_job(job)
    frames_dir, staging_dir = Path(job.frames_dir), Path(job.staging_dir)
    process = subprocess.Popen(
        worker_command(job_path), cwd=tmp_path, env=worker_env(), stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if frames_dir.is_dir() and len(list(frames_dir.glob("frame_*.png"))) >= 2:
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    before = frame_files(frames_dir)
    assert 2 <= len(before) < 6, "the worker should have been killed mid-shot"
    for name in before:
        assert re.fullmatch(r"frame_\d{4}\.png", name)
        with Image.open(frames_dir / name) as image:
            image.load()
            assert image.size == (128, 72)

    rerun = run_worker(tmp_path, job_path)

    assert rerun.returncode == 0, rerun.stderr
    missing = [frame for frame in range(1, 7) if f"frame_{frame:04d}.png" not in before]
    assert rendered_frames(rerun.stderr) == missing
    assert len(missing) == 6 - len(before)
    assert frame_files(frames_dir) == [f"frame_{frame:04d}.png" for frame in range(1, 7)]
    assert list(staging_dir.glob("frame_*")) == []


@pytest.fixture(scope="module")
def shot_images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, np.ndarray]:
    """One worker process renders several shots (the scene is reset between them)."""
    root = tmp_path_factory.mktemp("shots")
    jobs = {
        "cinematic": make_job(root / "cinematic", "medium", style="cinematic", samples=2),
        "noir": make_job(root / "noir", "medium", style="noir", samples=2),
        "wide_green": make_job(root / "wide_green", "wide", look=GREEN_LOOK, samples=2),
        "close_green": make_job(root / "close_green", "close_up", look=GREEN_LOOK, samples=2),
    }
    result = run_worker(root, *(write_job(job) for job in jobs.values()))
    assert result.returncode == 0, result.stderr
    return {name: read_image(Path(job.frames_dir) / "frame_0001.png") for name, job in jobs.items()}


def test_style_presets_change_the_image(shot_images: dict[str, np.ndarray]) -> None:
    difference = np.abs(shot_images["cinematic"] - shot_images["noir"]).mean()
    assert difference > 20


def test_close_up_fills_the_frame_with_the_character(shot_images: dict[str, np.ndarray]) -> None:
    close, wide = green_fraction(shot_images["close_green"]), green_fraction(shot_images["wide_green"])
    assert 0.0 < wide < 0.1
    assert close > 0.15
    assert close > 4 * wide


def test_unreadable_job_exits_2_with_one_line(tmp_path: Path) -> None:
    job_path = tmp_path / "job.json"
    job_path.write_text('{"shot_id": "x"}', encoding="utf-8")

    result = run_worker(tmp_path, job_path)

    assert result.returncode == 2
    assert re.fullmatch(r"render worker: error: job file .* is not a valid render job \(.+\)\n", result.stderr)


def test_failed_render_exits_1_with_one_line_and_publishes_nothing(tmp_path: Path) -> None:
    job = make_job(tmp_path / "shot", "medium")
    broken = CharacterPlacement(name="Ghost", model=str(tmp_path / "missing.glb"), look=job.characters[0].look)
    job = job.model_copy(update={"characters": [broken]})

    result = run_worker(tmp_path, write_job(job))

    assert result.returncode == 1
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("render worker: error:")]
    assert len(error_lines) == 1
    assert "missing.glb" in error_lines[0]
    assert not Path(job.frames_dir).exists() or frame_files(Path(job.frames_dir)) == []


def test_dagster_gets_the_frames_batched_while_the_render_log_keeps_one_line_a_frame() -> None:
    from production_assets.render.worker import FrameReport

    lines: list[str] = []
    report = FrameReport(lines.append, every=3600.0)
    report.frame(1, 3, 0.2)
    report.frame(2, 3, 0.4)
    assert lines == [], "nothing before the interval has passed"
    report.every = 0.0
    report.frame(3, 3, 0.3)
    assert lines == ["frames 1-3/3 rendered, 0.30 s a frame"]
    report.frame(1, 3, 0.25)  # a retry of a frame reports on its own
    assert lines[-1] == "frame 1/3 rendered in 0.25 s"
