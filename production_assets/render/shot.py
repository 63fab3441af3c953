"""Assemble one shot's scene from a :class:`RenderJob`: set, characters and their acting, camera, style.

The set comes from a prepared location .blend when one is given, characters
from their ``prepared_blend`` when set; anything not prepared is built here.
Characters are placed, their performances evaluated (so the camera can frame
a walk over its whole path and the blocking), then the camera is built and
the performances keyed (an eyeline may aim at the camera).
"""

from __future__ import annotations

import bpy
import numpy as np

from production_assets.model.render_job import RenderJob
from production_assets.render.animation import Acting, perform_on_stage, rehearse
from production_assets.render.camera import build_camera, frame_shot
from production_assets.render.characters import place_characters, world_bounding_box
from production_assets.render.framing import Figure
from production_assets.render.locations import build_location, load_prepared_location, tint_world
from production_assets.render.scene import configure_render, reset_scene
from production_assets.render.style import apply_color_management, build_light_rig
from production_assets.render.time_of_day import apply_conditions

Vec3 = tuple[float, float, float]
Box = tuple[Vec3, Vec3]


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
    cast = place_characters(job.characters)
    bpy.context.view_layer.update()
    actings = [rehearse(character, job.frame_count, job.frame_rate) for character in cast]
    boxes = [_path_box(acting) for acting in actings]
    subject_box = _union([box for box in boxes if box is not None])
    figures = [_figure(acting, box) for acting, box in zip(actings, boxes, strict=True)]
    width, height = job.resolution
    framing = frame_shot(job.camera, subject_box, width / height, figures)
    camera = build_camera(scene, job.camera, framing, job.frame_count)
    for acting in actings:
        perform_on_stage(acting, camera)
    if subject_box is None:
        ground, centre = (0.0, 0.0, 0.0), (0.0, 0.0, 1.0)
    else:
        (min_x, min_y, min_z), (max_x, max_y, max_z) = subject_box
        ground = ((min_x + max_x) / 2.0, (min_y + max_y) / 2.0, min_z)
        centre = (ground[0], ground[1], (min_z + max_z) / 2.0 + 0.25 * (max_z - min_z))
    build_light_rig(job.style, ground, centre)
    apply_conditions(scene, job)  # last: time of day and weather dim and tint the set and the rig
    return scene


def _path_box(acting: Acting) -> Box | None:
    """The character's box at its mark, stretched over the path its root travels (a walk is framed whole)."""
    meshes = [child for child in acting.character.root.children_recursive if child.type == "MESH"]
    box = world_bounding_box(meshes)
    if box is None:
        return None
    path = acting.track.root_location - acting.track.root_location[0]
    low = np.add(box[0], path.min(axis=0))
    high = np.add(box[1], path.max(axis=0))
    return (float(low[0]), float(low[1]), float(low[2])), (float(high[0]), float(high[1]), float(high[2]))


def _union(boxes: list[Box]) -> Box | None:
    if not boxes:
        return None
    low = tuple(min(box[0][axis] for box in boxes) for axis in range(3))
    high = tuple(max(box[1][axis] for box in boxes) for axis in range(3))
    return low, high  # type: ignore[return-value]


def _figure(acting: Acting, box: Box | None) -> Figure:
    """Where a character starts and how tall it is, for framing from the blocking."""
    start = acting.track.root_location[0]
    return Figure((float(start[0]), float(start[1])), box[1][2] - box[0][2] if box is not None else 1.8)
