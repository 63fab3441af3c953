"""The `outputs` family: every deliverable can be built as asked (format, codec, size, palette, path,
frame rate, scratch audio)."""

from __future__ import annotations

import re

from production_assets.media.codecs import CODECS, codec_names
from production_assets.media.palettes import CONSOLE_PALETTES, PALETTE_FILE_EXTENSIONS
from production_assets.media.rates import edl_timecode_rate
from production_assets.media.speech import INSTALL_HINT, tts_engine
from production_assets.model.production import ProductionConfig
from production_assets.model.results import ValidationIssue
from production_assets.suggest import did_you_mean
from production_assets.validation.context import ValidationContext, as_context, duplicate_names

FAMILY = "outputs"


def validate_outputs(ctx: ValidationContext | ProductionConfig) -> list[ValidationIssue]:
    ctx = as_context(ctx)
    issues = duplicate_names(ctx, FAMILY, "outputs", [o.output_name for o in ctx.config.outputs])
    if not ctx.config.outputs:
        issues.append(
            ctx.issue(
                FAMILY,
                ("outputs",),
                "no outputs: frames are rendered but nothing is delivered",
                "add outputs:",
                "warning",
            )
        )
    if ctx.config.scratch_audio and tts_engine() is None:
        issues.append(
            ctx.issue(
                FAMILY,
                ("scratch_audio",),
                "scratch_audio: true needs the espeak-ng text-to-speech engine, which is not installed",
                INSTALL_HINT,
            )
        )
    for index, output in enumerate(ctx.config.outputs):
        fmt = ctx.presets.output_formats.get(output.format)
        if fmt is None:
            issues.append(
                ctx.issue(
                    FAMILY,
                    ("outputs", index, "format"),
                    f"unknown output format {output.format!r}",
                    did_you_mean(output.format, ctx.presets.output_formats),
                )
            )
            continue
        codec = output.codec or fmt.codec
        if codec not in codec_names(fmt.kind):
            issues.append(
                ctx.issue(
                    FAMILY,
                    ("outputs", index, "codec"),
                    f"codec {codec!r} does not fit the {fmt.kind} format {output.format!r}",
                    "use one of " + ", ".join(codec_names(fmt.kind)),
                )
            )
        width, height = output.resolution or fmt.resolution
        video = CODECS[codec].video
        if video is not None and video.even_dimensions and (width % 2 or height % 2):
            issues.append(
                ctx.issue(
                    FAMILY,
                    ("outputs", index, "resolution"),
                    f"{CODECS[codec].label} needs even sizes, got {width}x{height}",
                    f"use {width + width % 2}x{height + height % 2}",
                )
            )
        palette = (output.retro.palette if output.retro else None) or fmt.palette
        if fmt.kind == "retro" and palette and palette not in CONSOLE_PALETTES:
            palette_path = ctx.resolve_path(palette)
            if not ctx.inside_production(palette):
                issues.append(
                    ctx.issue(
                        "outputs",
                        ("outputs", index, "retro", "palette"),
                        f"palette {palette!r} points outside the production folder",
                        "copy the palette into the production folder, or give an absolute path",
                    )
                )
            elif palette_path.suffix.lower() not in PALETTE_FILE_EXTENSIONS or not palette_path.is_file():
                issues.append(
                    ctx.issue(
                        "outputs",
                        ("outputs", index, "retro", "palette"),
                        f"unknown palette {palette!r}",
                        did_you_mean(palette, CONSOLE_PALETTES) or "give a .gpl, .pal or .hex file",
                    )
                )
        fps = output.frame_rate or ctx.config.render_settings.frame_rate
        if fmt.kind == "video" and edl_timecode_rate(fps) is None:
            issues.append(
                ctx.issue(
                    FAMILY,
                    ("outputs", index),
                    f"no CMX 3600 EDL at {fps:g} fps (SMPTE timecode cannot count it); "
                    "the .otio timeline is still written",
                    "use a frame rate that divides 24, 25, 30, 48, 50 or 60 to get an EDL",
                    "warning",
                )
            )
        if output.retro and fmt.kind != "retro":
            issues.append(
                ctx.issue(
                    FAMILY,
                    ("outputs", index, "retro"),
                    f"retro settings on the video format {output.format!r} are ignored",
                    severity="warning",
                )
            )
        if not ctx.inside_production(output.path) or re.search(r"[\x00-\x1f]", output.path):
            issues.append(
                ctx.issue(
                    FAMILY,
                    ("outputs", index, "path"),
                    f"output path {output.path!r} leaves the production folder",
                    "use a path inside the production folder, or an explicit absolute path",
                )
            )
    return issues
