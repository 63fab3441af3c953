"""The procedural library on other people's armatures: bone-name conventions and the rotation maths.

A model file's armature is driven when its bone names follow a convention of
:data:`CONVENTIONS`: Rigify deform (``DEF-spine``...), Rigify original
(``ORG-``), a Rigify metarig (plain ``spine``, ``spine.001``...), or Mixamo
(``mixamorig:Hips``..., any ``mixamorigN:`` prefix). At least the bones of
:data:`CORE` must be found.

Retargeting keeps the motion and not the rest pose: each mapped bone is first
swung from its own rest direction to the built-in skeleton's (a T-pose arm is
brought down beside the body), then given the built-in bone's rotation from
rest, both in character space. Bones without a counterpart follow their
parent. Legs are solved on the file's own leg lengths, so feet stay planted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from production_assets.acting.bodies import BoneRest, Skeleton, scaled_skeleton
from production_assets.render import rotations

Array = np.ndarray
MIXAMO_PREFIX = re.compile(r"^mixamorig\d*:")
CORE = frozenset(
    {"hips", "spine", "head", "upper_arm.L", "upper_arm.R", "forearm.L", "forearm.R", "thigh.L", "thigh.R",
     "shin.L", "shin.R"}
)  # fmt: skip
LEG_BONES = ("hips", "thigh.L", "shin.L", "foot.L", "thigh.R", "shin.R", "foot.R")

_RIGIFY = {
    "hips": "spine", "spine": "spine.001", "chest": "spine.003", "neck": "spine.004", "head": "spine.006",
    "eye.L": "eye.L", "eye.R": "eye.R",
    **{f"{bone}.{side}": f"{bone}.{side}" for side in "LR"
       for bone in ("shoulder", "upper_arm", "forearm", "hand", "thigh", "shin", "foot")},
}  # fmt: skip
_MIXAMO = {
    "hips": "Hips", "spine": "Spine", "chest": "Spine2", "neck": "Neck", "head": "Head",
    **{f"{ours}.{side}": f"{word}{theirs}" for side, word in (("L", "Left"), ("R", "Right"))
       for ours, theirs in (("eye", "Eye"), ("shoulder", "Shoulder"), ("upper_arm", "Arm"), ("forearm", "ForeArm"),
                            ("hand", "Hand"), ("thigh", "UpLeg"), ("shin", "Leg"), ("foot", "Foot"))},
}  # fmt: skip
CONVENTIONS: dict[str, dict[str, str]] = {
    "rigify_deform": {ours: f"DEF-{theirs}" for ours, theirs in _RIGIFY.items()},
    "rigify_original": {ours: f"ORG-{theirs}" for ours, theirs in _RIGIFY.items()},
    "rigify_metarig": dict(_RIGIFY),
    "mixamo": _MIXAMO,
}
# Mixamo rigs exported without Spine2 put the chest on Spine1.
FALLBACKS = {"mixamo": {"chest": "Spine1"}}


def map_bones(bone_names: Iterable[str]) -> dict[str, str] | None:
    """Our bone name -> the armature's, by the convention that matches best; None when none covers :data:`CORE`."""
    names = list(bone_names)
    best: dict[str, str] = {}
    for convention, table in CONVENTIONS.items():
        lookup = {_plain(name, convention): name for name in names}
        mapping = {ours: lookup[theirs] for ours, theirs in table.items() if theirs in lookup}
        for ours, theirs in FALLBACKS.get(convention, {}).items():
            if ours not in mapping and theirs in lookup:
                mapping[ours] = lookup[theirs]
        if len(mapping) > len(best):
            best = mapping
    return best if CORE <= best.keys() else None


def _plain(name: str, convention: str) -> str:
    return MIXAMO_PREFIX.sub("", name) if convention == "mixamo" else name


@dataclass(frozen=True)
class ForeignBone:
    """A bone of the file's armature at rest, in character space: head, tail, orientation, parent."""

    head: Array
    tail: Array
    rest: Array
    parent: str | None


def performance_skeleton(reference: Skeleton, foreign: dict[str, ForeignBone], mapping: dict[str, str]) -> Skeleton:
    """The built-in skeleton scaled to the file's legs, with the file's own hips and legs.

    Arms and spine keep the built-in rest directions the library's poses are
    written for; legs use the file's, as leg IK places its feet.
    """
    factor = foreign[mapping["thigh.L"]].head[2] / reference["thigh.L"].head[2]
    bones = scaled_skeleton(reference, factor)
    for name in LEG_BONES:
        if name in mapping:
            bone = foreign[mapping[name]]
            bones[name] = BoneRest(_vec3(bone.head), _vec3(bone.tail), reference[name].parent)
    return bones


def _vec3(point: Array) -> tuple[float, float, float]:
    return (float(point[0]), float(point[1]), float(point[2]))


def foreign_pose(
    foreign: dict[str, ForeignBone], mapping: dict[str, str], skeleton: Skeleton, world: dict[str, Array]
) -> dict[str, Array]:
    """Pose-bone rotations (F, 4) for the file's mapped bones, from our bones' rotations from rest ``world``."""
    ours_of = {theirs: ours for ours, theirs in mapping.items()}
    count = len(next(iter(world.values())))
    posed: dict[str, Array] = {}
    basis: dict[str, Array] = {}
    for name in _parents_first(foreign):
        bone, ours = foreign[name], ours_of.get(name)
        unposed = np.broadcast_to(_unposed(foreign, name, posed), (count, 4))
        if ours is None:
            posed[name] = unposed
            continue
        align = rotations.between(bone.tail - bone.head, np.subtract(skeleton[ours].tail, skeleton[ours].head))
        posed[name] = rotations.multiply(world[ours], rotations.multiply(align, bone.rest))
        basis[name] = rotations.continuous(rotations.multiply(rotations.conjugate(unposed), posed[name]))
    return basis


def _unposed(foreign: dict[str, ForeignBone], name: str, posed: dict[str, Array]) -> Array:
    """Where a bone would point with no rotation of its own: its rest carried by its posed parent."""
    bone = foreign[name]
    if bone.parent is None:
        return bone.rest
    relative = rotations.multiply(rotations.conjugate(foreign[bone.parent].rest), bone.rest)
    return rotations.multiply(posed[bone.parent], relative)


def _parents_first(foreign: dict[str, ForeignBone]) -> list[str]:
    def depth(name: str) -> int:
        parent = foreign[name].parent
        return 0 if parent is None else 1 + depth(parent)

    return sorted(foreign, key=depth)
