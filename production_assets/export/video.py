"""Encode frames to H.264 .mp4 or ProRes 4444 .mov with PyAV (bundled FFmpeg), atomically.

- ``h264``: libx264, High profile, yuv420p, ``movflags=+faststart`` (the index is
  written at the front so players start before the download ends). Quality is
  CRF 18 unless a bitrate is given. Width and height must be even (4:2:0).
- ``prores_4444``: prores_ks profile 4444, yuva444p10le, .mov; the frames' alpha when
  they have one (RGBA), opaque otherwise.

Timing is exact: the frame rate is a Fraction (23.976 -> 24000/1001), the
stream time base is its inverse and frame ``i`` has pts ``i``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from pathlib import Path
from typing import Literal

import av
import numpy as np

from production_assets.export.atomic import atomic_path, atomic_paths

Codec = Literal["h264", "prores_4444"]
NTSC_RATES = {23.976: Fraction(24000, 1001), 29.97: Fraction(30000, 1001), 59.94: Fraction(60000, 1001)}
H264_CRF = 18


def frame_rate_fraction(fps: float | Fraction) -> Fraction:
    """An exact frame rate: 24 -> 24/1, 23.976 -> 24000/1001, 29.97 -> 30000/1001."""
    if isinstance(fps, Fraction):
        return fps
    if fps <= 0:
        raise ValueError(f"frame rate must be positive, not {fps}")
    for approximate, exact in NTSC_RATES.items():
        if abs(fps - approximate) < 0.0015:
            return exact
    return Fraction(fps).limit_denominator(1001)


def _container_format(path: Path, codec: Codec) -> str:
    suffix = path.suffix.lower()
    if codec == "prores_4444" and suffix != ".mov":
        raise ValueError(f"ProRes 4444 goes in a .mov file, not {path.name}")
    if codec == "h264" and suffix not in (".mp4", ".mov"):
        raise ValueError(f"H.264 goes in a .mp4 or .mov file, not {path.name}")
    return "mov" if suffix == ".mov" else "mp4"


def _add_stream(container: av.container.OutputContainer, codec: Codec, rate: Fraction, size: tuple[int, int], bitrate: int) -> av.VideoStream:
    width, height = size
    if codec == "h264":
        if width % 2 or height % 2:
            raise ValueError(f"H.264 yuv420p needs even dimensions, got {width}x{height}")
        stream = container.add_stream("libx264", rate=rate)
        stream.pix_fmt = "yuv420p"
        options = {"profile": "high", "preset": "medium"}
        if bitrate > 0:
            stream.bit_rate = bitrate
            options["maxrate"] = str(bitrate * 3 // 2)
            options["bufsize"] = str(bitrate * 2)
        else:
            options["crf"] = str(H264_CRF)
        stream.options = options
    elif codec == "prores_4444":
        stream = container.add_stream("prores_ks", rate=rate)
        stream.pix_fmt = "yuva444p10le"
        stream.options = {"profile": "4444", "vendor": "apl0"}
        if bitrate > 0:
            stream.bit_rate = bitrate
    else:
        raise ValueError(f"codec {codec!r} is not 'h264' or 'prores_4444'")
    stream.width, stream.height = width, height
    stream.time_base = 1 / rate
    stream.codec_context.time_base = 1 / rate
    return stream


def _video_frame(pixels: np.ndarray, codec: Codec) -> av.VideoFrame:
    pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
    if codec == "prores_4444":
        if pixels.shape[2] == 4:
            return av.VideoFrame.from_ndarray(pixels, format="rgba")
        rgba = np.empty((*pixels.shape[:2], 4), dtype=np.uint8)
        rgba[:, :, :3] = pixels
        rgba[:, :, 3] = 255
        return av.VideoFrame.from_ndarray(rgba, format="rgba")
    return av.VideoFrame.from_ndarray(np.ascontiguousarray(pixels[:, :, :3]), format="rgb24")


class VideoWriter:
    """One video file being encoded, a frame at a time; publishing it is the caller's job.

    ``path`` is where the bytes go (usually a temporary sibling); ``target`` is the
    file it stands for, whose extension chooses the container.
    """

    def __init__(self, path: Path, codec: Codec, fps: float | Fraction, bitrate: int = 0, target: Path | None = None):
        self.path = Path(path)
        self.codec = codec
        self._format = _container_format(Path(target or path), codec)
        self._rate = frame_rate_fraction(fps)
        self._bitrate = bitrate
        self._container = av.open(str(self.path), mode="w", format=self._format, options={"movflags": "+faststart"})
        self._stream: av.VideoStream | None = None
        self._size: tuple[int, int] | None = None
        self.count = 0

    def write(self, pixels: np.ndarray) -> None:
        """Encode one ``HxWx3`` RGB or ``HxWx4`` RGBA uint8 frame (alpha is kept by ProRes 4444 only)."""
        size = (pixels.shape[1], pixels.shape[0])
        if self._stream is None:
            self._size = size
            self._stream = _add_stream(self._container, self.codec, self._rate, size, self._bitrate)
        elif size != self._size:
            assert self._size is not None
            raise ValueError(f"frame {self.count} is {size[0]}x{size[1]}, the video is {self._size[0]}x{self._size[1]}")
        frame = _video_frame(pixels, self.codec)
        frame.pts = self.count
        frame.time_base = self._stream.codec_context.time_base
        self._container.mux(self._stream.encode(frame))
        self.count += 1

    def finish(self) -> int:
        """Flush the encoder and close the file; return the frame count."""
        if self._stream is None:
            self.abort()
            raise ValueError(f"no frames to encode into {self.path.name}")
        try:
            self._container.mux(self._stream.encode(None))
            self._container.close()
        except BaseException:
            self.abort()
            raise
        return self.count

    def abort(self) -> None:
        """Close the file without flushing (after an error); the caller removes it."""
        try:
            self._container.close()
        except (av.FFmpegError, ValueError, OSError):
            pass


def encode_video(frames: Iterable[np.ndarray], path: Path, codec: Codec, fps: float | Fraction, bitrate: int = 0) -> int:
    """Encode ``HxWx3`` uint8 RGB (or RGBA) frames to ``path``; return the frame count.

    The file appears only when every frame is encoded: an error (including one
    raised by the ``frames`` iterable) leaves the previous file untouched.
    """
    path = Path(path)
    _container_format(path, codec)
    with atomic_path(path) as temp:
        writer = VideoWriter(temp, codec, fps, bitrate, target=path)
        try:
            for pixels in frames:
                writer.write(pixels)
        except BaseException:
            writer.abort()
            raise
        count = writer.finish()
    return count


def encode_film_and_clips(
    shots: Iterable[tuple[str, Iterable[np.ndarray]]],
    film: Path,
    clips: Mapping[str, Path],
    codec: Codec,
    fps: float | Fraction,
    bitrate: int = 0,
    companions: Mapping[Path, bytes] | None = None,
) -> dict[str, int]:
    """Encode the conformed film and per-shot clips in one pass over the frames.

    ``shots`` yields ``(shot_id, frames)`` in film order; every frame goes into
    the film and, when ``clips`` has a path for its shot, into that clip too, so
    each frame is read and fitted once. The film and all clips are published
    together when the last frame is encoded, with the ``companions`` (small
    files such as the film's timeline, given as path -> content); an error
    anywhere leaves every previous file in place and no temporary file behind.
    Returns the frame count per shot.
    """
    film = Path(film)
    companions = dict(companions or {})
    videos = [film, *(Path(clip) for clip in clips.values())]
    for video in videos:
        _container_format(video, codec)
    targets = [*videos, *companions]
    counts: dict[str, int] = {}
    with atomic_paths(targets) as temps:
        clip_temps = dict(zip(clips, temps[1 : 1 + len(clips)]))
        for temp, content in zip(temps[1 + len(clips) :], companions.values()):
            temp.write_bytes(content)
        film_writer = VideoWriter(temps[0], codec, fps, bitrate, target=film)
        open_writers = [film_writer]
        try:
            for shot_id, frames in shots:
                clip_writer = None
                if shot_id in clip_temps:
                    clip_writer = VideoWriter(clip_temps.pop(shot_id), codec, fps, bitrate, target=Path(clips[shot_id]))
                    open_writers.append(clip_writer)
                before = film_writer.count
                for pixels in frames:
                    film_writer.write(pixels)
                    if clip_writer is not None:
                        clip_writer.write(pixels)
                if clip_writer is not None:
                    open_writers.remove(clip_writer)
                    clip_writer.finish()
                counts[shot_id] = film_writer.count - before
            if clip_temps:
                raise ValueError(f"clips asked for shots that have no frames: {', '.join(sorted(clip_temps))}")
            open_writers.remove(film_writer)
            film_writer.finish()
        except BaseException:
            for writer in open_writers:
                writer.abort()
            raise
    return counts
