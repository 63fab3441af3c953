"""Mesh primitives built with bmesh (no operators, so no UI context is needed).

:func:`add_primitive` gives each object its own mesh (characters recolour
theirs); :func:`add_instance` shares one mesh per shape, the object carrying
its own material, so a set of hundreds of primitives builds fast.
"""

from __future__ import annotations

import math
from typing import Literal

import bmesh
import bpy
from mathutils import Euler

Shape = Literal["cube", "cylinder", "sphere", "cone", "plane"]
SHARED_MESH_PREFIX = "Primitive."
Vec3 = tuple[float, float, float]


def _fill(mesh_bm: bmesh.types.BMesh, shape: Shape) -> None:
    if shape == "cube":
        bmesh.ops.create_cube(mesh_bm, size=2.0)
    elif shape == "cylinder":
        bmesh.ops.create_cone(mesh_bm, cap_ends=True, segments=24, radius1=1.0, radius2=1.0, depth=2.0)
    elif shape == "cone":
        bmesh.ops.create_cone(mesh_bm, cap_ends=True, segments=24, radius1=1.0, radius2=0.0, depth=2.0)
    elif shape == "sphere":
        bmesh.ops.create_uvsphere(mesh_bm, u_segments=24, v_segments=12, radius=1.0)
    else:
        bmesh.ops.create_grid(mesh_bm, x_segments=1, y_segments=1, size=1.0)


def add_primitive(
    name: str,
    shape: Shape,
    location: Vec3,
    scale: Vec3 = (1.0, 1.0, 1.0),
    rotation_deg: Vec3 = (0.0, 0.0, 0.0),
    collection: bpy.types.Collection | None = None,
) -> bpy.types.Object:
    """A mesh object like Blender's Add > Mesh: unit half-extents, so ``scale`` is the half-size."""
    mesh = bpy.data.meshes.new(name)
    mesh_bm = bmesh.new()
    _fill(mesh_bm, shape)
    mesh_bm.to_mesh(mesh)
    mesh_bm.free()
    if shape in ("cylinder", "sphere", "cone"):
        mesh.shade_smooth()
    return _place(bpy.data.objects.new(name, mesh), location, scale, rotation_deg, collection)


def shared_mesh(shape: Shape) -> bpy.types.Mesh:
    """The one mesh of ``shape`` that :func:`add_instance` objects share (one empty material slot)."""
    name = f"{SHARED_MESH_PREFIX}{shape}"
    mesh = bpy.data.meshes.get(name)
    if mesh is None:
        mesh = bpy.data.meshes.new(name)
        mesh_bm = bmesh.new()
        _fill(mesh_bm, shape)
        mesh_bm.to_mesh(mesh)
        mesh_bm.free()
        if shape in ("cylinder", "sphere", "cone"):
            mesh.shade_smooth()
        mesh.materials.append(None)
    return mesh


def add_instance(
    name: str,
    shape: Shape,
    material: bpy.types.Material,
    location: Vec3,
    scale: Vec3 = (1.0, 1.0, 1.0),
    rotation_deg: Vec3 = (0.0, 0.0, 0.0),
    collection: bpy.types.Collection | None = None,
) -> bpy.types.Object:
    """Like :func:`add_primitive` on the shared mesh of ``shape``, with ``material`` linked to the object."""
    obj = bpy.data.objects.new(name, shared_mesh(shape))
    slot = obj.material_slots[0]
    slot.link = "OBJECT"
    slot.material = material
    return _place(obj, location, scale, rotation_deg, collection)


def _place(
    obj: bpy.types.Object, location: Vec3, scale: Vec3, rotation_deg: Vec3, collection: bpy.types.Collection | None
) -> bpy.types.Object:
    obj.location = location
    obj.scale = scale
    obj.rotation_euler = Euler([math.radians(angle) for angle in rotation_deg], "XYZ")
    (collection or bpy.context.scene.collection).objects.link(obj)
    return obj
