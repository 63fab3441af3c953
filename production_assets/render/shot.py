"""Assemble one shot's scene from a :class:`RenderJob`: set, characters, camera, style.

The set comes from a prepared location .blend when one is given, characters
from their ``prepared_blend`` when set; anything not prepared is built here.
"""

from __future__ import annotations

import bpy

from production_assets.model.render_job import RenderJob
from production_assets.render.camera import build_camera, frame_shot
from production_assets.render.characters import character_meshes, place_characters, world_bounding_box
from production_assets.render.locations import build_location, load_prepared_location, tint_world
from production_assets.render.scene import configure_render, reset_scene
from production_assets.render.style import apply_color_management, build_light_rig


def build_shot(job: RenderJob, location_blend: str | None = None) -> bpy.types.Scene:
    """A fresh scene holding everything the shot needs, ready for ``frame_set`` + render."""
    scene = reset_scene()
    configure_render(scene, job)
    apply_color_management(scene, job.style)
    if location_blend:
        load_prepared_location(location_blend)
    else:
        build_location(job.location)
    tint_world(scene.world, job.style.world_tint)
    roots = place_characters(job.characters)
    bpy.context.view_layer.update()
    subject_box = world_bounding_box(character_meshes(roots))
    width, height = job.resolution
    framing = frame_shot(job.camera, subject_box, width / height)
    build_camera(scene, job.camera, framing, job.frame_count)
    if subject_box is None:
        ground, centre = (0.0, 0.0, 0.0), (0.0, 0.0, 1.0)
    else:
        (min_x, min_y, min_z), (max_x, max_y, max_z) = subject_box
        ground = ((min_x + max_x) / 2.0, (min_y + max_y) / 2.0, min_z)
        centre = (ground[0], ground[1], (min_z + max_z) / 2.0 + 0.25 * (max_z - min_z))
    build_light_rig(job.style, ground, centre)
    return scene
