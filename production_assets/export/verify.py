"""Checks on a built deliverable, for the blocking Dagster asset checks on each export.

:func:`verify_output` reads what the last build recorded (``build/exports/<output>.json``)
and the files themselves, and returns every problem as a sentence (an empty list
passes):

- video: the film and each per-shot clip decode with the output's codec and
  profile (H.264 High yuv420p; ProRes 4444 with alpha planes), resolution and
  frame rate; the film has as many frames as the shots together, each clip as
  many as its shot; a streaming ``.mp4`` has its index at the front (fast
  start); each has exactly one audio stream (AAC beside H.264, 24-bit PCM
  beside ProRes; 48 kHz stereo) lasting as long as its video, to within one
  frame, and a film whose record says ``audio: scratch`` is not silent (silence
  is a valid track otherwise); the timeline has one clip per shot, in order,
  with the shot's length;
- retro: each shot has one indexed PNG per frame at the output's resolution,
  every frame's colours are in the shot's palette file, the palette holds at
  most the format's colour count, and its colours are ones the console can
  show (BGR555 for the SNES, 9-bit for the Mega Drive, the fixed palettes).

The outcome is also recorded beside the export record, tied to that build, so
:func:`failed_outputs` can tell the manifest which outputs to leave out.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import opentimelineio as otio
from PIL import Image

from production_assets.export.deliver import export_record_path, read_export_record
from production_assets.export.probe import MediaInfo, probe_media
from production_assets.export.video import AUDIO_CHANNELS, AUDIO_SAMPLE_RATE
from production_assets.media.codecs import codec
from production_assets.media.rates import frame_rate_fraction
from production_assets.model.records import CheckRecord, ExportEntry, ExportRecord
from production_assets.model.resolved import ResolvedOutput, ResolvedProduction
from production_assets.post.palettes import (
    ADAPTIVE_PALETTES,
    FIXED_PALETTES,
    load_palette_file,
    snap_bgr555,
    snap_genesis,
)
from production_assets.storage.atomic import write_text_atomic

FPS_TOLERANCE = 1e-3


def verification_path(production: ResolvedProduction, output_name: str) -> Path:
    return production.layout.export_checks(output_name)


def _check_audio(info: MediaInfo, output: ResolvedOutput, name: str, label: str, spoken: bool) -> list[str]:
    if info.audio_streams != 1 or info.audio is None:
        return [f"{label} {name} has {info.audio_streams} audio streams, not 1"]
    audio = info.audio
    problems = []
    video = codec(output.codec).video
    assert video is not None
    expected = video.audio_codec
    if audio.codec != expected:
        problems.append(f"{label} {name} has {audio.codec} audio, not {expected}")
    if (audio.sample_rate, audio.channels) != (AUDIO_SAMPLE_RATE, AUDIO_CHANNELS):
        problems.append(
            f"{label} {name} has audio at {audio.sample_rate} Hz in {audio.channels} channels, "
            f"not {AUDIO_SAMPLE_RATE} Hz in {AUDIO_CHANNELS}"
        )
    frame = 1 / float(frame_rate_fraction(output.frame_rate))
    if abs(audio.duration - info.duration) > frame:
        problems.append(f"{label} {name} has {audio.duration:.3f} s of audio for {info.duration:.3f} s of video")
    if spoken and not audio.peak:
        problems.append(f"{label} {name} has a silent audio track, but a scratch read was asked for")
    return problems


def _check_video_file(path: Path, output: ResolvedOutput, frames: int, label: str, spoken: bool = False) -> list[str]:
    if not path.is_file():
        return [f"{label} {path} is missing"]
    try:
        info = probe_media(path)
    except (OSError, ValueError) as error:
        return [f"{label} {path.name} cannot be decoded: {error}"]
    video = codec(output.codec).video
    assert video is not None
    problems = []
    if (info.codec, info.profile) != (video.probed_codec, video.probed_profile):
        problems.append(
            f"{label} {path.name} is {info.codec} {info.profile}, not {video.probed_codec} {video.probed_profile}"
        )
    if info.pix_fmt not in video.probed_pix_fmts:
        problems.append(
            f"{label} {path.name} has pixel format {info.pix_fmt}, not {' or '.join(video.probed_pix_fmts)}"
        )
    if (info.width, info.height) != tuple(output.resolution):
        width, height = output.resolution
        problems.append(f"{label} {path.name} is {info.width}x{info.height}, not {width}x{height}")
    rate = float(frame_rate_fraction(output.frame_rate))
    if abs(info.fps - rate) > FPS_TOLERANCE:
        problems.append(f"{label} {path.name} runs at {info.fps:g} fps, not {rate:g}")
    if info.frames != frames:
        problems.append(f"{label} {path.name} has {info.frames} frames, the shots have {frames}")
    if video.fast_start and path.suffix.lower() == ".mp4" and not info.faststart:
        problems.append(f"{label} {path.name} has its index at the end (no fast start): players must download it all")
    return problems + _check_audio(info, output, path.name, label, spoken)


def _check_timeline(path: Path, production: ResolvedProduction) -> list[str]:
    if not path.is_file():
        return [f"timeline {path} is missing"]
    try:
        timeline = otio.adapters.read_from_file(str(path))
    except (otio.exceptions.OTIOError, ValueError) as error:
        return [f"timeline {path.name} cannot be read: {error}"]
    if not isinstance(timeline, otio.schema.Timeline):
        return [f"timeline {path.name} holds a {type(timeline).__name__}, not a timeline"]
    clips = [(clip.name, clip.source_range.duration.to_frames()) for clip in timeline.find_clips()]
    expected = [(shot.id, shot.frame_count) for shot in production.shots]
    if clips != expected:
        return [f"timeline {path.name} has clips {clips}, the film has {expected}"]
    return []


def _verify_video(production: ResolvedProduction, output: ResolvedOutput, record: ExportRecord) -> list[str]:
    films = record.of_role("film")
    if not films:
        return [f"output {output.name!r} has no film in its record"]
    spoken = record.audio == "scratch"
    problems = _check_video_file(Path(films[0].path), output, production.total_frames, "film", spoken)
    for entry in record.of_role("shot_clip"):
        shot = production.shot(entry.shot or "")
        problems += _check_video_file(Path(entry.path), output, shot.frame_count, f"clip of {shot.id}")
    for entry in record.of_role("timeline"):
        problems += _check_timeline(Path(entry.path), production)
    return problems


def console_colours_problem(palette_name: str | None, palette: np.ndarray) -> str | None:
    """Why ``palette`` cannot be shown by the console ``palette_name``, or None when it can."""
    key = (palette_name or "").lower()
    if key == "snes" and not np.array_equal(snap_bgr555(palette), palette):
        return "has colours outside the SNES's 15-bit BGR555 space"
    if key == "genesis" and not np.array_equal(snap_genesis(palette), palette):
        return "has colours outside the Mega Drive's 9-bit space"
    if key in FIXED_PALETTES:
        allowed = {tuple(colour) for colour in FIXED_PALETTES[key].tolist()}
        if any(tuple(colour) not in allowed for colour in palette.tolist()):
            return f"has colours that are not in the fixed {key} palette"
    return None


def colour_limit(output: ResolvedOutput) -> int:
    """The most colours a retro output may use."""
    key = (output.palette or "").lower()
    console = ADAPTIVE_PALETTES.get(key) or (len(FIXED_PALETTES[key]) if key in FIXED_PALETTES else 256)
    return min(output.colors or output.format.colors or console, console)


def _packed(rgb: np.ndarray) -> np.ndarray:
    rgb = rgb.reshape(-1, 3).astype(np.uint32)
    return (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]


def _verify_retro_shot(output: ResolvedOutput, shot_id: str, frame_count: int, entries: list[ExportEntry]) -> list[str]:
    label = f"shot {shot_id}"
    palettes = [Path(e.path) for e in entries if e.role == "palette"]
    frames = sorted(Path(e.path) for e in entries if e.role == "frame")
    if not palettes or not palettes[0].is_file():
        return [f"{label} has no palette file"]
    palette = load_palette_file(palettes[0])
    problems = []
    limit = colour_limit(output)
    if len(palette) > limit:
        problems.append(f"{label}'s palette has {len(palette)} colours, {output.format_name} allows {limit}")
    if reason := console_colours_problem(output.palette, palette):
        problems.append(f"{label}'s palette {reason}")
    if len(frames) != frame_count:
        problems.append(f"{label} has {len(frames)} frames, the shot has {frame_count}")
    allowed = _packed(palette)
    for frame in frames:
        if not frame.is_file():
            problems.append(f"{label} frame {frame.name} is missing")
            continue
        with Image.open(frame) as image:
            if image.size != tuple(output.resolution):
                width, height = output.resolution
                problems.append(f"{label} {frame.name} is {image.width}x{image.height}, not {width}x{height}")
            if image.mode != "P":
                problems.append(f"{label} {frame.name} is not an indexed PNG (mode {image.mode})")
            used = np.unique(_packed(np.asarray(image.convert("RGB"))))
        outside = np.setdiff1d(used, allowed)
        if len(outside):
            problems.append(
                f"{label} {frame.name} uses {len(outside)} colours outside the shot's palette "
                f"(first #{int(outside[0]):06x})"
            )
        if len(used) > limit:
            problems.append(f"{label} {frame.name} shows {len(used)} colours, {output.format_name} allows {limit}")
    return problems


def _verify_retro(production: ResolvedProduction, output: ResolvedOutput, record: ExportRecord) -> list[str]:
    problems = []
    for shot in production.shots:
        entries = [entry for entry in record.entries if entry.shot == shot.id]
        problems += _verify_retro_shot(output, shot.id, shot.frame_count, entries)
    return problems


def verify_output(production: ResolvedProduction, output: ResolvedOutput) -> list[str]:
    """Every problem with the built ``output``; an empty list means it passes. The outcome is recorded."""
    record = read_export_record(production, output.name)
    if record is None:
        missing = export_record_path(production, output.name)
        problems = [f"output {output.name!r} was never built ({missing} is missing)"]
    else:
        built = record.shots
        current = {shot.id: shot.frame_count for shot in production.shots}
        if built != current:
            problems = [f"output {output.name!r} was built from shots {built}, the production now has {current}"]
        elif output.kind == "video":
            problems = _verify_video(production, output, record)
        else:
            problems = _verify_retro(production, output, record)
    outcome = CheckRecord(output=output.name, build=record.build if record else None, problems=problems)
    write_text_atomic(verification_path(production, output.name), outcome.model_dump_json(indent=2))
    return problems


def last_verification(production: ResolvedProduction, output_name: str) -> list[str] | None:
    """The problems the last check found on the current build of ``output_name``; None when it was not checked."""
    path = verification_path(production, output_name)
    record = read_export_record(production, output_name)
    if not path.is_file() or record is None:
        return None
    try:
        outcome = CheckRecord.model_validate_json(path.read_bytes())
    except (OSError, ValueError):
        return None
    return outcome.problems if outcome.build == record.build else None


def failed_outputs(production: ResolvedProduction) -> frozenset[str]:
    """Outputs whose last check, on their current build, found problems."""
    return frozenset(output.name for output in production.outputs if last_verification(production, output.name))
