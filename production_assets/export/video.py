"""Encode frames to H.264 .mp4 or ProRes 4444 .mov with PyAV (bundled FFmpeg), atomically.

- ``h264``: libx264, High profile, yuv420p, ``movflags=+faststart`` (the index is
  written at the front so players start before the download ends). Quality is
  CRF 18 unless a bitrate is given. Width and height must be even (4:2:0).
- ``prores_4444``: prores_ks profile 4444, yuva444p10le, .mov; the frames' alpha when
  they have one (RGBA), opaque otherwise.

Every file also has one stereo 48 kHz audio track: AAC (192 kb/s) beside H.264,
24-bit PCM beside ProRes. The audio is a float signal in [-1, 1] at 48 kHz
(mono ``(n,)`` or ``(n, channels)``) that starts with the film; None is silence.
It is muxed as the frames are encoded, kept in step with them, and padded with
silence or cut so that it lasts exactly as long as the video (to the nearest
sample). A per-shot clip carries the slice of the film's audio under its frames.

Timing is exact: the frame rate is a Fraction (23.976 -> 24000/1001), the
stream time base is its inverse and frame ``i`` has pts ``i``; video frame ``i``
starts at audio sample ``round(i * 48000 / rate)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from production_assets.media.codecs import CODECS, VideoEncoding, codec, codec_names
from production_assets.media.rates import frame_rate_fraction
from production_assets.storage.atomic import atomic_path, atomic_paths

Codec = str  # a video codec of the registry (media.codecs)
AUDIO_SAMPLE_RATE = 48_000
AUDIO_CHANNELS = 2


def _container_format(path: Path, name: Codec) -> str:
    video = _video(name)
    suffix = path.suffix.lower()
    if suffix not in video.containers:
        raise ValueError(f"{codec(name).label} goes in a {' or '.join(video.containers)} file, not {path.name}")
    return "mov" if suffix == ".mov" else "mp4"


def _video(name: Codec) -> VideoEncoding:
    video = codec(name).video if name in CODECS else None
    if video is None:
        raise ValueError(f"codec {name!r} is not a video codec ({', '.join(codec_names('video'))})")
    return video


def _add_stream(
    container: av.container.OutputContainer, name: Codec, rate: Fraction, size: tuple[int, int], bitrate: int
) -> av.VideoStream:
    """A video stream set up as the codec's registry entry says (media.codecs)."""
    video = _video(name)
    width, height = size
    if video.even_dimensions and (width % 2 or height % 2):
        raise ValueError(f"{codec(name).label} ({video.pix_fmt}) needs even dimensions, got {width}x{height}")
    stream = container.add_stream(video.encoder, rate=rate)
    stream.pix_fmt = video.pix_fmt
    options = dict(video.options)
    if bitrate > 0:
        stream.bit_rate = bitrate
        if video.rate_controlled:
            options["maxrate"] = str(bitrate * 3 // 2)
            options["bufsize"] = str(bitrate * 2)
    else:
        options.update(video.quality_options)
    stream.options = options
    stream.width, stream.height = width, height
    stream.time_base = 1 / rate
    stream.codec_context.time_base = 1 / rate
    return stream


def audio_sample_at(frame: int, fps: float | Fraction) -> int:
    """The audio sample where video frame ``frame`` starts (exact rational time, rounded to a sample)."""
    return round(Fraction(frame) * AUDIO_SAMPLE_RATE / frame_rate_fraction(fps))


def check_audio_signal(audio: np.ndarray | None) -> None:
    """Refuse a signal that is not float samples as ``(n,)`` or ``(n, channels)`` with 1 or 2 channels."""
    if audio is None:
        return
    if not np.issubdtype(audio.dtype, np.floating):
        raise ValueError(f"audio must be float samples in [-1, 1], not {audio.dtype}")
    if audio.ndim not in (1, 2) or (audio.ndim == 2 and audio.shape[1] not in (1, AUDIO_CHANNELS)):
        raise ValueError(f"audio must be (samples,) or (samples, 1 or 2 channels), not {audio.shape}")


class _AudioTrack:
    """The audio stream of one file: the samples of a film-long signal under the frames written so far.

    ``first_frame`` is the film frame where the file starts (0 for the film, the
    shot's first frame for a clip); samples past the signal's end are silence.
    """

    def __init__(
        self,
        container: av.container.OutputContainer,
        codec: Codec,
        fps: float | Fraction,
        audio: np.ndarray | None,
        first_frame: int,
    ):
        video = _video(codec)
        self._stream = container.add_stream(video.audio_codec, rate=AUDIO_SAMPLE_RATE, layout="stereo")
        if video.audio_bitrate:
            self._stream.bit_rate = video.audio_bitrate
        self._codec = video.audio_codec
        self._fps = fps
        self._audio = audio
        self._first_frame = first_frame
        self._origin = audio_sample_at(first_frame, fps)
        self.samples = 0

    def _samples(self, start: int, stop: int) -> np.ndarray:
        """Film samples ``start:stop`` as ``(2, n)`` float32, silence where the signal has none."""
        block = np.zeros((AUDIO_CHANNELS, stop - start), dtype=np.float32)
        if self._audio is not None and start < len(self._audio):
            part = np.asarray(self._audio[start:stop], dtype=np.float32)
            block[:, : len(part)] = part.reshape(len(part), -1).T
        return np.clip(block, -1.0, 1.0)

    def _frame(self, block: np.ndarray) -> av.AudioFrame:
        if self._codec == "aac":
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(block), format="fltp", layout="stereo")
        else:
            full_scale = (block.T * 8388607).round().astype(np.int32) << 8  # 24-bit samples in the top of an s32
            frame = av.AudioFrame.from_ndarray(full_scale.reshape(1, -1), format="s32", layout="stereo")
        frame.sample_rate = AUDIO_SAMPLE_RATE
        frame.pts = self.samples
        frame.time_base = Fraction(1, AUDIO_SAMPLE_RATE)
        return frame

    def advance(self, container: av.container.OutputContainer, frames: int) -> None:
        """Encode the samples under the first ``frames`` video frames of this file that are not encoded yet."""
        target = audio_sample_at(self._first_frame + frames, self._fps) - self._origin
        if target > self.samples:
            block = self._samples(self._origin + self.samples, self._origin + target)
            container.mux(self._stream.encode(self._frame(block)))
            self.samples = target

    def flush(self, container: av.container.OutputContainer) -> None:
        container.mux(self._stream.encode(None))


