"""Build one deliverable from the graded shots, in film order.

Video outputs (H.264, ProRes 4444) are encoded with PyAV: the conformed film with
its audio track (silence, or the scratch read of the dialogue), optionally a clip
per shot (``<output>/shots/<shot_id>.<ext>``; always for ProRes 4444 masters, on
request for the others), the film's editorial timeline (``.otio``, dialogue as
markers), its CMX 3600 EDL (when the frame rate has SMPTE timecode) and its
subtitles (``.srt``, ``.vtt``; burned into the picture on request). Film, clips
and companions come from one pass over the frames and are published together. Retro outputs become per-shot
indexed PNG frames, a GIF, a sprite sheet, the palette and upscaled previews,
staged for every shot and published together when all are complete.

Every file is written beside its target and renamed into place when complete.
What was built is recorded in ``build/exports/<output>.json``: every file with
its role (and shot), the frames per shot, the shot data versions and the
production version it was built from; the manifest and the checks read it.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from production_assets.errors import ExportError, ProductionError
from production_assets.export.audio import dialogue_track
from production_assets.export.burn_in import SubtitleBurner, burned_frames
from production_assets.export.editorial import EditorialClip, editorial_files
from production_assets.export.film_dialogue import film_cues
from production_assets.export.retro_files import PREVIEW_FOLDER, write_retro_shot
from production_assets.export.subtitles import subtitle_files
from production_assets.export.video import encode_film_and_clips
from production_assets.hashing import hash_json
from production_assets.media.codecs import codec
from production_assets.media.rates import frame_rate_fraction
from production_assets.model.records import ExportEntry, ExportRecord
from production_assets.model.resolved import ResolvedOutput, ResolvedProduction
from production_assets.post.fit import fit_frame
from production_assets.post.retro import convert_shot
from production_assets.post.shot_grading import graded_frames
from production_assets.storage.atomic import check_publishing, staged_files, write_text_atomic
from production_assets.storage.frames import read_frame, read_pixels

COMPANION_ROLES = {".otio": "timeline", ".edl": "edl", ".srt": "subtitles", ".vtt": "subtitles"}
SHOTS_FOLDER = "shots"


@dataclass(frozen=True)
class Delivered:
    files: list[Path]
    frames: int
    digest: str
    roles: dict[Path, str] = field(default_factory=dict)
    shot_frames: dict[str, int] = field(default_factory=dict)


def output_digest(production: ResolvedProduction, output: ResolvedOutput, versions: dict[str, str]) -> str:
    """What an output was built from: its settings, every shot's published graded version and the dialogue
    heard over the cut (a line's words can change while its shots' frames do not: its subtitles and
    scratch read must be rebuilt all the same)."""
    dialogue = [[line.model_dump(mode="json") for line in shot.lines] for shot in production.shots]
    return hash_json([output.model_dump(mode="json"), versions, dialogue, production.scratch_audio])


BITRATE_REFERENCE_FPS = 24.0
MIN_BITRATE = 250_000  # below this, H.264 smears small frames (headers and motion cost the same at any size)


def output_bitrate(output: ResolvedOutput) -> int:
    """The format's bitrate (0: constant quality), which is for its own resolution at 24 fps, scaled to the
    pixels an output sends each second (at least ``MIN_BITRATE``): a 1080p streaming format delivered at
    640x360 and 6 fps needs a 36th of it, not a film ten times the size it needs to be."""
    bitrate = output.format.bitrate
    if not bitrate:
        return 0
    width, height = output.resolution
    format_width, format_height = output.format.resolution
    scale = (width * height) / (format_width * format_height) * output.frame_rate / BITRATE_REFERENCE_FPS
    return max(MIN_BITRATE, round(bitrate * scale))


def export_record_path(production: ResolvedProduction, output_name: str) -> Path:
    return production.layout.export_record(output_name)


def read_export_record(production: ResolvedProduction, output_name: str) -> ExportRecord | None:
    """What the last successful build of ``output_name`` wrote, or None when it was never built (or its record
    does not read: the output is built again)."""
    try:
        return ExportRecord.model_validate_json(production.layout.export_record(output_name).read_bytes())
    except (OSError, ValueError):
        return None


def wants_shot_clips(output: ResolvedOutput) -> bool:
    """Per-shot clips: the output's ``shot_clips`` when given, else the codec's default (masters have them)."""
    return codec(output.codec).shot_clips_by_default if output.shot_clips is None else output.shot_clips


def film_path(production: ResolvedProduction, output: ResolvedOutput) -> Path:
    return Path(output.path) / f"{production.slug}{codec(output.codec).extension}"


def clip_path(output: ResolvedOutput, shot_id: str) -> Path:
    return Path(output.path) / SHOTS_FOLDER / f"{shot_id}{codec(output.codec).extension}"


def _shot_frames(output: ResolvedOutput, frames: list[Path]) -> Iterator[np.ndarray]:
    video = codec(output.codec).video
    keep_alpha = video is not None and video.alpha
    for frame in frames:
        check_publishing()  # an interrupted export stops here, not after the whole encode
        pixels = read_pixels(frame) if keep_alpha else read_frame(frame)
        yield fit_frame(pixels, output.resolution, output.fit)


def _deliver_video(
    production: ResolvedProduction, output: ResolvedOutput, shots: dict[str, list[Path]], clips_wanted: bool
) -> tuple[dict[Path, str], str]:
    """Encode the film (and clips) with its timeline, EDL, subtitles and audio; (roles, audio kind)."""
    film = film_path(production, output)
    clips = {shot_id: clip_path(output, shot_id) for shot_id in shots} if clips_wanted else {}
    cues = film_cues(production, production.shots, output.frame_rate)
    editorial: list[EditorialClip] = []
    firsts: dict[str, int] = {}
    start = 0
    for shot_id, frames in shots.items():
        if clips_wanted:
            editorial.append(EditorialClip(shot_id, clips[shot_id], len(frames)))
        else:
            editorial.append(EditorialClip(shot_id, film, len(frames), source_start=start))
        firsts[shot_id] = start
        start += len(frames)
    companions = editorial_files(production.title, film, editorial, output.frame_rate, cues)
    if output.subtitles != "none" and cues:
        companions.update(subtitle_files(film, cues, speakers=output.subtitle_speakers))
    burner = SubtitleBurner(cues, speakers=output.subtitle_speakers) if output.subtitles == "burn_in" and cues else None
    audio = None
    if production.scratch_audio and cues:
        seconds = start / float(frame_rate_fraction(output.frame_rate))
        audio = dialogue_track(cues, seconds, cache_dir=production.layout.audio_cache())

    def pictures(shot_id: str, frames: list[Path]) -> Iterator[np.ndarray]:
        fitted = _shot_frames(output, frames)
        return burned_frames(fitted, burner, output.frame_rate, firsts[shot_id]) if burner else fitted

    encode_film_and_clips(
        ((shot_id, pictures(shot_id, frames)) for shot_id, frames in shots.items()),
        film,
        clips,
        output.codec,  # type: ignore[arg-type]
        output.frame_rate,
        output_bitrate(output),
        companions,
        audio=audio,
    )
    roles = {film: "film", **{path: "shot_clip" for path in clips.values()}}
    roles.update({path: COMPANION_ROLES[path.suffix] for path in companions})
    return roles, "scratch" if audio is not None else "silent"


def retro_role(path: Path) -> str:
    """What a retro file is, from its name: frame, preview, gif, sprite_sheet or palette."""
    if path.parent.name == PREVIEW_FOLDER:
        return "preview"
    if path.suffix == ".gif":
        return "gif"
    if path.suffix == ".gpl":
        return "palette"
    if path.stem.endswith("_sheet"):
        return "sprite_sheet"
    return "frame"


def _retire_previous_build(production: ResolvedProduction, output: ResolvedOutput, keep: set[Path]) -> None:
    """Forget ``output``'s last build and delete its files that the new build does not replace.

    Called just before a retro output is published: publishing renames file by
    file, so until the new record is written nothing (manifest, checks,
    staleness) may take this output as built. Only files the old record lists,
    inside the output's folder, are deleted (frames of a shot that got shorter,
    the folder of a shot that left the film, once empty).
    """
    previous = read_export_record(production, output.name)
    production.layout.export_record(output.name).unlink(missing_ok=True)
    folder = Path(output.path)
    for name in previous.files if previous else []:
        path = Path(name)
        if path in keep or not path.is_relative_to(folder):
            continue
        path.unlink(missing_ok=True)
        for parent in path.parents:
            if parent == folder or not parent.is_relative_to(folder):
                break
            with contextlib.suppress(OSError):  # not empty: other files still live there
                parent.rmdir()


def _deliver_retro(
    production: ResolvedProduction, output: ResolvedOutput, shots: dict[str, list[Path]]
) -> dict[Path, str]:
    """Every shot's files are written to one staging folder and published together once all are
    complete: a failure on the way leaves the previous build whole and nothing new visible."""
    with staged_files(Path(output.path)) as staging:
        staged: list[Path] = []
        for shot_id, frames in shots.items():
            retro = convert_shot(
                [read_frame(frame) for frame in frames],
                output.palette or "snes",
                output.dither,
                output.colors,
                output.resolution,
                output.fit,
            )
            staged += write_retro_shot(retro, staging.folder / shot_id, shot_id, output.frame_rate, output.pixel_scale)
        roles = {staging.target_of(path): retro_role(path) for path in staged}
        _retire_previous_build(production, output, keep=set(roles))
    return roles


def _shot_of(path: Path, output: ResolvedOutput, shot_ids: set[str]) -> str | None:
    if path.parent.name == SHOTS_FOLDER and path.stem in shot_ids:
        return path.stem
    relative = path.relative_to(Path(output.path)) if path.is_relative_to(Path(output.path)) else path
    return relative.parts[0] if output.kind == "retro" and relative.parts and relative.parts[0] in shot_ids else None


def deliver_output(
    production: ResolvedProduction, output: ResolvedOutput, versions: dict[str, str], shot_clips: bool | None = None
) -> Delivered:
    """Build ``output`` from every shot's graded frames of its published graded version (``versions``:
    shot id -> graded version, as Dagster recorded them); ``shot_clips`` overrides :func:`wants_shot_clips`."""
    started = time.monotonic()
    try:
        shots = {
            shot.id: graded_frames(production, shot.id, versions.get(shot.id, "missing")) for shot in production.shots
        }
    except ProductionError as error:
        raise ExportError(
            f"output {output.name!r} cannot be built: {error.message}", suggestion=error.suggestion
        ) from None
    folder = Path(output.path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        audio_kind = None
        if output.kind == "video":
            clips_wanted = wants_shot_clips(output) if shot_clips is None else shot_clips
            roles, audio_kind = _deliver_video(production, output, shots, clips_wanted)
        else:
            roles = _deliver_retro(production, output, shots)
    except OSError as error:
        raise ExportError(
            f"output {output.name!r} could not be written to {folder}: {error.strerror or error}"
        ) from None
    files = list(roles)
    frames = {shot_id: len(paths) for shot_id, paths in shots.items()}
    # The same formula as orchestration.staleness uses to tell whether deliverables are up to date.
    digest = output_digest(production, output, versions)
    record = ExportRecord(
        output=output.name,
        format=output.format_name,
        kind=output.kind,
        codec=output.codec,
        entries=[
            ExportEntry(path=str(path), role=role, shot=_shot_of(path, output, set(shots)))
            for path, role in roles.items()
        ],  # type: ignore[arg-type]
        shots=frames,
        frames=sum(frames.values()),
        digest=digest,
        shot_versions=versions,
        audio=audio_kind,
        subtitles=output.subtitles if output.kind == "video" else None,
        production_version=production.version,
        build=secrets.token_hex(8),
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        seconds=round(time.monotonic() - started, 3),
    )
    write_text_atomic(production.layout.export_record(output.name), record.model_dump_json(indent=2))
    return Delivered(files, record.frames, digest, roles, frames)
