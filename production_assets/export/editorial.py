"""Editorial: the conformed film as an OpenTimelineIO timeline (.otio) and a CMX 3600 EDL.

One video track, one clip per shot in film order, each clip pointing at its
per-shot file (``shots/<shot_id>.<ext>``, a URL relative to the timeline) or,
when the output has no per-shot files, at the film with the shot's range.
Record and source timecodes start at 00:00:00:00, like the files themselves.

EDL reel names are at most 8 characters, so they are set explicitly: the first
four letters or digits of the shot id and four hex digits of its hash
(``s001_hero_cu_hero`` -> ``S001B7C2``). They stay the same when other shots
are added or removed, and are unique within a timeline.

The EDL is written by the ``otio-cmx3600-adapter`` package (OpenTimelineIO 0.18
no longer ships it); the ``.otio`` file needs only OpenTimelineIO.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import opentimelineio as otio

from production_assets.errors import ExportError
from production_assets.export.atomic import write_bytes_atomic

REEL_LENGTH = 8


@dataclass(frozen=True)
class EditorialClip:
    """One shot on the timeline: its media file and the frames used from it."""

    shot_id: str
    media: Path
    frames: int
    source_start: int = 0


def reel_names(shot_ids: Sequence[str]) -> dict[str, str]:
    """An explicit EDL reel name per shot: 8 characters, stable, unique within ``shot_ids``."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for shot_id in shot_ids:
        stem = re.sub(r"[^A-Za-z0-9]", "", shot_id).upper()[:4]
        salt = 0
        while True:
            digest = hashlib.sha1(f"{shot_id}:{salt}".encode()).hexdigest()[: REEL_LENGTH - len(stem)].upper()
            reel = stem + digest
            if reel not in taken:
                break
            salt += 1
        names[shot_id] = reel
        taken.add(reel)
    return names


def build_timeline(name: str, clips: Sequence[EditorialClip], fps: float, base: Path) -> otio.schema.Timeline:
    """The film as a timeline; media URLs are relative to ``base`` (the timeline's folder)."""
    timeline = otio.schema.Timeline(name=name)
    track = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    timeline.tracks.append(track)
    reels = reel_names([clip.shot_id for clip in clips])
    for clip in clips:
        media = otio.schema.ExternalReference(target_url=_relative_url(clip.media, base))
        item = otio.schema.Clip(
            name=clip.shot_id,
            media_reference=media,
            source_range=otio.opentime.TimeRange(
                otio.opentime.RationalTime(clip.source_start, fps), otio.opentime.RationalTime(clip.frames, fps)
            ),
        )
        item.metadata["cmx_3600"] = {"reel": reels[clip.shot_id]}
        item.metadata["production_assets"] = {"shot_id": clip.shot_id}
        track.append(item)
    return timeline


def _relative_url(media: Path, base: Path) -> str:
    try:
        return Path(media).resolve().relative_to(Path(base).resolve()).as_posix()
    except ValueError:
        return Path(media).resolve().as_uri()


def edl_text(timeline: otio.schema.Timeline, fps: float) -> str:
    """The timeline as a CMX 3600 EDL (avid style, explicit reel names)."""
    try:
        from otio_cmx3600_adapter import cmx_3600
    except ImportError:
        raise ExportError(
            "writing an EDL needs the otio-cmx3600-adapter package",
            suggestion="pip install otio-cmx3600-adapter",
        ) from None
    return cmx_3600.write_to_string(timeline, rate=fps, style="avid", reelname_len=REEL_LENGTH)


def editorial_paths(film: Path) -> tuple[Path, Path]:
    """Where the timeline and the EDL of ``film`` go: beside it, same stem."""
    return film.with_suffix(".otio"), film.with_suffix(".edl")


def editorial_files(name: str, film: Path, clips: Sequence[EditorialClip], fps: float) -> dict[Path, bytes]:
    """``<film stem>.otio`` and ``<film stem>.edl`` (beside the film) and their contents, not yet written."""
    otio_path, edl_path = editorial_paths(Path(film))
    timeline = build_timeline(name, clips, fps, otio_path.parent)
    return {
        otio_path: otio.adapters.write_to_string(timeline, "otio_json").encode(),
        edl_path: edl_text(timeline, fps).encode(),
    }


def write_editorial(name: str, film: Path, clips: Sequence[EditorialClip], fps: float) -> list[Path]:
    """Write the timeline and the EDL of ``film`` beside it, atomically."""
    files = editorial_files(name, film, clips, fps)
    for path, content in files.items():
        write_bytes_atomic(path, content)
    return list(files)
