"""``render_log.json`` beside a shot's frames folder: seconds per frame, for time estimates.

Written atomically after every frame (temp file in the same folder, fsync,
``os.replace``), so a killed worker keeps the timings of the frames it finished.
Timings from an older data version are dropped: they measured a different shot.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from typing import Any

from production_assets.model.render_job import RenderJob


def render_log_path(job: RenderJob) -> str:
    """``<frames_dir>/../render_log.json``."""
    return os.path.join(os.path.dirname(os.path.abspath(job.frames_dir)), "render_log.json")


@dataclass
class RenderLog:
    """Per-frame render seconds of one shot, persisted on every change."""

    path: str
    header: dict[str, Any]
    frame_seconds: dict[str, float] = field(default_factory=dict)

    @classmethod
    def open(cls, job: RenderJob) -> RenderLog:
        """Load the shot's log, keeping earlier timings when they are for the same data version."""
        header = {
            "shot_id": job.shot_id,
            "data_version": job.data_version,
            "engine": job.engine,
            "samples": job.samples,
            "resolution": list(job.resolution),
            "frame_count": job.frame_count,
        }
        log = cls(render_log_path(job), header)
        previous = _read_json(log.path)
        if previous.get("data_version") == job.data_version and isinstance(previous.get("frame_seconds"), dict):
            log.frame_seconds = {str(key): float(value) for key, value in previous["frame_seconds"].items()}
        return log

    def record(self, frame: int, seconds: float) -> None:
        """Store one frame's time and rewrite the file."""
        self.frame_seconds[str(frame)] = round(seconds, 4)
        self.write()

    def as_dict(self) -> dict[str, Any]:
        timings = list(self.frame_seconds.values())
        mean = sum(timings) / len(timings) if timings else None
        return {**self.header, "frame_seconds": self.frame_seconds, "seconds_per_frame": mean}

    def write(self) -> None:
        atomic_write_json(self.path, self.as_dict())


def _read_json(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def atomic_write_json(path: str, data: dict[str, Any]) -> None:
    """Write JSON so readers see the old file or the new one, never a torn one."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    descriptor, temp_path = tempfile.mkstemp(prefix=".render_log.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, sort_keys=True)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_path, path)
    except BaseException:
        if os.path.exists(temp_path):
            os.remove(temp_path)
        raise