def _video_frame(pixels: np.ndarray, name: Codec) -> av.VideoFrame:
    pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
    if _video(name).alpha:
        if pixels.shape[2] == 4:
            return av.VideoFrame.from_ndarray(pixels, format="rgba")
        rgba = np.empty((*pixels.shape[:2], 4), dtype=np.uint8)
        rgba[:, :, :3] = pixels
        rgba[:, :, 3] = 255
        return av.VideoFrame.from_ndarray(rgba, format="rgba")
    return av.VideoFrame.from_ndarray(np.ascontiguousarray(pixels[:, :, :3]), format="rgb24")


class VideoWriter:
    """One video file (and its audio track) being encoded, a frame at a time; publishing it is the caller's job.

    ``path`` is where the bytes go (usually a temporary sibling); ``target`` is the
    file it stands for, whose extension chooses the container. ``audio`` is the
    film's signal (None: silence) and ``first_frame`` the film frame this file
    starts at, so a clip takes its slice of the film's audio.
    """

    def __init__(
        self,
        path: Path,
        codec: Codec,
        fps: float | Fraction,
        bitrate: int = 0,
        target: Path | None = None,
        audio: np.ndarray | None = None,
        first_frame: int = 0,
    ):
        self.path = Path(path)
        self.codec = codec
        self._format = _container_format(Path(target or path), codec)
        self._rate = frame_rate_fraction(fps)
        self._bitrate = bitrate
        check_audio_signal(audio)
        self._audio_signal = audio
        self._first_frame = first_frame
        self._container = av.open(str(self.path), mode="w", format=self._format, options={"movflags": "+faststart"})
        self._stream: av.VideoStream | None = None
        self._audio: _AudioTrack | None = None
        self._size: tuple[int, int] | None = None
        self.count = 0

    def write(self, pixels: np.ndarray) -> None:
        """Encode one ``HxWx3`` RGB or ``HxWx4`` RGBA uint8 frame (alpha is kept by ProRes 4444 only)."""
        size = (pixels.shape[1], pixels.shape[0])
        if self._stream is None:
            self._size = size
            self._stream = _add_stream(self._container, self.codec, self._rate, size, self._bitrate)
            self._audio = _AudioTrack(self._container, self.codec, self._rate, self._audio_signal, self._first_frame)
        elif size != self._size:
            assert self._size is not None
            raise ValueError(f"frame {self.count} is {size[0]}x{size[1]}, the video is {self._size[0]}x{self._size[1]}")
        frame = _video_frame(pixels, self.codec)
        frame.pts = self.count
        frame.time_base = self._stream.codec_context.time_base
        self._container.mux(self._stream.encode(frame))
        self.count += 1
        assert self._audio is not None
        self._audio.advance(self._container, self.count)

    def finish(self) -> int:
        """Flush the encoder and close the file; return the frame count."""
        if self._stream is None:
            self.abort()
            raise ValueError(f"no frames to encode into {self.path.name}")
        try:
            self._container.mux(self._stream.encode(None))
            assert self._audio is not None
            self._audio.flush(self._container)
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


