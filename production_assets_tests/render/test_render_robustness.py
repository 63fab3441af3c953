"""A worker that renders many shots, crashes mid-shot, or runs other engines (real tiny renders)."""

from __future__ import annotations

import re
import signal
from pathlib import Path

import numpy as np
from PIL import Image
from render_jobs import make_job, run_worker, write_job

from production_assets.render.shot_log import read_log_tail

RSS_PATTERN = re.compile(r"shot (\S+): \d+ rendered(?: \([0-9.]+ s a frame\))?, \d+ skipped, worker rss ([0-9.]+) MB")
ALLOWED_GROWTH_MB = 30.0


def test_memory_stays_flat_across_many_shots_in_one_worker(tmp_path: Path) -> None:
    templates = ["medium", "wide", "close_up", "two_shot"]
    styles = ["cinematic", "noir"]
    jobs = [
        make_job(tmp_path / f"shot{index}", templates[index % 4], style=styles[index % 2], characters=1 + index % 2)
        for index in range(8)
    ]

    result = run_worker(tmp_path, *(write_job(job) for job in jobs))

    assert result.returncode == 0, result.stderr
    reports = RSS_PATTERN.findall(result.stderr)
    assert [shot for shot, _ in reports] == [job.shot_id for job in jobs]
    resident = [float(mb) for _, mb in reports]
    assert max(resident[2:]) - resident[1] < ALLOWED_GROWTH_MB, resident


def test_a_crashed_worker_keeps_finished_frames_and_its_log_names_the_last_frame(tmp_path: Path) -> None:
    job = make_job(tmp_path / "shot", "medium", frame_count=3)
    job_path = write_job(job)
    frames_dir = Path(job.frames_dir)

    crashed = run_worker(tmp_path, job_path, env={"PRODUCTION_RENDER_CRASH_AFTER_FRAME": "1"})

    assert crashed.returncode == -signal.SIGABRT
    assert sorted(path.name for path in frames_dir.iterdir()) == ["frame_0001.png"]
    tail = read_log_tail(str(frames_dir.parent / "render.log"), lines=20)
    assert re.findall(r"frame (\d+)/3 rendered", tail) == ["1"]
    assert "Fatal Python error: Aborted" in tail
    assert "Saved:" in tail, "Blender's own output belongs in render.log too"

    resumed = run_worker(tmp_path, job_path)

    assert resumed.returncode == 0, resumed.stderr
    assert sorted(path.name for path in frames_dir.iterdir()) == [f"frame_000{n}.png" for n in (1, 2, 3)]
    log = (frames_dir.parent / "render.log").read_text()
    assert log.count("==== ") >= 3
    assert log.rstrip().endswith("==== finished")


def test_a_failed_shot_writes_its_traceback_to_the_log_not_the_console(tmp_path: Path) -> None:
    job = make_job(tmp_path / "shot", "medium")
    job_path = write_job(job)

    result = run_worker(tmp_path, job_path, "--location-blend", str(tmp_path / "missing.blend"))

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "missing.blend" in result.stderr.splitlines()[-1]
    tail = read_log_tail(str(Path(job.frames_dir).parent / "render.log"))
    assert "Traceback" in tail
    assert "==== failed: LocationLoadError" in tail


def test_workbench_and_eevee_render_real_frames(tmp_path: Path) -> None:
    jobs = {
        engine: make_job(tmp_path / engine, "medium").model_copy(update={"engine": engine})
        for engine in ("workbench", "eevee", "cycles")
    }

    result = run_worker(tmp_path, *(write_job(job) for job in jobs.values()))

    assert result.returncode == 0, result.stderr
    images = {}
    for engine, job in jobs.items():
        with Image.open(Path(job.frames_dir) / "frame_0001.png") as image:
            assert image.size == (64, 36)
            images[engine] = np.asarray(image.convert("RGB"), dtype=np.float64)
        assert images[engine].std() > 10, engine
    assert np.abs(images["workbench"] - images["cycles"]).mean() > 5
