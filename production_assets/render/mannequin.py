"""The built-in stand-in ``builtin:mannequin``: a 1.8 m humanoid of primitives, with a head.

Every part carries its wardrobe role (:data:`ROLE_PROPERTY`: primary clothes,
secondary clothes, skin, shoes, hair), so a prepared mannequin can be dressed
in any look by swapping one material per role.
"""

from __future__ import annotations

import bpy

from production_assets.model.presets import WardrobeLook
from production_assets.render.materials import assign_material, principled_material
from production_assets.render.primitives import add_primitive, add_segment

MANNEQUIN = "builtin:mannequin"
ROLE_PROPERTY = "wardrobe_role"
ROLES = ("primary", "secondary", "skin", "shoes", "hair")
SHOE_SHADE = 0.4
HAIR_COLOR = (0.05, 0.035, 0.02)
ROUGHNESS = {"primary": 0.7, "secondary": 0.8, "skin": 0.5, "shoes": 0.4, "hair": 0.6}

Vec3 = tuple[float, float, float]


def look_prefix(look_name: str) -> str:
    """Material name prefix of a look's set in a prepared mannequin: ``wardrobe.<look>``."""
    return f"wardrobe.{look_name}"


def look_materials(prefix: str, look: WardrobeLook) -> dict[str, bpy.types.Material]:
    """One material per wardrobe role, named ``<prefix>.<role>``; surface colours are sRGB picker values."""
    shoe_color = (
        look.secondary_color[0] * SHOE_SHADE,
        look.secondary_color[1] * SHOE_SHADE,
        look.secondary_color[2] * SHOE_SHADE,
    )
    colors = {
        "primary": look.primary_color,
        "secondary": look.secondary_color,
        "skin": look.skin_color,
        "shoes": shoe_color,
        "hair": HAIR_COLOR,
    }
    return {role: principled_material(f"{prefix}.{role}", colors[role], ROUGHNESS[role]) for role in ROLES}


def dress(parts: list[bpy.types.Object], materials: dict[str, bpy.types.Material]) -> None:
    """Give every part the material of its wardrobe role."""
    for part in parts:
        role = part.get(ROLE_PROPERTY)
        if role in materials:
            assign_material(part, materials[role])


def build_mannequin(
    name: str, materials: dict[str, bpy.types.Material], collection: bpy.types.Collection
) -> list[bpy.types.Object]:
    """A 1.8 m humanoid stand-in facing -Y, dressed in ``materials`` (one per role, see :func:`look_materials`)."""
    parts: list[bpy.types.Object] = []

    def part(obj: bpy.types.Object, role: str) -> None:
        obj[ROLE_PROPERTY] = role
        parts.append(obj)

    def blob(label: str, centre: Vec3, half: Vec3, role: str) -> None:
        part(add_primitive(f"{name}.{label}", "sphere", centre, half, collection=collection), role)

    def limb(label: str, start: Vec3, end: Vec3, radius: float, role: str) -> None:
        part(add_segment(f"{name}.{label}", start, end, radius, collection), role)

    blob("head", (0.0, 0.0, 1.685), (0.095, 0.105, 0.118), "skin")
    blob("nose", (0.0, -0.1, 1.67), (0.018, 0.03, 0.025), "skin")
    blob("hair", (0.0, 0.015, 1.72), (0.1, 0.105, 0.09), "hair")
    limb("neck", (0.0, 0.0, 1.47), (0.0, 0.0, 1.6), 0.05, "skin")
    blob("chest", (0.0, 0.0, 1.34), (0.19, 0.11, 0.15), "primary")
    limb("torso", (0.0, 0.0, 1.0), (0.0, 0.0, 1.3), 0.14, "primary")
    blob("pelvis", (0.0, 0.0, 0.96), (0.17, 0.11, 0.1), "secondary")
    for side, sign in (("L", 1.0), ("R", -1.0)):
        shoulder = (sign * 0.2, 0.0, 1.44)
        elbow = (sign * 0.24, 0.0, 1.16)
        wrist = (sign * 0.26, -0.03, 0.9)
        blob(f"shoulder.{side}", shoulder, (0.058, 0.058, 0.058), "primary")
        limb(f"upper_arm.{side}", shoulder, elbow, 0.048, "primary")
        blob(f"elbow.{side}", elbow, (0.044, 0.044, 0.044), "primary")
        limb(f"forearm.{side}", elbow, wrist, 0.04, "primary")
        blob(f"hand.{side}", (sign * 0.265, -0.03, 0.84), (0.035, 0.03, 0.065), "skin")
        hip, knee, ankle = (sign * 0.1, 0.0, 0.92), (sign * 0.1, -0.01, 0.5), (sign * 0.1, 0.0, 0.1)
        limb(f"thigh.{side}", hip, knee, 0.075, "secondary")
        blob(f"knee.{side}", knee, (0.062, 0.062, 0.062), "secondary")
        limb(f"shin.{side}", knee, ankle, 0.058, "secondary")
        foot_centre, foot_half = (sign * 0.1, -0.05, 0.045), (0.055, 0.13, 0.045)
        part(add_primitive(f"{name}.foot.{side}", "cube", foot_centre, foot_half, collection=collection), "shoes")
    dress(parts, materials)
    return parts
