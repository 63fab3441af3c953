"""What a media file really holds: codec, profile, pixel format, size, decoded
frame count, frame rate, duration, whether the MP4/MOV index is at the front,
and its audio: how many audio streams, and the first one's codec, sample rate,
channels, duration and (when decoded) peak level."""

from __future__ import annotations

import struct
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from pydantic import BaseModel, ConfigDict


class AudioInfo(BaseModel):
    """The first audio stream of a file."""

    model_config = ConfigDict(frozen=True)

    codec: str
    sample_rate: int
    channels: int
    duration: float
    peak: float | None = None  # the largest sample magnitude (0-1), when the stream was decoded


class MediaInfo(BaseModel):
    """The first video stream of a file, as decoded, and its audio."""

    model_config = ConfigDict(frozen=True)

    codec: str
    profile: str | None
    pix_fmt: str | None
    width: int
    height: int
    frames: int
    fps: float
    duration: float
    faststart: bool | None  # None for containers without top-level atoms
    audio_streams: int = 0
    audio: AudioInfo | None = None


def top_level_atoms(path: Path) -> list[str]:
    """The types of the top-level atoms (boxes) of an MP4/MOV file, in file order."""
    atoms = []
    size_of_file = Path(path).stat().st_size
    with open(path, "rb") as handle:
        position = 0
        while position + 8 <= size_of_file:
            handle.seek(position)
            size, kind = struct.unpack(">I4s", handle.read(8))
            if size == 1:
                (size,) = struct.unpack(">Q", handle.read(8))
            elif size == 0:
                size = size_of_file - position
            if size < 8:
                break
            atoms.append(kind.decode("latin-1"))
            position += size
    return atoms


def _faststart(path: Path) -> bool | None:
    if path.suffix.lower() not in (".mp4", ".mov", ".m4v"):
        return None
    atoms = top_level_atoms(path)
    if "moov" not in atoms or "mdat" not in atoms:
        return False
    return atoms.index("moov") < atoms.index("mdat")


def _stream_seconds(stream: av.stream.Stream, container: av.container.InputContainer) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def _peak(path: Path) -> float:
    """The largest sample magnitude of the first audio stream, decoded, as a share of full scale."""
    peak = 0.0
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            samples = frame.to_ndarray()
            if np.issubdtype(samples.dtype, np.integer):
                samples = samples / float(np.iinfo(samples.dtype).max)
            peak = max(peak, float(np.abs(samples).max(initial=0)))
    return peak


def _audio(path: Path, container: av.container.InputContainer, decode: bool) -> AudioInfo | None:
    if not container.streams.audio:
        return None
    stream = container.streams.audio[0]
    context = stream.codec_context
    return AudioInfo(
        codec=context.name,
        sample_rate=context.sample_rate,
        channels=context.layout.nb_channels,
        duration=_stream_seconds(stream, container) or 0.0,
        peak=_peak(path) if decode else None,
    )


def probe_media(path: Path, decode: bool = True) -> MediaInfo:
    """Open ``path``, decode its first video stream and describe it, with its first audio stream.

    ``decode=False`` counts packets instead of decoded frames: much faster, and
    the same count for the files written here (one packet per frame); the audio
    is then not decoded either (no peak level).
    """
    path = Path(path)
    with av.open(str(path)) as container:
        if not container.streams.video:
            raise ValueError(f"{path} has no video stream")
        stream = container.streams.video[0]
        context = stream.codec_context
        rate = stream.average_rate or stream.guessed_rate or Fraction(0)
        if decode:
            frames = sum(1 for _ in container.decode(stream))
        else:
            frames = sum(1 for packet in container.demux(stream) if packet.size)
        duration = _stream_seconds(stream, container)
        if duration is None:
            duration = frames / float(rate) if rate else 0.0
        return MediaInfo(
            codec=context.name,
            profile=stream.profile or context.profile,
            pix_fmt=context.pix_fmt,
            width=context.width,
            height=context.height,
            frames=frames,
            fps=float(rate),
            duration=duration,
            faststart=_faststart(path),
            audio_streams=len(container.streams.audio),
            audio=_audio(path, container, decode),
        )
