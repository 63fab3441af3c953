"""Armatures: build the built-in skeleton, hang parts on its bones, key a performance, aim the eyes.

The built-in rig (``<name>.rig``, custom property ``acting_rig = "builtin"``)
has the bones of :mod:`production_assets.acting.bodies`, roll 0: upright bones
have local Z pointing forward (-Y), the face bones point forward with local Z
up. Parts follow their bones by bone parenting (rigid, no skinning).

A performance (:class:`~.timeline.PoseTrack`) is keyed as one F-curve per
channel with a key on every frame, written in bulk (``foreach_set``), so
evaluation is plain F-curve sampling: bone rotations are quaternions, the
hips also move, eyes blink and the mouth opens by bone scale, brows rise by
bone location. Head and eyes aim with constraints (Damped Track, then Limit
Rotation in local space for natural limits) at the camera or an empty.
"""

from __future__ import annotations

from collections.abc import Iterable

import bpy
import numpy as np
from mathutils import Matrix

from production_assets.acting.bodies import Skeleton
from production_assets.render import rotations

Array = np.ndarray
RIG_PROPERTY = "acting_rig"
BUILTIN_RIG = "builtin"
LINEAR = 1  # FCurve keyframe interpolation enum index: CONSTANT 0, LINEAR 1, BEZIER 2
NECK_LIMITS_DEG = (35.0, 80.0, 25.0)
EYE_LIMITS_DEG = (25.0, 0.0, 35.0)
AXES = {
    (0, 1.0): "TRACK_X", (1, 1.0): "TRACK_Y", (2, 1.0): "TRACK_Z",
    (0, -1.0): "TRACK_NEGATIVE_X", (1, -1.0): "TRACK_NEGATIVE_Y", (2, -1.0): "TRACK_NEGATIVE_Z",
}  # fmt: skip


def build_armature(name: str, bones: Skeleton, collection: bpy.types.Collection) -> bpy.types.Object:
    """An armature object ``<name>.rig`` at the origin with ``bones`` at rest (edit mode, then back)."""
    data = bpy.data.armatures.new(f"{name}.rig")
    rig = bpy.data.objects.new(f"{name}.rig", data)
    rig[RIG_PROPERTY] = BUILTIN_RIG
    collection.objects.link(rig)
    view_layer = bpy.context.view_layer
    previous = view_layer.objects.active
    view_layer.objects.active = rig
    bpy.ops.object.mode_set(mode="EDIT")
    for bone_name, rest in bones.items():
        edit = data.edit_bones.new(bone_name)
        edit.head, edit.tail, edit.roll = rest.head, rest.tail, 0.0
        if rest.parent is not None:
            edit.parent = data.edit_bones[rest.parent]
    bpy.ops.object.mode_set(mode="OBJECT")
    view_layer.objects.active = previous
    return rig


def parent_to_bone(part: bpy.types.Object, rig: bpy.types.Object, bone_name: str) -> None:
    """Hang ``part`` on a bone without moving it (bone parents sit at the bone's tail)."""
    bone = rig.data.bones[bone_name]
    part.parent = rig
    part.parent_type = "BONE"
    part.parent_bone = bone_name
    tail = rig.matrix_world @ bone.matrix_local @ Matrix.Translation((0.0, bone.length, 0.0))
    part.matrix_parent_inverse = tail.inverted()


def rest_rotation(rig: bpy.types.Object, bone_name: str) -> Array:
    """A bone's rest orientation in armature space, as a (w, x, y, z) quaternion."""
    return rotations.from_matrix(np.array(rig.data.bones[bone_name].matrix_local.to_3x3()))


def new_channelbag(owner: bpy.types.ID, name: str) -> bpy.types.ActionChannelbag:
    """A fresh layered action assigned to ``owner``, and the channelbag of its slot."""
    action = bpy.data.actions.new(name)
    slot = action.slots.new(id_type="OBJECT", name=owner.name)
    strip = action.layers.new("Layer").strips.new(type="KEYFRAME")
    channelbag = strip.channelbag(slot, ensure=True)
    owner.animation_data_create()
    owner.animation_data.action = action
    owner.animation_data.action_slot = slot
    return channelbag


def key_channels(channelbag: bpy.types.ActionChannelbag, data_path: str, values: Array) -> None:
    """One F-curve per column of ``values`` (frames x components), a linear key on every frame from 1."""
    values = np.asarray(values, dtype=np.float32).reshape(len(values), -1)
    frames = np.arange(1, len(values) + 1, dtype=np.float32)
    for index in range(values.shape[1]):
        curve = channelbag.fcurves.new(data_path, index=index)
        curve.keyframe_points.add(len(values))
        curve.keyframe_points.foreach_set("co", np.column_stack((frames, values[:, index])).ravel())
        curve.keyframe_points.foreach_set("interpolation", np.full(len(values), LINEAR, dtype=np.int32))
        curve.update()


def key_bone_rotations(channelbag: bpy.types.ActionChannelbag, rig: bpy.types.Object, local: dict[str, Array]) -> None:
    """Key pose rotations: ``rest^-1 * R * rest`` of each bone's character-space local rotation ``R``."""
    for name, rotation in local.items():
        rest = rest_rotation(rig, name)
        basis = rotations.multiply(rotations.conjugate(rest), rotations.multiply(rotation, rest))
        rig.pose.bones[name].rotation_mode = "QUATERNION"
        key_channels(channelbag, f'pose.bones["{name}"].rotation_quaternion', rotations.continuous(basis))


def key_bone_offset(
    channelbag: bpy.types.ActionChannelbag, rig: bpy.types.Object, bone_name: str, offset: Array
) -> None:
    """Key a bone's location from an armature-space offset (frames x 3)."""
    rest = rest_rotation(rig, bone_name)
    key_channels(channelbag, f'pose.bones["{bone_name}"].location', rotations.rotate(rotations.conjugate(rest), offset))


def key_bone_scale(channelbag: bpy.types.ActionChannelbag, bone_name: str, scale: Array) -> None:
    key_channels(channelbag, f'pose.bones["{bone_name}"].scale', scale)


def forward_axis(rig: bpy.types.Object, bone_name: str, forward: Iterable[float] = (0.0, -1.0, 0.0)) -> str:
    """The Damped Track axis of a bone that points the character's way at rest."""
    to_armature = np.array(rig.data.bones[bone_name].matrix_local.to_3x3())
    alignment = to_armature.T @ np.asarray(list(forward))
    axis = int(np.argmax(np.abs(alignment)))
    return AXES[(axis, float(np.sign(alignment[axis])))]


def aim_bone(
    rig: bpy.types.Object, bone_name: str, target: bpy.types.Object, limits_deg: tuple[float, float, float]
) -> None:
    """Turn a bone's forward axis toward ``target``, within ``limits_deg`` (local X, Y, Z) of its own pose."""
    pose_bone = rig.pose.bones[bone_name]
    track = pose_bone.constraints.new("DAMPED_TRACK")
    track.target = target
    track.track_axis = forward_axis(rig, bone_name)
    limit = pose_bone.constraints.new("LIMIT_ROTATION")
    limit.owner_space = "LOCAL"
    for axis, degrees in zip("xyz", limits_deg, strict=True):
        setattr(limit, f"use_limit_{axis}", True)
        setattr(limit, f"min_{axis}", -np.radians(degrees))
        setattr(limit, f"max_{axis}", np.radians(degrees))
