"""Resolve a validated production: presets, templates, references and paths."""

from __future__ import annotations

import os
import re
from pathlib import Path

from production_assets.errors import ProductionError, UnknownReferenceError
from production_assets.loading.context import ProductionContext, find_hdri
from production_assets.loading.shots import ExpandedShot, slugify
from production_assets.media.palettes import CONSOLE_PALETTES
from production_assets.model.presets import ShotTemplate, WorldSpec
from production_assets.model.production import ProductionConfig, RenderSettings, Shot
from production_assets.model.resolved import (
    ResolvedCharacter,
    ResolvedLocation,
    ResolvedOutput,
    ResolvedProduction,
    ResolvedRenderSettings,
    ResolvedShot,
)
from production_assets.model.sets import Weather
from production_assets.sets import place_props


def slug_for_file(root: Path) -> str:
    """The asset-key prefix: the production folder's name (or the file's stem), as an identifier."""
    name = root.resolve().parent.name if root.stem == "production" else root.stem
    slug = slugify(name, "production")
    return slug if re.match(r"^[a-z_]", slug) else f"p_{slug}"


def production_slug(config: ProductionConfig) -> str:
    return slug_for_file(config.source.root_file) if config.source else slugify(config.title, "production")


def _camera(template: ShotTemplate, shot: Shot) -> ShotTemplate:
    override = shot.camera
    if override is None:
        return template
    changes = {
        "lens": override.lens,
        "angle": override.angle,
        "height": override.height,
        "yaw": override.yaw,
        "move": override.move,
    }
    return template.model_copy(update={key: value for key, value in changes.items() if value is not None})


def _shot_source(config: ProductionConfig, index: int | None) -> str:
    if index is None or config.source is None:
        return ""
    location = config.source.locate(("production", "shots", index))
    return str(location) if location else ""


def _shot_settings(settings: RenderSettings, shot: Shot) -> RenderSettings:
    """The production's render settings with the shot's `render:` changes."""
    changes = shot.render.model_dump(exclude_none=True, exclude={"max_frames"}) if shot.render else {}
    return settings.model_copy(update=changes) if changes else settings


def _render_settings(settings: RenderSettings) -> ResolvedRenderSettings:
    return ResolvedRenderSettings(
        engine=settings.engine,
        samples=settings.effective_samples(),
        resolution=settings.effective_resolution(),
        frame_rate=settings.frame_rate,
        seed=settings.seed,
        threads=settings.threads,
        max_frames_per_shot=settings.max_frames_per_shot,
        denoise=settings.denoise,
        motion_blur=settings.motion_blur,
    )


def resolved_characters(ctx: ProductionContext) -> dict[str, ResolvedCharacter]:
    """The production's characters with their model files as absolute paths."""
    return {
        c.name: ResolvedCharacter(
            name=c.name,
            model=c.model if c.model.startswith("builtin:") else str(ctx.resolve_path(c.model).resolve()),
            scale=c.scale,
            height=c.height,
            wardrobe=c.wardrobe,
        )
        for c in ctx.config.characters
    }


def _lookup(table: dict, name: str, kind: str):  # type: ignore[no-untyped-def]
    if name not in table:
        raise UnknownReferenceError(f"unknown {kind} {name!r}; run `production validate` for details")
    return table[name]


def resolve_shot(ctx: ProductionContext, expanded: ExpandedShot, order: int, location_weather: Weather) -> ResolvedShot:
    """One shot with its template, frames, looks, light, lines and acting requests resolved."""
    config = ctx.config
    settings = config.render_settings
    shot = expanded.shot
    template = _lookup(ctx.presets.shot_templates, shot.template, "shot template")
    if expanded.location is None:
        raise UnknownReferenceError(f"shot {expanded.id} has no location")
    caps = [cap for cap in (settings.max_frames_per_shot, shot.render.max_frames if shot.render else None) if cap]
    declared = {c.name: c for c in config.characters}
    return ResolvedShot(
        id=expanded.id,
        order=order,
        source_index=expanded.source_index if expanded.source_index is not None else -1,
        source=_shot_source(config, expanded.source_index),
        template_name=shot.template,
        camera=_camera(template, shot),
        scene=shot.scene,
        subjects=shot.subjects(),
        location=expanded.location,
        frame_count=min([shot.frame_count(settings.frame_rate), *caps]),
        looks={
            name: declared[name].look_for_scene(shot.scene) or "default" for name in shot.subjects() if name in declared
        },
        notes=shot.notes,
        status=shot.status,
        priority=config.priority if shot.priority is None else shot.priority,
        time_of_day=shot.time_of_day or ctx.scene_lights.get(shot.scene, "day"),
        weather=shot.weather or location_weather,
        props=shot.props,
        generated=expanded.generated,
        script_line=expanded.script_line,
        lines=ctx.shot_lines.get(expanded.id, []),
        script_actions=ctx.shot_actions.get(expanded.id, []),
        scene_speakers=ctx.scene_speakers.get(shot.scene, []),
        action=shot.action,
        blocking=shot.blocking,
        look_at=shot.look_at,
        render=_render_settings(_shot_settings(settings, shot)),
    )


