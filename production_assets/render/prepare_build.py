"""Build a prepared character or location in a fresh scene and publish it as a .blend.

See :mod:`.prepared_characters` for a character file's layout; a location file
holds the ``Set`` collection (floor, walls, props, practical lights) and the
untinted ``World`` (:mod:`.locations`).
"""

from __future__ import annotations

import time

import bpy

from production_assets.render.blend_files import publish_blend
from production_assets.render.locations import build_location
from production_assets.render.prepare_contract import PrepareJob, PrepareReport
from production_assets.render.prepared_characters import build_character_for_prepare
from production_assets.render.scene import reset_scene


def prepare_asset(job: PrepareJob) -> PrepareReport:
    """Build what ``job`` describes and publish it atomically at ``job.output_blend``."""
    started = time.perf_counter()
    scene = reset_scene()
    if job.character is not None:
        objects = build_character_for_prepare(job.name, job.character.model, job.character.looks, scene.collection)
        materials = set(bpy.data.materials)
        datablocks: set[bpy.types.ID] = {*objects, *materials, *bpy.data.collections, *bpy.data.actions}
        looks = list(job.character.looks)
    else:
        assert job.location is not None
        collection = build_location(job.location)
        objects = list(collection.all_objects)
        materials = {slot.material for obj in objects for slot in obj.material_slots if slot.material is not None}
        datablocks = {collection, scene.world}
        looks = []
    size = publish_blend(job.output_blend, datablocks)
    return PrepareReport(
        kind=job.kind,
        name=job.name,
        output_blend=job.output_blend,
        objects=len(objects),
        materials=len(materials),
        looks=looks,
        bytes=size,
        seconds=round(time.perf_counter() - started, 3),
        data_version=job.data_version,
    )
