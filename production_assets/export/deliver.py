"""Build one deliverable from the graded shots, in film order.

Video outputs (H.264, ProRes 4444) are encoded with PyAV into one conformed
film; retro outputs become per-shot indexed PNG frames, a GIF, a sprite sheet,
the palette and upscaled previews. Every file is written beside its target and
renamed into place when complete.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from production_assets.errors import ExportError, ProductionError
from production_assets.export.atomic import write_text_atomic
from production_assets.export.fit import fit_frame
from production_assets.export.frames import read_frame
from production_assets.export.retro_files import write_retro_shot
from production_assets.export.video import encode_video
from production_assets.model.resolved import ResolvedOutput, ResolvedProduction
from production_assets.hashing import hash_json
from production_assets.post.retro import convert_shot
from production_assets.post.shot_grading import graded_frames

VIDEO_EXTENSIONS = {"h264": ".mp4", "prores_4444": ".mov"}


@dataclass(frozen=True)
class Delivered:
    files: list[Path]
    frames: int
    digest: str


def shot_versions(production: ResolvedProduction) -> dict[str, str]:
    """Each shot's render data version, as recorded beside its frames."""
    versions = {}
    for shot in production.shots:
        job_file = production.shot_dir(shot.id) / "render_job.json"
        versions[shot.id] = json.loads(job_file.read_text())["data_version"] if job_file.is_file() else "missing"
    return versions


def export_record_path(production: ResolvedProduction, output_name: str) -> Path:
    return production.build_dir / "exports" / f"{output_name}.json"


def _film_frames(production: ResolvedProduction, output: ResolvedOutput, shots: dict[str, list[Path]]) -> Iterator[np.ndarray]:
    for frames in shots.values():
        for frame in frames:
            yield fit_frame(read_frame(frame), output.resolution, output.fit)


def deliver_output(production: ResolvedProduction, output: ResolvedOutput) -> Delivered:
    try:
        shots = {shot.id: graded_frames(production, shot.id) for shot in production.shots}
    except ProductionError as error:
        raise ExportError(f"output {output.name!r} cannot be built: {error.message}", suggestion=error.suggestion) from None
    folder = Path(output.path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if output.kind == "video":
            film = folder / f"{production.slug}{VIDEO_EXTENSIONS[output.codec]}"
            encode_video(_film_frames(production, output, shots), film, output.codec, output.frame_rate, output.format.bitrate)
            files = [film]
        else:
            files = []
            for shot_id, frames in shots.items():
                retro = convert_shot(
                    [read_frame(frame) for frame in frames],
                    output.palette or "snes",
                    output.dither,
                    output.colors,
                    output.resolution,
                    output.fit,
                )
                files.extend(write_retro_shot(retro, folder / shot_id, shot_id, output.frame_rate, output.pixel_scale))
    except OSError as error:
        raise ExportError(f"output {output.name!r} could not be written to {folder}: {error.strerror or error}") from None
    frames = sum(len(frames) for frames in shots.values())
    digest = hash_json([output.model_dump(mode="json"), shot_versions(production)])
    record = {"output": output.name, "files": [str(f) for f in files], "frames": frames, "digest": digest}
    write_text_atomic(export_record_path(production, output.name), json.dumps(record, indent=2))
    return Delivered(files, frames, digest)
