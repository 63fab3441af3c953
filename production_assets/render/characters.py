"""Characters in the shot: the built-in mannequin or a model file, dressed, scaled and placed.

Every character hangs under a root empty that carries its mark (position,
facing, scale), so the model itself stays in its own units with its feet at
the root. A character comes from its prepared .blend when the placement names
one (:mod:`.prepared_characters`), otherwise it is built or loaded here.
Scripts embedded in .blend files never run.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import bpy
from mathutils import Vector

from production_assets.model.render_job import CharacterPlacement
from production_assets.render.mannequin import MANNEQUIN, build_mannequin, look_materials
from production_assets.render.model_files import load_model_file
from production_assets.render.prepared_characters import load_prepared_character

Vec3 = tuple[float, float, float]
Box = tuple[Vec3, Vec3]


def place_characters(placements: Iterable[CharacterPlacement]) -> list[bpy.types.Object]:
    """Build every character and return their root empties."""
    return [place_character(placement) for placement in placements]


def place_character(placement: CharacterPlacement) -> bpy.types.Object:
    """Build one character under a root empty at its mark, facing ``facing_deg`` from -Y."""
    collection = bpy.data.collections.new(f"Character.{placement.name}")
    bpy.context.scene.collection.children.link(collection)
    root = bpy.data.objects.new(f"{placement.name}.root", None)
    collection.objects.link(root)
    if placement.prepared_blend:
        parts = load_prepared_character(placement.prepared_blend, placement, collection)
    elif placement.model == MANNEQUIN:
        parts = build_mannequin(placement.name, look_materials(placement.name, placement.look), collection)
    else:
        parts = load_model_file(placement.model, placement.look, collection)
    natural_height = _stand_on_origin(parts)
    for part in parts:
        if part.parent is None:
            part.parent = root
    target_height = placement.height if placement.height is not None else natural_height
    factor = placement.scale * (target_height / natural_height if natural_height > 0 else 1.0)
    root.scale = (factor, factor, factor)
    root.location = placement.position
    root.rotation_euler = (0.0, 0.0, math.radians(placement.facing_deg))
    return root


def _stand_on_origin(parts: list[bpy.types.Object]) -> float:
    """Move the top-level parts so the model's feet touch Z=0 at X=Y=0; return its height."""
    bpy.context.view_layer.update()
    box = world_bounding_box(parts)
    if box is None:
        return 0.0
    (min_x, min_y, min_z), (max_x, max_y, max_z) = box
    offset = Vector(((min_x + max_x) / 2.0, (min_y + max_y) / 2.0, min_z))
    for part in parts:
        if part.parent is None:
            part.location = part.location - offset
    bpy.context.view_layer.update()
    return max_z - min_z


def world_bounding_box(objects: Iterable[bpy.types.Object]) -> Box | None:
    """The world-space box around every mesh in ``objects`` (None when there is none)."""
    corners = [obj.matrix_world @ Vector(corner) for obj in objects if obj.type == "MESH" for corner in obj.bound_box]
    if not corners:
        return None
    low = tuple(min(corner[axis] for corner in corners) for axis in range(3))
    high = tuple(max(corner[axis] for corner in corners) for axis in range(3))
    return low, high  # type: ignore[return-value]


def character_meshes(roots: Iterable[bpy.types.Object]) -> list[bpy.types.Object]:
    """Every mesh under the character roots."""
    return [child for root in roots for child in root.children_recursive if child.type == "MESH"]
