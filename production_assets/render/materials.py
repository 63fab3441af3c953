"""Principled BSDF materials (Blender manual: Shader Nodes > Principled BSDF).

Surface colours in presets are display values (sRGB, as read off a colour
picker's hex field), so they are converted to scene-linear for Base Color.
Read literally as linear, a 0.3 "concrete" renders near white and a
(0.6, 0.08, 0.05) "red jacket" salmon pink. Light and world colours are
emission tints and stay as given.
"""

from __future__ import annotations

import bpy

from production_assets.model.base import Color


def srgb_to_linear(color: Color) -> Color:
    """The IEC 61966-2-1 sRGB transfer function, inverted per channel."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (channel(color[0]), channel(color[1]), channel(color[2]))


def principled_material(
    name: str, color: Color, roughness: float = 0.6, emission: float = 0.0, metallic: float = 0.0
) -> bpy.types.Material:
    """A material with an sRGB base ``color``, roughness, metallic and (``emission`` > 0) emission in that colour."""
    material = bpy.data.materials.new(name)
    if material.node_tree is None:
        material.use_nodes = True
    bsdf = principled_bsdf(material)
    rgba = (*srgb_to_linear(color), 1.0)
    bsdf.inputs["Base Color"].default_value = rgba
    bsdf.inputs["Roughness"].default_value = roughness
    bsdf.inputs["Metallic"].default_value = metallic
    if emission > 0:
        bsdf.inputs["Emission Color"].default_value = rgba
        bsdf.inputs["Emission Strength"].default_value = emission
    material.diffuse_color = rgba
    return material


def assign_material(obj: bpy.types.Object, material: bpy.types.Material) -> None:
    """Make ``material`` the only material of a mesh object."""
    obj.data.materials.clear()
    obj.data.materials.append(material)


def principled_bsdf(material: bpy.types.Material) -> bpy.types.Node:
    """The material's Principled BSDF node."""
    return next(node for node in material.node_tree.nodes if node.bl_idname == "ShaderNodeBsdfPrincipled")