def resolve_production(config: ProductionConfig) -> ResolvedProduction:
    """Everything a run needs, with presets looked up and paths made absolute."""
    ctx = ProductionContext(config)
    presets = ctx.presets

    characters = resolved_characters(ctx)
    declared_locations = {location.name: location for location in config.locations}
    locations = {}
    for name, chosen in ctx.location_sets.items():
        if isinstance(chosen, ProductionError):
            raise chosen
        location = declared_locations.get(name)
        preset = chosen.preset
        if location is not None and location.props:
            preset = place_props(preset, location.props, chosen.seed or 0)
        if location is not None and location.hdri:
            hdri = find_hdri(ctx, location.hdri)
            world = (
                WorldSpec(kind="hdri", hdri_path=str(hdri), strength=preset.world.strength)
                if hdri
                else preset.world.model_copy(update={"kind": "sky"})
            )
            preset = preset.model_copy(update={"world": world})
        set_file = location.set_file if location is not None else None
        locations[name] = ResolvedLocation(
            name=name,
            preset_name=chosen.set_name,
            preset=preset,
            set_file=str(ctx.resolve_path(set_file).resolve()) if set_file else None,
            reason=chosen.reason,
            seed=chosen.seed,
            weather=location.weather if location is not None else "clear",
        )
    settings = config.render_settings
    fps = settings.frame_rate
    shots = []
    for order, expanded in enumerate(ctx.shots):
        location = locations.get(expanded.location or "")
        shots.append(resolve_shot(ctx, expanded, order, location.weather if location else "clear"))
    outputs = []
    for output in config.outputs:
        fmt = _lookup(presets.output_formats, output.format, "output format")
        retro = output.retro
        palette = (retro.palette if retro else None) or fmt.palette
        if palette and palette not in CONSOLE_PALETTES:
            palette = str(ctx.resolve_path(palette))
        outputs.append(
            ResolvedOutput(
                name=output.output_name,
                format_name=output.format,
                format=fmt,
                kind=fmt.kind,
                codec=output.codec or fmt.codec,
                resolution=output.resolution or fmt.resolution,
                frame_rate=output.frame_rate or fps,
                fit=output.fit,
                shot_clips=output.shot_clips,
                path=str(ctx.resolve_path(output.path)),
                palette=palette,
                dither=retro.dither if retro else fmt.dither,
                colors=(retro.colors if retro else None) or fmt.colors,
                pixel_scale=retro.pixel_scale if retro else fmt.pixel_scale,
                subtitles=output.subtitles,
                subtitle_speakers=output.subtitle_speakers,
            )
        )
    return ResolvedProduction(
        slug=production_slug(config),
        title=config.title,
        version=config.version,
        root_file=str(config.source.root_file.resolve()) if config.source else "",
        base_dir=str(config.base_dir.resolve()),
        style_name=config.style.preset,
        style=_lookup(presets.styles, config.style.preset, "style preset"),
        render=_render_settings(settings),
        characters=characters,
        locations=locations,
        wardrobes=dict(presets.wardrobes),
        shots=shots,
        outputs=outputs,
        scratch_audio=config.scratch_audio,
        scene_headings={scene.number: scene.heading for scene in ctx.screenplay.scenes} if ctx.screenplay else {},
    )


def default_threads(workers: int) -> int:
    """Threads per render worker so that N workers share the cores without oversubscribing."""
    return max(1, (os.cpu_count() or 1) // max(1, workers))
