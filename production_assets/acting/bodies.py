"""The built-in stand-in bodies: their names, proportions and skeleton, as plain numbers (no bpy).

One parametric body serves every built-in model; :data:`BODIES` holds the
proportions of each. :func:`skeleton` turns proportions into the rest pose of
the armature (bone head, tail and parent, metres, character facing -Y with its
feet on Z=0 around the origin), which the renderer builds and the action
library poses. Bone names are fixed (:data:`BONE_NAMES`):

``hips`` (root) > ``spine`` > ``chest`` > ``neck`` > ``head`` > ``eye.L/R``,
``brow.L/R``, ``mouth``; ``chest`` > ``shoulder.L/R`` > ``upper_arm`` >
``forearm`` > ``hand``; ``hips`` > ``thigh.L/R`` > ``shin`` > ``foot``.
"""

from __future__ import annotations

from dataclasses import dataclass

Vec3 = tuple[float, float, float]

MANNEQUIN = "builtin:mannequin"
MANNEQUIN_FEMALE = "builtin:mannequin_female"
CHILD = "builtin:child"
BUILTIN_MODELS: tuple[str, ...] = (MANNEQUIN, MANNEQUIN_FEMALE, CHILD)
SIDES = ("L", "R")
BONE_NAMES: tuple[str, ...] = (
    "hips", "spine", "chest", "neck", "head",
    "eye.L", "eye.R", "brow.L", "brow.R", "mouth",
    "shoulder.L", "upper_arm.L", "forearm.L", "hand.L",
    "shoulder.R", "upper_arm.R", "forearm.R", "hand.R",
    "thigh.L", "shin.L", "foot.L",
    "thigh.R", "shin.R", "foot.R",
)  # fmt: skip
# The share of a model file's height at which its eyes are assumed to sit.
EYE_HEIGHT_SHARE = 0.93
FILE_MODEL_HEIGHT = 1.8
FILE_MODEL_LEG_SHARE = 0.51


@dataclass(frozen=True)
class BodyProportions:
    """What tells the built-in bodies apart (metres; ``girth`` 1 is the mannequin's thickness)."""

    height: float
    head_half: Vec3
    neck_length: float
    shoulder_half_width: float
    hip_half_width: float
    leg_length: float
    arm_length: float
    girth: float
    long_hair: bool = False

    @property
    def head_centre_z(self) -> float:
        return self.height - self.head_half[2]

    @property
    def neck_top_z(self) -> float:
        return self.head_centre_z - 0.72 * self.head_half[2]

    @property
    def neck_bottom_z(self) -> float:
        return self.neck_top_z - self.neck_length

    @property
    def shoulder_z(self) -> float:
        return self.neck_bottom_z - 0.23 * self.neck_length

    @property
    def torso_length(self) -> float:
        return self.shoulder_z - self.leg_length

    @property
    def leg_scale(self) -> float:
        """Leg length relative to the mannequin's (0.92 m): scales feet, knees and gait."""
        return self.leg_length / 0.92

    @property
    def eye_z(self) -> float:
        return self.head_centre_z + 0.17 * self.head_half[2]


BODIES: dict[str, BodyProportions] = {
    MANNEQUIN: BodyProportions(
        height=1.803, head_half=(0.095, 0.105, 0.118), neck_length=0.13, shoulder_half_width=0.2,
        hip_half_width=0.1, leg_length=0.92, arm_length=0.54, girth=1.0,
    ),
    MANNEQUIN_FEMALE: BodyProportions(
        height=1.68, head_half=(0.088, 0.1, 0.112), neck_length=0.125, shoulder_half_width=0.175,
        hip_half_width=0.108, leg_length=0.86, arm_length=0.5, girth=0.86, long_hair=True,
    ),
    CHILD: BodyProportions(
        height=1.2, head_half=(0.085, 0.095, 0.105), neck_length=0.07, shoulder_half_width=0.135,
        hip_half_width=0.075, leg_length=0.56, arm_length=0.37, girth=0.7,
    ),
}  # fmt: skip


@dataclass(frozen=True)
class BoneRest:
    """One bone at rest: head and tail (character space, metres) and its parent's name."""

    head: Vec3
    tail: Vec3
    parent: str | None


Skeleton = dict[str, BoneRest]


