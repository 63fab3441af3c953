"""Characters in the shot: a built-in body or a model file, dressed, scaled and placed.

Every character hangs under a root empty that carries its mark (position,
facing, scale), so the model itself stays in its own units with its feet at
the root; a walk or a turn moves the root (:mod:`.animation`). A character
comes from its prepared .blend when the placement names one
(:mod:`.prepared_characters`), otherwise it is built or loaded here.
Built-in bodies are made standing on the origin; a model file is moved so its
feet touch Z=0 around the origin. Scripts embedded in .blend files never run.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import bpy
from mathutils import Vector

from production_assets.acting.bodies import body_of
from production_assets.model.render_job import CharacterPlacement
from production_assets.render.mannequin import build_body, look_materials
from production_assets.render.model_files import load_model_file
from production_assets.render.prepared_characters import load_prepared_character

Vec3 = tuple[float, float, float]
Box = tuple[Vec3, Vec3]


@dataclass
class PlacedCharacter:
    """A character in the scene: its placement, root empty, objects, natural height and the actions its file brought."""

    placement: CharacterPlacement
    root: bpy.types.Object
    parts: list[bpy.types.Object]
    natural_height: float
    file_actions: list[bpy.types.Action] = field(default_factory=list)

    @property
    def scale(self) -> float:
        """The root's uniform scale (model units to world metres)."""
        return float(self.root.scale[0])

    @property
    def armature(self) -> bpy.types.Object | None:
        return next((part for part in self.parts if part.type == "ARMATURE"), None)


def place_characters(placements: Iterable[CharacterPlacement]) -> list[PlacedCharacter]:
    """Build every character at its mark."""
    return [place_character(placement) for placement in placements]


def place_character(placement: CharacterPlacement) -> PlacedCharacter:
    """Build one character under a root empty at its mark, facing ``facing_deg`` from -Y."""
    collection = bpy.data.collections.new(f"Character.{placement.name}")
    bpy.context.scene.collection.children.link(collection)
    root = bpy.data.objects.new(f"{placement.name}.root", None)
    collection.objects.link(root)
    actions_before = set(bpy.data.actions)
    body = body_of(placement.model)
    if placement.prepared_blend:
        parts = load_prepared_character(placement.prepared_blend, placement, collection)
    elif body is not None:
        parts = build_body(placement.name, placement.model, look_materials(placement.name, placement.look), collection)
    else:
        parts = load_model_file(placement.model, placement.look, collection)
    natural_height = body.height if body is not None else _stand_on_origin(parts)
    for part in parts:
        if part.parent is None:
            part.parent = root
    target_height = placement.height if placement.height is not None else natural_height
    factor = placement.scale * (target_height / natural_height if natural_height > 0 else 1.0)
    root.scale = (factor, factor, factor)
    root.location = placement.position
    root.rotation_euler = (0.0, 0.0, math.radians(placement.facing_deg))
    file_actions = [action for action in bpy.data.actions if action not in actions_before]
    return PlacedCharacter(placement, root, parts, natural_height, file_actions)


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
