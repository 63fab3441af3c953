"""Blender lights from :class:`LightSpec` (Blender manual: Lighting > Light Objects)."""

from __future__ import annotations

import math

import bpy
from mathutils import Euler, Vector

from production_assets.model.presets import LightSpec

Vec3 = tuple[float, float, float]


def add_light(
    name: str,
    spec: LightSpec,
    location: Vec3 | None = None,
    aim_at: Vec3 | None = None,
    collection: bpy.types.Collection | None = None,
) -> bpy.types.Object:
    """A light of the spec's kind, colour (linear RGB), power and size, in ``collection`` or the scene.

    ``size`` maps to the area size, the point/spot radius, or the sun's angular
    diameter (radians). With ``aim_at`` the light points at that spot instead of
    using ``rotation_deg`` (suns keep their rotation: only their direction matters).
    """
    light = bpy.data.lights.new(name, type=spec.kind)
    light.color = spec.color
    light.energy = spec.energy
    if spec.kind == "AREA":
        light.size = spec.size
    elif spec.kind == "SUN":
        light.angle = spec.size
    else:
        light.shadow_soft_size = spec.size
    obj = bpy.data.objects.new(name, light)
    obj.location = location if location is not None else spec.location
    if aim_at is not None and spec.kind != "SUN":
        direction = Vector(aim_at) - Vector(obj.location)
        obj.rotation_euler = direction.to_track_quat("-Z", "Y").to_euler()
    else:
        obj.rotation_euler = Euler([math.radians(angle) for angle in spec.rotation_deg], "XYZ")
    (collection or bpy.context.scene.collection).objects.link(obj)
    return obj
