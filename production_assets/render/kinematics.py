"""Forward and inverse kinematics of the acting skeleton, frame by frame (no bpy).

Rotations follow one rule everywhere in the action library: a bone's local
rotation is parent-relative and expressed in the axes of the character at rest
(X: toward the character's left, -Y: forward, Z: up). So a bone's rotation
from rest in character space is ``W(bone) = W(parent) * R(bone)``, and
Blender's pose-bone rotation is ``rest^-1 * R * rest`` (:mod:`.rig`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from production_assets.acting.bodies import BoneRest, Skeleton
from production_assets.render import rotations

Array = np.ndarray
FORWARD = np.array([0.0, -1.0, 0.0])
X_AXIS = np.array([1.0, 0.0, 0.0])
Z_AXIS = np.array([0.0, 0.0, 1.0])


def direction(bone: BoneRest) -> Array:
    return np.subtract(bone.tail, bone.head)


@dataclass
class LegSolution:
    """Local rotations of one leg and where its ankle ended up (character space)."""

    thigh: Array
    shin: Array
    foot: Array
    ankle: Array


def solve_leg(
    bones: Skeleton,
    side: str,
    hips_world: Array,
    hips_offset: Array,
    ankle_target: Array,
    foot_pitch: Array,
    foot_yaw: Array,
) -> LegSolution:
    """Two-bone IK: thigh, shin and foot rotations putting the ankle on ``ankle_target``, knee forward.

    ``hips_world`` (F, 4) is the hips' rotation from rest, ``hips_offset`` (F, 3)
    its move; the foot is set flat, then pitched by ``foot_pitch`` (radians, toe
    up positive) and turned by ``foot_yaw`` about Z, in character space.
    """
    hips, thigh, shin = bones["hips"], bones[f"thigh.{side}"], bones[f"shin.{side}"]
    upper, lower = float(np.linalg.norm(direction(thigh))), float(np.linalg.norm(direction(shin)))
    joint = np.add(hips.head, hips_offset) + rotations.rotate(hips_world, np.subtract(thigh.head, hips.head))
    reach = ankle_target - joint
    distance = np.linalg.norm(reach, axis=-1, keepdims=True)
    unit = reach / np.maximum(distance, 1e-9)
    distance = np.clip(distance, abs(upper - lower) + 1e-4, 0.999 * (upper + lower))
    ankle = joint + unit * distance
    pole = rotations.rotate(hips_world, np.broadcast_to(FORWARD, joint.shape))
    pole = pole - unit * np.sum(pole * unit, axis=-1, keepdims=True)
    pole /= np.maximum(np.linalg.norm(pole, axis=-1, keepdims=True), 1e-9)
    along = (upper**2 - lower**2 + distance**2) / (2.0 * distance)
    knee = joint + unit * along + pole * np.sqrt(np.maximum(upper**2 - along**2, 0.0))
    thigh_world = rotations.between(np.broadcast_to(direction(thigh), knee.shape), knee - joint)
    shin_world = rotations.between(np.broadcast_to(direction(shin), knee.shape), ankle - knee)
    foot_world = rotations.multiply(rotations.axis_angle(Z_AXIS, foot_yaw), rotations.axis_angle(X_AXIS, -foot_pitch))
    return LegSolution(
        thigh=rotations.multiply(rotations.conjugate(hips_world), thigh_world),
        shin=rotations.multiply(rotations.conjugate(thigh_world), shin_world),
        foot=rotations.multiply(rotations.conjugate(shin_world), foot_world),
        ankle=ankle,
    )


def world_rotations(bones: Skeleton, local: dict[str, Array], count: int) -> dict[str, Array]:
    """``W(bone)`` for every bone: its rotation from rest in character space (parents first in ``bones``)."""
    world: dict[str, Array] = {}
    for name, bone in bones.items():
        own = local.get(name, rotations.identity(count))
        world[name] = own if bone.parent is None else rotations.multiply(world[bone.parent], own)
    return world


def joint_positions(bones: Skeleton, local: dict[str, Array], hips_offset: Array) -> dict[str, tuple[Array, Array]]:
    """Posed (head, tail) of every bone in character space, (F, 3) each."""
    count = len(hips_offset)
    world = world_rotations(bones, local, count)
    posed: dict[str, tuple[Array, Array]] = {}
    for name, bone in bones.items():
        if bone.parent is None:
            head = np.add(bone.head, hips_offset)
        else:
            parent = bones[bone.parent]
            head = posed[bone.parent][0] + rotations.rotate(world[bone.parent], np.subtract(bone.head, parent.head))
        posed[name] = (head, head + rotations.rotate(world[name], np.broadcast_to(direction(bone), head.shape)))
    return posed


def to_world(points: Array, root_location: Array, root_yaw: Array, scale: float) -> Array:
    """Character-space points (F, 3) placed by the root: scaled, turned by ``root_yaw``, moved."""
    turn = rotations.axis_angle(Z_AXIS, root_yaw)
    return root_location + rotations.rotate(turn, points * scale)
