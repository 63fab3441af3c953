"""Render shots with Blender: ``python -m production_assets.render.worker [--job JOB.json ...]``.

Without arguments the worker runs under Dagster Pipes: it reads the render job
from ``pipes.extras["job"]`` (and a prepared location .blend from
``pipes.extras["location_blend"]`` when given), logs the frames it rendered
to Dagster at most every :data:`FRAME_REPORT_SECONDS` (every log line is an
event Dagster stores: a line per frame would cost a long shot one write per
frame), and reports an asset materialization (frames, timings, resolution,
frames_dir, engine, samples, worker_rss_mb) with the job's data version: the
shot's summary in Dagster.

With ``--job`` it renders the given job file(s) standalone, one after another
in one process (scene data is purged between shots), printing progress to
stderr. ``--location-blend [LOCATION=]PATH`` (repeatable) sets up the set from
a prepared location .blend (``production_assets.render.prepare``): for every
job, or only for jobs whose ``location_name`` is LOCATION. Without it the set
is built in-process. Characters use ``CharacterPlacement.prepared_blend`` when
set. Frames already finished are skipped, so rerunning resumes.

Each shot's ``<frames_dir>/../render.log`` collects, appended per attempt, the
worker's lines and everything Blender prints (see
:mod:`production_assets.render.shot_log`); after a crash (segfault, out of
memory, killed) its tail names the last finished frame. Each shot ends with a
line ``shot ID: N rendered (S s a frame), M skipped, worker rss X MB`` (resident
memory; the pace only when frames were rendered); ``render.log`` and stderr get a
line per frame.

Exit status 0 on success, 1 when rendering fails (one-line message on
stderr), 2 on bad usage or an unreadable job; a crash exits with the signal's
negative status and leaves the finished frames in place.
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from production_assets.model.render_job import RenderJob
from production_assets.render.cli_common import (
    EXIT_FAILED,
    EXIT_USAGE,
    JobFileError,
    launched_by_pipes,
    load_job_file,
    one_line,
    parse_extra,
)
from production_assets.render.prepare_contract import ASSET_KEY_EXTRAS_KEY, LOCATION_BLEND_EXTRAS_KEY
from production_assets.render.shot_log import ShotLog, Sink, render_log_file

FrameCallback = Callable[[int, int, float], None]  # (frame, frames in the shot, seconds it took)
LocationBlends = dict[str | None, str]
FRAME_REPORT_SECONDS = 10.0


def frame_line(frame: int, total: int, seconds: float) -> str:
    return f"frame {frame}/{total} rendered in {seconds:.2f} s"


class FrameReport:
    """The frames rendered since the last report, as one line to ``sink`` once ``every`` seconds have passed
    (the shot's materialization covers the rest)."""

    def __init__(self, sink: Sink, every: float = FRAME_REPORT_SECONDS) -> None:
        self.sink = sink
        self.every = every
        self.pending: list[tuple[int, float]] = []
        self.last = time.monotonic()

    def frame(self, frame: int, total: int, seconds: float) -> None:
        self.pending.append((frame, seconds))
        if time.monotonic() - self.last < self.every:
            return
        first, last = self.pending[0][0], self.pending[-1][0]
        mean = sum(took for _, took in self.pending) / len(self.pending)
        if first == last:
            self.sink(frame_line(first, total, mean))
        else:
            self.sink(f"frames {first}-{last}/{total} rendered, {mean:.2f} s a frame")
        self.pending.clear()
        self.last = time.monotonic()


def render_job(job: RenderJob, on_frame: FrameCallback, location_blend: str | None = None) -> dict[str, Any]:
    """Build the shot, render the missing frames, and return the materialization metadata."""
    from production_assets.render.frames import render_frames
    from production_assets.render.shot import build_shot

    scene = build_shot(job, location_blend)
    result = render_frames(scene, job, on_frame)
    return materialization_metadata(job, len(result.rendered), len(result.skipped), result.render_seconds)


def render_logged(job: RenderJob, location_blend: str | None, sink: Sink | None = None) -> dict[str, Any]:
    """:func:`render_job` with the shot's ``render.log`` open, ending with the summary line; ``sink`` (Dagster's
    log) gets the frames batched (:class:`FrameReport`), each line naming the shot."""
    title = f"shot {job.shot_id} ({job.frame_count} frames, {job.engine}, data version {job.data_version})"
    to_dagster = sink or _no_sink
    report = FrameReport(lambda line: to_dagster(f"shot {job.shot_id}: {line}"))
    with ShotLog(render_log_file(job.frames_dir), title) as shot_log:
        if location_blend:
            shot_log.line(f"location from {location_blend}")

        def on_frame(frame: int, total: int, seconds: float) -> None:
            shot_log.line(frame_line(frame, total, seconds))
            report.frame(frame, total, seconds)

        metadata = render_job(job, on_frame, location_blend)
        metadata["worker_rss_mb"] = resident_memory_mb()
        rendered = metadata["frames_rendered"]
        pace = f" ({metadata['seconds_per_frame']:.2f} s a frame)" if rendered else ""
        summary = (
            f"shot {job.shot_id}: {rendered} rendered{pace}, {metadata['frames_skipped']} skipped, "
            f"worker rss {metadata['worker_rss_mb']:.1f} MB"
        )
        shot_log.line(summary)
    return metadata


def _no_sink(message: str) -> None:
    """Standalone (``--job``): render.log and stderr are the whole log."""


def materialization_metadata(job: RenderJob, rendered: int, skipped: int, render_seconds: float) -> dict[str, Any]:
    """The metadata reported to Dagster for one rendered shot."""
    width, height = job.resolution
    return {
        "frames": rendered + skipped,
        "frames_rendered": rendered,
        "frames_skipped": skipped,
        "resolution": f"{width}x{height}",
        "render_seconds": round(render_seconds, 3),
        "seconds_per_frame": round(render_seconds / rendered, 3) if rendered else 0.0,
        "frames_dir": job.frames_dir,
        "engine": job.engine,
        "samples": job.samples,
    }


def resident_memory_mb() -> float:
    """This process's resident memory (``VmRSS`` of /proc/self/status; peak RSS where /proc is missing)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024.0 * 1024.0) if sys.platform == "darwin" else peak / 1024.0


def parse_location_blends(values: list[str]) -> LocationBlends:
    """``PATH`` applies to every job (key None); ``LOCATION=PATH`` to jobs of that location."""
    blends: LocationBlends = {}
    for value in values:
        name, separator, path = value.partition("=")
        if separator and name and os.sep not in name:
            blends[name] = path
        else:
            blends[None] = value
    return blends


def location_blend_for(job: RenderJob, blends: LocationBlends) -> str | None:
    return blends.get(job.location_name, blends.get(None))


def load_job(path: str) -> RenderJob:
    """Read and validate a render job JSON file."""
    return load_job_file(path, RenderJob, "render job")


def run_standalone(job_paths: list[str], blends: LocationBlends | None = None) -> int:
    """Render job files one after another; the scene is reset between them."""
    try:
        jobs = [load_job(path) for path in job_paths]
    except JobFileError as error:
        print(f"render worker: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    for job in jobs:
        try:
            render_logged(job, location_blend_for(job, blends or {}))
        except Exception as error:  # noqa: BLE001 - any failure is reported as one line, never a traceback
            print(f"render worker: error: shot {job.shot_id!r} failed: {one_line(error)}", file=sys.stderr)
            return EXIT_FAILED
    return 0


def run_pipes(params_loader: Any = None) -> int:
    """Render the job passed through Dagster Pipes extras and report the materialization."""
    from dagster_pipes import open_dagster_pipes

    if params_loader is None and not launched_by_pipes():
        message = "render worker: error: not launched by Dagster Pipes; pass --job JOB.json to render standalone"
        print(message, file=sys.stderr)
        return EXIT_USAGE
    with open_dagster_pipes(params_loader=params_loader) as pipes:
        try:
            job = parse_extra(pipes.extras["job"], RenderJob)
            location_blend = pipes.extras.get(LOCATION_BLEND_EXTRAS_KEY) or None
            metadata = render_logged(job, location_blend, pipes.log.info)
        except Exception as error:  # noqa: BLE001 - reported to Dagster and as one line on stderr
            message = f"render worker: error: {one_line(error)}"
            pipes.log.error(message)
            print(message, file=sys.stderr)
            raise SystemExit(EXIT_FAILED) from None
        pipes.report_asset_materialization(
            metadata=metadata, data_version=job.data_version, asset_key=pipes.extras.get(ASSET_KEY_EXTRAS_KEY)
        )
    return 0


def run_server() -> int:
    """Serve one Pipes session per stdin line, in one process (bpy is imported once for many shots).

    Each line is ``{"env": {...}}``: the bootstrap variables of a Pipes session the
    orchestrator opened. The answer is ``{"done": EXIT_STATUS}`` on the original
    stdout, kept apart from the shot log's redirections of file descriptors 1 and 2.
    """
    from dagster_pipes import (
        PipesContext,
        PipesDefaultContextLoader,
        PipesDefaultMessageWriter,
        PipesMappingParamsLoader,
    )

    answers = os.fdopen(os.dup(1), "w", buffering=1)
    for line in sys.stdin:
        params = PipesMappingParamsLoader(json.loads(line)["env"])
        try:
            # open_dagster_pipes() hands back the process's current context, so each session sets its own.
            PipesContext.set(PipesContext(params, PipesDefaultContextLoader(), PipesDefaultMessageWriter()))
            code = run_pipes(params)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else EXIT_FAILED
        answers.write(json.dumps({"done": code}) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point: Pipes without arguments, standalone with ``--job``."""
    parser = argparse.ArgumentParser(
        prog="python -m production_assets.render.worker", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--job", action="append", metavar="JOB.json", help="render this job file (repeatable)")
    parser.add_argument(
        "--location-blend",
        action="append",
        default=[],
        metavar="[LOCATION=]PATH",
        help="prepared location .blend, for every job or for jobs of LOCATION (repeatable)",
    )
    parser.add_argument("--serve", action="store_true", help="serve Pipes sessions read from stdin (one per line)")
    args = parser.parse_args(argv)
    faulthandler.enable()
    if args.serve:
        return run_server()
    if args.job:
        return run_standalone(args.job, parse_location_blends(args.location_blend))
    if args.location_blend:
        parser.error("--location-blend needs --job (under Pipes pass extras['location_blend'])")
    return run_pipes()


if __name__ == "__main__":
    sys.exit(main())
