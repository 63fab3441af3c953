"""The codec registry: every deliverable codec, as data, in one module each.

The output models' ``codec`` type, validation, the encoders (export.video), the checks on delivered files
(export.verify), delivery's file names and the time estimate all read a codec from here, so a new codec
(say DNxHR) is one module beside these, its line in :data:`CODECS`, and an output-format preset that
names it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import AfterValidator, WithJsonSchema

CodecKind = Literal["video", "retro"]


@dataclass(frozen=True)
class VideoEncoding:
    """How a video codec is encoded with FFmpeg (through PyAV) and what its files look like when probed."""

    encoder: str = field(metadata={"doc": "FFmpeg encoder name: libx264, prores_ks, ..."})
    pix_fmt: str
    options: Mapping[str, str]
    containers: tuple[str, ...]
    audio_codec: str
    audio_bitrate: int | None = None
    quality_options: Mapping[str, str] = field(default_factory=dict)
    """Options when the output gives no bitrate (a constant quality)."""
    rate_controlled: bool = False
    """With a bitrate, also cap it (maxrate 1.5x, bufsize 2x): a streaming encode."""
    even_dimensions: bool = False
    alpha: bool = False
    probed_codec: str = ""
    probed_profile: str = ""
    probed_pix_fmts: tuple[str, ...] = ()
    fast_start: bool = False
    """An .mp4 of it must have its index at the front (players start before the download ends)."""


@dataclass(frozen=True)
class Codec:
    name: str
    kind: CodecKind
    label: str
    extension: str
    encode_seconds_per_megapixel: float
    """Encoding time per frame megapixel on one core, for `production estimate`."""
    video: VideoEncoding | None = None
    shot_clips_by_default: bool = False
    """A master codec: delivered with a clip per shot unless the output says otherwise."""


def _registry() -> dict[str, Codec]:
    from production_assets.media.codecs import gif, h264, png, prores_4444

    return {codec.name: codec for codec in (h264.CODEC, prores_4444.CODEC, png.CODEC, gif.CODEC)}


CODECS: dict[str, Codec] = _registry()


def codec(name: str) -> Codec:
    return CODECS[name]


def codec_names(kind: CodecKind | None = None) -> tuple[str, ...]:
    return tuple(name for name, found in CODECS.items() if kind is None or found.kind == kind)


def _known(name: str) -> str:
    if name not in CODECS:
        raise ValueError(f"codec {name!r} is not one of {', '.join(CODECS)}")
    return name


CodecName = Annotated[str, AfterValidator(_known), WithJsonSchema({"type": "string", "enum": list(CODECS)})]
"""A codec of the registry, as a pydantic type (its JSON Schema lists the codecs)."""
