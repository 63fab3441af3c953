"""A fresh scene and its render settings (Blender manual: Properties > Render / Output)."""

from __future__ import annotations

import bpy

from production_assets.model.render_job import RenderJob

ENGINE_IDS = {"cycles": "CYCLES", "eevee": "BLENDER_EEVEE", "workbench": "BLENDER_WORKBENCH"}
DENOISE_MIN_SAMPLES = 8


def reset_scene() -> bpy.types.Scene:
    """Start from Blender's factory settings with an empty scene and no leftover data.

    Also the memory barrier between shots when one process renders several jobs.
    Factory settings reset preferences too, so scripts in .blend files are
    disabled again right after.
    """
    bpy.ops.wm.read_factory_settings(use_empty=True)
    bpy.data.orphans_purge(do_local_ids=True, do_linked_ids=True, do_recursive=True)
    bpy.context.preferences.filepaths.use_scripts_auto_execute = False
    return bpy.context.scene


def configure_render(scene: bpy.types.Scene, job: RenderJob) -> None:
    """Engine, samples, seed, resolution (100 %), frame range and rate, threads, PNG output."""
    render = scene.render
    render.engine = ENGINE_IDS[job.engine]
    render.resolution_x, render.resolution_y = job.resolution
    render.resolution_percentage = 100
    render.fps = max(1, round(job.frame_rate))
    render.fps_base = render.fps / job.frame_rate
    render.use_persistent_data = True
    if job.threads > 0:
        render.threads_mode = "FIXED"
        render.threads = job.threads
    else:
        render.threads_mode = "AUTO"
    scene.frame_start = 1
    scene.frame_end = job.frame_count
    image = render.image_settings
    image.file_format = "PNG"
    image.color_mode = "RGB"
    image.color_depth = "8"
    render.film_transparent = False
    render.use_motion_blur = job.motion_blur
    if job.engine == "cycles":
        _configure_cycles(scene, job)
    elif job.engine == "eevee":
        scene.eevee.taa_render_samples = job.samples


def _configure_cycles(scene: bpy.types.Scene, job: RenderJob) -> None:
    """Cycles on the CPU; denoising where the job asks for it, by default only where there are enough
    samples for it to pay."""
    cycles = scene.cycles
    cycles.device = "CPU"
    cycles.samples = job.samples
    cycles.seed = job.seed
    cycles.use_adaptive_sampling = job.samples >= DENOISE_MIN_SAMPLES
    cycles.use_denoising = job.samples >= DENOISE_MIN_SAMPLES if job.denoise is None else job.denoise
    if cycles.use_denoising:
        cycles.denoiser = "OPENIMAGEDENOISE"
    cycles.max_bounces = 6
