"""A style's colour management and light rig (Blender manual: Render > Color Management)."""

from __future__ import annotations

import sys

import bpy

from production_assets.model.presets import StylePreset
from production_assets.render.lights import add_light

Vec3 = tuple[float, float, float]


def apply_color_management(scene: bpy.types.Scene, style: StylePreset) -> None:
    """View transform, look and exposure; a look this Blender lacks falls back to 'None'."""
    view = scene.view_settings
    view.view_transform = style.view_transform
    try:
        view.look = style.look
    except TypeError:
        print(f"warning: look {style.look!r} not available for {style.view_transform}, using None", file=sys.stderr)
        view.look = "None"
    view.exposure = style.exposure


def build_light_rig(style: StylePreset, ground: Vec3, centre: Vec3) -> list[bpy.types.Object]:
    """Key, fill and rim lights offset from the subject's ground point and aimed at its centre.

    The preset positions are written for a subject standing at the origin, so
    they are added to ``ground`` (the subject's footprint centre at floor level).
    """
    rig = [("Key", style.key_light), ("Fill", style.fill_light), ("Rim", style.rim_light)]
    lights = []
    for name, spec in rig:
        if spec is None:
            continue
        location = tuple(offset + base for offset, base in zip(spec.location, ground, strict=True))
        lights.append(add_light(name, spec, location=location, aim_at=centre))  # type: ignore[arg-type]
    return lights
