"""Editorial: the conformed film as an OpenTimelineIO timeline (.otio) and a CMX 3600 EDL.

One video track, one clip per shot in film order, each clip pointing at its
per-shot file (``shots/<shot_id>.<ext>``, a URL relative to the timeline) or,
when the output has no per-shot files, at the film with the shot's range.
Record and source timecodes start at 00:00:00:00, like the files themselves.
The timeline runs at the film's exact rate (23.976 -> 24000/1001).

Dialogue rides along: each cue is a marker on the timeline (its stack: name =
speaker, comment = the words, marked range = the cue's time, metadata = line,
off-screen, character; green, or blue for off-screen voices), and a comment
after the EDL event the cue starts in:
``* DIALOGUE 00:00:01:12 JO (O.S.): Where were you?`` (record timecode). The
comment starts with ``DIALOGUE`` so no speaker's name reads as one of the
comments the CMX 3600 adapter interprets (``LOC``, ``M2``, ``FROM CLIP``).

EDL timecode is SMPTE: 23.976, 24, 25, 29.97 (drop frame), 30, 47.952, 48, 50,
59.94 (drop frame) or 60 fps (:func:`edl_timecode_rate`). A film at another
rate gets the lowest of those that is a whole multiple of it (12 and 6 fps ->
24, 7.5 and 15 fps -> 30, 12.5 -> 25), each film frame lasting that many
timecode frames, so every cut falls on a timecode frame. A film at a rate with
no such multiple (120, 240, 7.3 fps) gets no EDL, only the timeline. The EDL
says which timecode it counts in (``FCM: DROP FRAME`` or ``NON-DROP FRAME``).

EDL reel names are at most 8 characters, so they are set explicitly: the first
four letters or digits of the shot id and four hex digits of its hash
(``s001_hero_cu_hero`` -> ``S001B7C2``). They stay the same when other shots
are added or removed, and are unique within a timeline.

CMX 3600 numbers events 001 to 999, so a film of more shots gets its EDL in
parts of at most 999 events (``<stem>_part01.edl``, ...), each titled "part N
of M", its record timecode running on from the part before.

The EDL is written by the ``otio-cmx3600-adapter`` package (OpenTimelineIO 0.18
no longer ships it); the ``.otio`` file needs only OpenTimelineIO.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import opentimelineio as otio

from production_assets.errors import ExportError
from production_assets.export.dialogue import DialogueCue, in_film_order
from production_assets.media.rates import DROP_FRAME_RATES, edl_timecode_rate, frame_rate_fraction

REEL_LENGTH = 8
EDL_EVENTS = 999  # CMX 3600 numbers its events 001-999
DIALOGUE_MARKER_COLOURS = {False: otio.schema.MarkerColor.GREEN, True: otio.schema.MarkerColor.BLUE}


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


def dialogue_marker(cue: DialogueCue, rate: float) -> otio.schema.Marker:
    """``cue`` as a timeline marker: the speaker, the words, the cue's time, line and off-screen as metadata."""
    return otio.schema.Marker(
        name=cue.speaker,
        marked_range=otio.opentime.TimeRange(
            otio.opentime.RationalTime.from_seconds(cue.start, rate),
            otio.opentime.RationalTime.from_seconds(cue.end - cue.start, rate),
        ),
        color=DIALOGUE_MARKER_COLOURS[cue.off_screen],
        comment=cue.text,
        metadata={
            "production_assets": {
                "dialogue": {"line": cue.line, "off_screen": cue.off_screen, "character": cue.character}
            }
        },
    )


def build_timeline(
    name: str, clips: Sequence[EditorialClip], fps: float, base: Path, cues: Sequence[DialogueCue] = ()
) -> otio.schema.Timeline:
    """The film as a timeline at its exact rate, with ``cues`` as markers; media URLs are relative to ``base``
    (the timeline's folder)."""
    fps = float(frame_rate_fraction(fps))
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
    for cue in in_film_order(cues):
        timeline.tracks.markers.append(dialogue_marker(cue, fps))
    return timeline


def _relative_url(media: Path, base: Path) -> str:
    try:
        return Path(media).resolve().relative_to(Path(base).resolve()).as_posix()
    except ValueError:
        return Path(media).resolve().as_uri()


def _dialogue_comment(cue: DialogueCue, timecode_rate: float) -> str:
    frame = math.floor(cue.start * timecode_rate + 1e-6)
    timecode = otio.opentime.to_timecode(otio.opentime.RationalTime(frame, timecode_rate), timecode_rate)
    speaker = cue.speaker.upper() + (" (O.S.)" if cue.off_screen else "")
    return f"DIALOGUE {timecode} {speaker}: {cue.text}"


