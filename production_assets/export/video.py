"""Encode frames to H.264 .mp4 or ProRes 4444 .mov with PyAV (bundled FFmpeg), atomically.

- ``h264``: libx264, High profile, yuv420p, ``movflags=+faststart`` (the index is
  written at the front so players start before the download ends). Quality is
  CRF 18 unless a bitrate is given. Width and height must be even (4:2:0).
- ``prores_4444``: prores_ks profile 4444, yuva444p10le (opaque alpha), .mov.

Timing is exact: the frame rate is a Fraction (23.976 -> 24000/1001), the
stream time base is its inverse and frame ``i`` has pts ``i``.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import Literal

import av
import numpy as np

from production_assets.export.atomic import atomic_path

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


def _video_frame(rgb: np.ndarray, codec: Codec) -> av.VideoFrame:
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    if codec == "prores_4444":
        rgba = np.empty((*rgb.shape[:2], 4), dtype=np.uint8)
        rgba[:, :, :3] = rgb
        rgba[:, :, 3] = 255
        return av.VideoFrame.from_ndarray(rgba, format="rgba")
    return av.VideoFrame.from_ndarray(rgb, format="rgb24")


def encode_video(frames: Iterable[np.ndarray], path: Path, codec: Codec, fps: float | Fraction, bitrate: int = 0) -> int:
    """Encode ``HxWx3`` uint8 RGB frames to ``path``; return the frame count.

    The file appears only when every frame is encoded: an error (including one
    raised by the ``frames`` iterable) leaves the previous file untouched.
    """
    path = Path(path)
    container_format = _container_format(path, codec)
    rate = frame_rate_fraction(fps)
    count = 0
    with atomic_path(path) as temp:
        options = {"movflags": "+faststart"}
        with av.open(str(temp), mode="w", format=container_format, options=options) as container:
            stream: av.VideoStream | None = None
            size: tuple[int, int] | None = None
            for rgb in frames:
                if stream is None:
                    size = (rgb.shape[1], rgb.shape[0])
                    stream = _add_stream(container, codec, rate, size, bitrate)
                elif (rgb.shape[1], rgb.shape[0]) != size:
                    raise ValueError(f"frame {count} is {rgb.shape[1]}x{rgb.shape[0]}, the video is {size[0]}x{size[1]}")
                frame = _video_frame(rgb, codec)
                frame.pts = count
                frame.time_base = stream.codec_context.time_base
                container.mux(stream.encode(frame))
                count += 1
            if stream is None:
                raise ValueError(f"no frames to encode into {path.name}")
            container.mux(stream.encode(None))
    return count