def encode_video(
    frames: Iterable[np.ndarray],
    path: Path,
    codec: Codec,
    fps: float | Fraction,
    bitrate: int = 0,
    audio: np.ndarray | None = None,
) -> int:
    """Encode ``HxWx3`` uint8 RGB (or RGBA) frames and ``audio`` (48 kHz; None: silence) to ``path``;
    return the frame count.

    The file appears only when every frame is encoded: an error (including one
    raised by the ``frames`` iterable) leaves the previous file untouched.
    """
    path = Path(path)
    _container_format(path, codec)
    with atomic_path(path) as temp:
        writer = VideoWriter(temp, codec, fps, bitrate, target=path, audio=audio)
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
    audio: np.ndarray | None = None,
) -> dict[str, int]:
    """Encode the conformed film and per-shot clips in one pass over the frames.

    ``shots`` yields ``(shot_id, frames)`` in film order; every frame goes into
    the film and, when ``clips`` has a path for its shot, into that clip too, so
    each frame is read and fitted once. The film and all clips are published
    together when the last frame is encoded, with the ``companions`` (small
    files such as the film's timeline, given as path -> content); an error
    anywhere leaves every previous file in place and no temporary file behind.
    ``audio`` is the film's sound (48 kHz, see the module docstring; None:
    silence); each clip carries the part of it under its shot. Returns the
    frame count per shot.
    """
    film = Path(film)
    companions = dict(companions or {})
    videos = [film, *(Path(clip) for clip in clips.values())]
    for video in videos:
        _container_format(video, codec)
    targets = [*videos, *companions]
    counts: dict[str, int] = {}
    with atomic_paths(targets) as temps:
        clip_temps = dict(zip(clips, temps[1 : 1 + len(clips)], strict=True))
        for temp, content in zip(temps[1 + len(clips) :], companions.values(), strict=True):
            temp.write_bytes(content)
        film_writer = VideoWriter(temps[0], codec, fps, bitrate, target=film, audio=audio)
        open_writers = [film_writer]
        try:
            for shot_id, frames in shots:
                clip_writer = None
                if shot_id in clip_temps:
                    clip_writer = VideoWriter(
                        clip_temps.pop(shot_id),
                        codec,
                        fps,
                        bitrate,
                        target=Path(clips[shot_id]),
                        audio=audio,
                        first_frame=film_writer.count,
                    )
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
