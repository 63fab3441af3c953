"""The built-in stand-ins (``builtin:mannequin``, ``builtin:mannequin_female``, ``builtin:child``): one builder.

A body is rigid primitives hung on the bones of an armature (:mod:`.rig`),
built from the proportions of :mod:`production_assets.acting.bodies`, with a
face (:mod:`.face`). It stands on Z=0 around the origin, facing -Y. Every
mesh carries its wardrobe role (:data:`ROLE_PROPERTY`: primary clothes,
secondary clothes, skin, shoes, hair, and the face's eye_white, iris, mouth),
so a prepared body can be dressed in any look by swapping one material per role.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import bpy
from mathutils import Vector

from production_assets.acting.bodies import BUILTIN_MODELS, BodyProportions, arm_joints, body_of, leg_joints, skeleton
from production_assets.model.presets import WardrobeLook
from production_assets.render.face import FACE_COLORS, build_face
from production_assets.render.materials import assign_material, principled_material
from production_assets.render.primitives import add_instance
from production_assets.render.rig import build_armature, parent_to_bone

ROLE_PROPERTY = "wardrobe_role"
ROLES = ("primary", "secondary", "skin", "shoes", "hair", "eye_white", "iris", "mouth")
SHOE_SHADE = 0.4
HAIR_COLOR = (0.05, 0.035, 0.02)
ROUGHNESS = {"primary": 0.7, "secondary": 0.8, "skin": 0.5, "shoes": 0.4, "hair": 0.6, "eye_white": 0.3,
             "iris": 0.2, "mouth": 0.6}  # fmt: skip

Vec3 = tuple[float, float, float]
Shape = Literal["cube", "cylinder", "sphere"]
Blob = Callable[[str, Vec3, Vec3, str, str], None]
Limb = Callable[[str, Vec3, Vec3, float, str, str], None]


def look_prefix(look_name: str) -> str:
    """Material name prefix of a look's set in a prepared body: ``wardrobe.<look>``."""
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
        **FACE_COLORS,
    }
    return {role: principled_material(f"{prefix}.{role}", colors[role], ROUGHNESS[role]) for role in ROLES}


def dress(parts: list[bpy.types.Object], materials: dict[str, bpy.types.Material]) -> None:
    """Give every part the material of its wardrobe role (on the object when its mesh is shared)."""
    for part in parts:
        role = part.get(ROLE_PROPERTY)
        if role not in materials:
            continue
        if part.material_slots and part.material_slots[0].link == "OBJECT":
            part.material_slots[0].material = materials[role]
        else:
            assign_material(part, materials[role])


def build_body(
    name: str, model: str, materials: dict[str, bpy.types.Material], collection: bpy.types.Collection
) -> list[bpy.types.Object]:
    """A built-in body facing -Y, dressed in ``materials``: the armature first, then its parts."""
    body = body_of(model)
    if body is None:
        raise ValueError(f"{model!r} is not a built-in model ({', '.join(BUILTIN_MODELS)})")
    bones = skeleton(body)
    rig = build_armature(name, bones, collection)
    parts: list[bpy.types.Object] = []

    def add_part(obj: bpy.types.Object, role: str, bone: str) -> None:
        obj[ROLE_PROPERTY] = role
        parent_to_bone(obj, rig, bone)
        parts.append(obj)

    def shape(label: str, kind: Shape, centre: Vec3, half: Vec3, role: str, bone: str) -> bpy.types.Object:
        obj = add_instance(f"{name}.{label}", kind, materials[role], centre, half, collection=collection)
        add_part(obj, role, bone)
        return obj

    def blob(label: str, centre: Vec3, half: Vec3, role: str, bone: str) -> None:
        shape(label, "sphere", centre, half, role, bone)

    def limb(label: str, start: Vec3, end: Vec3, radius: float, role: str, bone: str) -> None:
        direction = Vector(end) - Vector(start)
        centre = (Vector(start) + Vector(end)) / 2.0
        segment = shape(label, "cylinder", tuple(centre), (radius, radius, direction.length / 2.0), role, bone)
        segment.rotation_euler = direction.to_track_quat("Z", "Y").to_euler()

    _head_and_torso(body, blob, limb)
    g, k = body.girth, body.leg_scale
    for side, sign in (("L", 1.0), ("R", -1.0)):
        shoulder, elbow, wrist = arm_joints(body, sign)
        blob(f"shoulder.{side}", shoulder, (0.058 * g,) * 3, "primary", f"upper_arm.{side}")
        limb(f"upper_arm.{side}", shoulder, elbow, 0.048 * g, "primary", f"upper_arm.{side}")
        blob(f"elbow.{side}", elbow, (0.044 * g,) * 3, "primary", f"forearm.{side}")
        limb(f"forearm.{side}", elbow, wrist, 0.04 * g, "primary", f"forearm.{side}")
        hand_size = body.arm_length / 0.54
        hand_centre = (wrist[0] + sign * 0.005, wrist[1], wrist[2] - 0.06 * hand_size)
        blob(f"hand.{side}", hand_centre, (0.035 * g, 0.03 * g, 0.065 * hand_size), "skin", f"hand.{side}")
        hip, knee, ankle = leg_joints(body, sign)
        limb(f"thigh.{side}", hip, knee, 0.075 * g, "secondary", f"thigh.{side}")
        blob(f"knee.{side}", knee, (0.062 * g,) * 3, "secondary", f"shin.{side}")
        limb(f"shin.{side}", knee, ankle, 0.058 * g, "secondary", f"shin.{side}")
        shape(f"foot.{side}", "cube", (hip[0], -0.05 * k, 0.045 * k), (0.055 * g, 0.13 * k, 0.045 * k), "shoes",
              f"foot.{side}")  # fmt: skip
    build_face(name, body, bones, shape)
    return [rig, *parts]


def _head_and_torso(body: BodyProportions, blob: Blob, limb: Limb) -> None:
    hx, hy, hz = body.head_half
    centre, g, torso = body.head_centre_z, body.girth, body.torso_length
    hip_z, shoulder_z, width = body.leg_length, body.shoulder_z, body.shoulder_half_width
    blob("head", (0.0, 0.0, centre), body.head_half, "skin", "head")
    blob("nose", (0.0, -0.95 * hy, centre - 0.13 * hz), (0.19 * hx, 0.29 * hy, 0.21 * hz), "skin", "head")
    blob("hair", (0.0, 0.14 * hy, centre + 0.3 * hz), (1.05 * hx, hy, 0.76 * hz), "hair", "head")
    if body.long_hair:
        blob("hair_back", (0.0, 0.42 * hy, centre - 0.45 * hz), (1.02 * hx, 0.62 * hy, 1.25 * hz), "hair", "head")
    limb("neck", (0.0, 0.0, body.neck_bottom_z), (0.0, 0.0, body.neck_top_z), 0.05 * g, "skin", "neck")
    blob("chest", (0.0, 0.0, shoulder_z - 0.19 * torso), (0.95 * width, 0.11 * g, 0.29 * torso), "primary", "chest")
    limb("torso", (0.0, 0.0, hip_z + 0.15 * torso), (0.0, 0.0, shoulder_z - 0.27 * torso), 0.14 * g, "primary",
         "spine")  # fmt: skip
    pelvis_half = (1.7 * body.hip_half_width, 0.11 * g, 0.19 * torso)
    blob("pelvis", (0.0, 0.0, hip_z + 0.08 * torso), pelvis_half, "secondary", "hips")