def _with_dialogue_comments(
    timeline: otio.schema.Timeline, cues: Sequence[DialogueCue], timecode_rate: float
) -> otio.schema.Timeline:
    """A copy of ``timeline`` whose clips carry, as CMX 3600 comments, the cues that start in them."""
    timeline = timeline.deepcopy()
    clips = list(timeline.find_clips())
    if not clips:
        return timeline
    ends = list(itertools.accumulate(clip.duration().to_seconds() for clip in clips))
    comments: dict[int, list[str]] = {}
    for cue in in_film_order(cues):
        index = next((number for number, end in enumerate(ends) if cue.start < end), len(clips) - 1)
        comments.setdefault(index, []).append(_dialogue_comment(cue, timecode_rate))
    for index, lines in comments.items():
        cmx = dict(clips[index].metadata.get("cmx_3600", {}))
        cmx["comments"] = [*cmx.get("comments", []), *lines]
        clips[index].metadata["cmx_3600"] = cmx
    return timeline


def edl_texts(timeline: otio.schema.Timeline, fps: float, cues: Sequence[DialogueCue] = ()) -> list[str]:
    """The timeline as CMX 3600 EDLs (avid style, explicit reel names) with ``cues`` as comments: one, or
    for more than :data:`EDL_EVENTS` clips, parts of that many whose record timecode runs on.

    Raises :class:`ExportError` when ``fps`` has no EDL timecode (:func:`edl_timecode_rate`).
    """
    try:
        from otio_cmx3600_adapter import cmx_3600
    except ImportError:
        raise ExportError(
            "writing an EDL needs the otio-cmx3600-adapter package",
            suggestion="pip install otio-cmx3600-adapter",
        ) from None
    timecode_rate = edl_timecode_rate(fps)
    if timecode_rate is None:
        raise ExportError(
            f"a film at {fps:g} fps cannot be described by a CMX 3600 EDL: "
            "no SMPTE timecode rate is a whole multiple of it",
            suggestion="use the .otio timeline, or a frame rate such as 12, 24, 25, 30 or 60",
        )
    commented = _with_dialogue_comments(timeline, cues, timecode_rate)  # held: its clips' track is their parent
    clips = list(commented.find_clips())
    count = max(1, math.ceil(len(clips) / EDL_EVENTS))
    drop = any(abs(timecode_rate - float(rate)) < 1e-9 for rate in DROP_FRAME_RATES)
    frame_code_mode = f"FCM: {'DROP FRAME' if drop else 'NON-DROP FRAME'}"
    texts = []
    for number in range(count):
        title = timeline.name if count == 1 else f"{timeline.name} (part {number + 1} of {count})"
        part = _edl_part(title, clips[number * EDL_EVENTS : (number + 1) * EDL_EVENTS])
        text = cmx_3600.write_to_string(part, rate=timecode_rate, style="avid", reelname_len=REEL_LENGTH)
        if text.startswith("TITLE:"):
            title, rest = text.split("\n", 1)
            texts.append(f"{title}\n{frame_code_mode}\n{rest}")
        else:
            texts.append(f"{frame_code_mode}\n\n{text}")
    return texts


def _edl_part(title: str, clips: list[otio.schema.Clip]) -> otio.schema.Timeline:
    """A timeline of copies of ``clips`` (neighbours on one track) whose record timecode starts where the first
    of them does on that track: a gap before them, which an EDL writes as no event."""
    part = otio.schema.Timeline(name=title)
    track = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    start = clips[0].range_in_parent().start_time if clips else None
    if start is not None and start.value > 0:
        track.append(otio.schema.Gap(source_range=otio.opentime.TimeRange(duration=start)))
    for clip in clips:
        track.append(clip.deepcopy())
    part.tracks.append(track)
    return part


def edl_paths(film: Path, parts: int) -> list[Path]:
    """Where the EDL of ``film`` goes, beside it: ``<stem>.edl``, or ``<stem>_part01.edl``... for ``parts``."""
    if parts == 1:
        return [film.with_suffix(".edl")]
    width = max(2, len(str(parts)))
    return [film.with_name(f"{film.stem}_part{number:0{width}d}.edl") for number in range(1, parts + 1)]


def editorial_files(
    name: str, film: Path, clips: Sequence[EditorialClip], fps: float, cues: Sequence[DialogueCue] = ()
) -> dict[Path, bytes]:
    """``<film stem>.otio`` and, when the rate has EDL timecode, ``<film stem>.edl`` (or its parts, see
    :func:`edl_texts`) beside the film, and their contents, not yet written; ``cues`` become markers and
    EDL comments."""
    otio_path = Path(film).with_suffix(".otio")
    timeline = build_timeline(name, clips, fps, otio_path.parent, cues)
    files = {otio_path: otio.adapters.write_to_string(timeline, "otio_json").encode()}
    if edl_timecode_rate(fps) is not None:
        texts = edl_texts(timeline, fps, cues)
        files.update((path, text.encode()) for path, text in zip(edl_paths(Path(film), len(texts)), texts, strict=True))
    return files
