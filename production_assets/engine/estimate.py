"""`production estimate`: seconds per phase, from recorded frame timings or a calibration render.

Recorded timings are the per-frame seconds in each shot version's ``render_log.json``
of earlier renders of this production on this machine. Without any, one frame
of the first shot is rendered for real (in a temporary folder) to calibrate.
Rendering with N workers of cores/N threads costs about the same wall time per
frame as one worker with every core, so the shots phase is frames x seconds
per frame plus each shot's worker start-up shared by the workers.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from production_assets.media.codecs import codec
from production_assets.model.resolved import ResolvedProduction
from production_assets.model.results import EXECUTION_PHASES
from production_assets.planning.staleness import ProductionPlan
from production_assets.planning.versions import render_job
from production_assets.storage.atomic import write_text_atomic

WORKER_STARTUP_SECONDS = 2.5  # a shot worker's Python, Dagster and bpy start-up (once per worker)
SHOT_SECONDS = 0.25  # per shot in a warm worker: scene from the prepared files, Pipes session, records
PHASE_OVERHEAD_SECONDS = {"validate": 0.2, "prepare": 0.8, "characters": 0.1, "locations": 0.1, "finalize": 0.5}
GRADE_SECONDS_PER_MEGAPIXEL = 0.03


@dataclass
class Estimate:
    phases: dict[str, float]
    source: str
    seconds_per_frame: float
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(self.phases.values())


TIMING_SAMPLE_SHOTS = 100


def recorded_seconds_per_frame(production: ResolvedProduction) -> float | None:
    """The median seconds a frame took in earlier renders, read from about :data:`TIMING_SAMPLE_SHOTS`
    shots spread over the film (every run plans with it: reading 10,000 shots' timings would cost seconds)."""
    samples: list[float] = []
    layout = production.layout
    shots = production.shots[:: max(1, len(production.shots) // TIMING_SAMPLE_SHOTS)]
    logs = (layout.render_timings(shot.id, version) for shot in shots for version in layout.render_versions(shot.id))
    for log in logs:
        try:
            samples.extend(float(s) for s in json.loads(log.read_text()).get("frame_seconds", {}).values())
        except (OSError, ValueError, AttributeError):
            continue
    return sorted(samples)[len(samples) // 2] if samples else None


def calibrate_seconds_per_frame(production: ResolvedProduction) -> tuple[float, float]:
    """Render one frame of the first shot for real; (seconds per frame, worker start-up seconds)."""
    shot = production.shots[0]
    with tempfile.TemporaryDirectory(prefix="calibrate-") as folder:
        job = render_job(production, shot.id).model_copy(
            update={"frame_count": 1, "frames_dir": f"{folder}/shot/frames", "staging_dir": f"{folder}/shot/.staging"}
        )
        job_file = Path(folder) / "job.json"
        write_text_atomic(job_file, job.model_dump_json())
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "production_assets.render.worker", "--job", str(job_file)],
            check=True,
            capture_output=True,
            timeout=600,
        )
        wall = time.monotonic() - started
        log = json.loads((Path(folder) / "shot" / "render_log.json").read_text())
        frame = float(next(iter(log["frame_seconds"].values())))
    return frame, max(0.0, wall - frame)


def estimate_production(
    production: ResolvedProduction, plan: ProductionPlan, workers: int, calibrate: bool = True
) -> Estimate:
    recorded = recorded_seconds_per_frame(production)
    startup = WORKER_STARTUP_SECONDS
    if recorded is not None:
        per_frame, source = recorded, "recorded timings of earlier renders"
    elif calibrate:
        per_frame, startup = calibrate_seconds_per_frame(production)
        source = "a calibration render of one frame"
    else:
        per_frame, source = 1.0, "a default guess (no timings, calibration skipped)"
    shots = plan.shots_to_run
    frames = plan.frames_to_render
    width, height = production.render.resolution
    render_megapixels = width * height / 1e6
    all_frames = production.total_frames
    phases = dict(PHASE_OVERHEAD_SECONDS)
    slots = max(1, min(workers, len(shots) or 1))
    # Rendering uses every core however many workers share them; per-shot work overlaps across workers.
    phases["shots"] = frames * per_frame + len(shots) * SHOT_SECONDS / slots + (startup if shots else 0.0)
    phases["post_process"] = sum(s.frame_count for s in shots) * render_megapixels * GRADE_SECONDS_PER_MEGAPIXEL
    export = 0.0
    if plan.deliver:
        for output in production.outputs:
            out_w, out_h = output.resolution
            export += all_frames * (out_w * out_h / 1e6) * codec(output.codec).encode_seconds_per_megapixel + 0.5
    phases["export"] = export
    ordered = {phase: round(phases.get(phase, 0.0), 2) for phase in EXECUTION_PHASES}
    return Estimate(ordered, source, round(per_frame, 3))
