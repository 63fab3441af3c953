"""The frame loop: render each missing frame to staging, then publish it atomically.

Frames are ``frame_0001.png`` (1-based) in ``job.frames_dir``. A frame whose
final file exists is never rendered again, so a killed worker resumes where it
stopped. A frame is rendered into ``job.staging_dir``, fsynced, and renamed
into place, so ``frames_dir`` only ever holds complete images.

Fault injection, for tests only: ``PRODUCTION_RENDER_CRASH_AFTER_FRAME=N``
makes the worker call ``os.abort()`` right after publishing (and logging) the
N-th frame it renders, to exercise crash handling (exit status -6, SIGABRT);
with ``PRODUCTION_RENDER_CRASH_SHOT=ID`` only while rendering that shot.
"""

from __future__ import annotations

import glob
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import bpy

from production_assets.model.render_job import RenderJob
from production_assets.render.blend_files import fsync_path
from production_assets.render.render_log import RenderLog

FrameCallback = Callable[[int, int, float], None]
TEMP_SUFFIX = ".partial"
CRASH_AFTER_FRAME_ENV = "PRODUCTION_RENDER_CRASH_AFTER_FRAME"
CRASH_SHOT_ENV = "PRODUCTION_RENDER_CRASH_SHOT"


def frame_name(frame: int) -> str:
    """``frame_0001.png`` for frame 1."""
    return f"frame_{frame:04d}.png"


@dataclass
class FrameLoopResult:
    """What one pass over a shot's frames did."""

    rendered: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    seconds: dict[int, float] = field(default_factory=dict)

    @property
    def render_seconds(self) -> float:
        return sum(self.seconds.values())


def clean_staging(job: RenderJob) -> None:
    """Remove frames a previous, interrupted run left half-done in staging or half-copied."""
    if os.path.realpath(job.staging_dir) == os.path.realpath(job.frames_dir):
        raise ValueError(f"staging_dir and frames_dir must differ (both are {job.frames_dir!r})")
    shot_dir = os.path.dirname(os.path.abspath(job.frames_dir))
    patterns = [
        os.path.join(job.staging_dir, "frame_*.png*"),
        os.path.join(job.frames_dir, f".frame_*{TEMP_SUFFIX}"),
        os.path.join(shot_dir, ".render_log.*.tmp"),
    ]
    for pattern in patterns:
        for leftover in glob.glob(pattern):
            os.remove(leftover)


def render_frames(scene: bpy.types.Scene, job: RenderJob, on_frame: FrameCallback | None = None) -> FrameLoopResult:
    """Render every frame of the shot that is not finished yet, publishing each as it completes."""
    os.makedirs(job.frames_dir, exist_ok=True)
    os.makedirs(job.staging_dir, exist_ok=True)
    clean_staging(job)
    log = RenderLog.open(job)
    result = FrameLoopResult()
    crash_after = _crash_after_frames(job.shot_id)
    for frame in range(1, job.frame_count + 1):
        final_path = os.path.join(job.frames_dir, frame_name(frame))
        if os.path.exists(final_path):
            result.skipped.append(frame)
            continue
        seconds = render_one_frame(scene, frame, os.path.join(job.staging_dir, frame_name(frame)))
        publish(os.path.join(job.staging_dir, frame_name(frame)), final_path)
        result.rendered.append(frame)
        result.seconds[frame] = seconds
        log.record(frame, seconds)
        if on_frame is not None:
            on_frame(frame, job.frame_count, seconds)
        if len(result.rendered) == crash_after:
            os.abort()
    return result


def _crash_after_frames(shot_id: str) -> int | None:
    value = os.environ.get(CRASH_AFTER_FRAME_ENV, "")
    if os.environ.get(CRASH_SHOT_ENV, shot_id) != shot_id:
        return None
    return int(value) if value.isdigit() and int(value) > 0 else None


def render_one_frame(scene: bpy.types.Scene, frame: int, staging_path: str) -> float:
    """Render ``frame`` to ``staging_path`` and make it durable; return the seconds it took."""
    started = time.perf_counter()
    scene.frame_set(frame)
    scene.render.filepath = staging_path
    bpy.ops.render.render(write_still=True, scene=scene.name)
    if not os.path.isfile(staging_path):
        raise RuntimeError(f"Blender did not write frame {frame} to {staging_path}")
    fsync_path(staging_path)
    return time.perf_counter() - started


def publish(staging_path: str, final_path: str) -> None:
    """Move a finished frame into place atomically (copy first when staging is on another disk)."""
    try:
        os.replace(staging_path, final_path)
    except OSError:
        partial = os.path.join(os.path.dirname(final_path), f".{os.path.basename(final_path)}{TEMP_SUFFIX}")
        shutil.copyfile(staging_path, partial)
        fsync_path(partial)
        os.replace(partial, final_path)
        os.remove(staging_path)
    fsync_path(os.path.dirname(final_path))