def skeleton(body: BodyProportions) -> Skeleton:
    """The armature's rest pose for ``body``, parents before children (in :data:`BONE_NAMES` order)."""
    hip_z, torso, k = body.leg_length, body.torso_length, body.leg_scale
    hx, hy, hz = body.head_half
    centre = body.head_centre_z
    bones: Skeleton = {
        "hips": BoneRest((0.0, 0.0, hip_z + 0.06 * torso), (0.0, 0.0, hip_z + 0.3 * torso), None),
        "spine": BoneRest((0.0, 0.0, hip_z + 0.3 * torso), (0.0, 0.0, hip_z + 0.69 * torso), "hips"),
        "chest": BoneRest((0.0, 0.0, hip_z + 0.69 * torso), (0.0, 0.0, body.neck_bottom_z), "spine"),
        "neck": BoneRest((0.0, 0.0, body.neck_bottom_z), (0.0, 0.0, body.neck_top_z), "chest"),
        "head": BoneRest((0.0, 0.0, body.neck_top_z), (0.0, 0.0, body.height), "neck"),
        "mouth": BoneRest((0.0, -0.86 * hy, centre - 0.5 * hz), (0.0, -0.86 * hy - 0.02, centre - 0.5 * hz), "head"),
    }
    for side, sign in (("L", 1.0), ("R", -1.0)):
        face_points = {"eye": (0.38 * hx, -0.81 * hy, body.eye_z), "brow": (0.4 * hx, -0.86 * hy, centre + 0.42 * hz)}
        for name, (x, y, z) in face_points.items():
            bones[f"{name}.{side}"] = BoneRest((sign * x, y, z), (sign * x, y - 0.02, z), "head")
        shoulder, elbow, wrist = arm_joints(body, sign)
        hand_end = (wrist[0] + sign * 0.005, wrist[1], wrist[2] - 0.22 * body.arm_length)
        collarbone = (sign * 0.15 * body.shoulder_half_width, 0.0, shoulder[2])
        bones[f"shoulder.{side}"] = BoneRest(collarbone, shoulder, "chest")
        bones[f"upper_arm.{side}"] = BoneRest(shoulder, elbow, f"shoulder.{side}")
        bones[f"forearm.{side}"] = BoneRest(elbow, wrist, f"upper_arm.{side}")
        bones[f"hand.{side}"] = BoneRest(wrist, hand_end, f"forearm.{side}")
        hip, knee, ankle = leg_joints(body, sign)
        toe = (hip[0], -0.16 * k, 0.03 * k)
        bones[f"thigh.{side}"] = BoneRest(hip, knee, "hips")
        bones[f"shin.{side}"] = BoneRest(knee, ankle, f"thigh.{side}")
        bones[f"foot.{side}"] = BoneRest(ankle, toe, f"shin.{side}")
    return {name: bones[name] for name in BONE_NAMES}


def scaled_skeleton(bones: Skeleton, factor: float) -> Skeleton:
    """``bones`` uniformly scaled about the origin (the feet)."""

    def scale(point: Vec3) -> Vec3:
        return (point[0] * factor, point[1] * factor, point[2] * factor)

    return {name: BoneRest(scale(bone.head), scale(bone.tail), bone.parent) for name, bone in bones.items()}


def arm_joints(body: BodyProportions, sign: float) -> tuple[Vec3, Vec3, Vec3]:
    """Shoulder, elbow and wrist of one side (``sign`` +1 left, -1 right)."""
    width, top, length = body.shoulder_half_width, body.shoulder_z, body.arm_length
    return (
        (sign * width, 0.0, top),
        (sign * (width + 0.04), 0.0, top - 0.52 * length),
        (sign * (width + 0.06), -0.03, top - length),
    )


def leg_joints(body: BodyProportions, sign: float) -> tuple[Vec3, Vec3, Vec3]:
    """Hip joint, knee and ankle of one side."""
    x, length, k = sign * body.hip_half_width, body.leg_length, body.leg_scale
    return (x, 0.0, length), (x, -0.01 * k, 0.543 * length), (x, 0.0, 0.109 * length)


def body_of(model: str) -> BodyProportions | None:
    """The proportions of a built-in model, None for a model file."""
    return BODIES.get(model)


def eye_height(model: str, height: float | None = None, scale: float = 1.0) -> float:
    """Height of a placed character's eyes above its feet (metres, world).

    A built-in body is scaled to ``height`` when given; a model file is assumed
    to be ``height`` (or :data:`FILE_MODEL_HEIGHT`) tall with its eyes at
    :data:`EYE_HEIGHT_SHARE` of it.
    """
    body = body_of(model)
    if body is None:
        return EYE_HEIGHT_SHARE * (height or FILE_MODEL_HEIGHT) * scale
    factor = (height / body.height if height else 1.0) * scale
    return body.eye_z * factor


def leg_length(model: str, height: float | None = None, scale: float = 1.0) -> float:
    """Hip joint height of a placed character (metres, world); a model file's is assumed from its height."""
    body = body_of(model)
    if body is None:
        return FILE_MODEL_LEG_SHARE * (height or FILE_MODEL_HEIGHT) * scale
    return body.leg_length * (height / body.height if height else 1.0) * scale
