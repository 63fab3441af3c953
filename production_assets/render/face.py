"""The built-in face: eyes (white and a dark iris) that aim and blink, brows that rise, a mouth that opens.

Each feature is a primitive hung on its face bone (:mod:`.rig`): an eye turns
and squashes shut with ``eye.L``/``eye.R`` (rotation, scale Z), a brow rises
with ``brow.L``/``brow.R`` (location), the mouth opens with ``mouth`` (scale Z).
Sizes follow the head, so every body gets a face that reads in a close-up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from production_assets.acting.bodies import BodyProportions, Skeleton

Vec3 = tuple[float, float, float]
ShapeAdder = Callable[[str, Any, Vec3, Vec3, str, str], Any]
EYE_WHITE = (0.92, 0.91, 0.88)
IRIS = (0.05, 0.035, 0.03)
MOUTH = (0.3, 0.06, 0.06)
FACE_COLORS = {"eye_white": EYE_WHITE, "iris": IRIS, "mouth": MOUTH}
# How much the face bones open, squash and rise at full strength.
MOUTH_OPEN_SCALE = 3.5
MOUTH_WIDEN = 0.2
BLINK_SQUASH = 0.92
BROW_RISE_SHARE_OF_HEAD = 0.08


def build_face(name: str, body: BodyProportions, bones: Skeleton, add_shape: ShapeAdder) -> None:
    """Add eyes, brows and mouth for ``body``; ``add_shape(label, shape, centre, half, role, bone)`` makes each."""
    hx, hy, hz = body.head_half
    eye_radius = 0.18 * hx
    for side in ("L", "R"):
        eye = bones[f"eye.{side}"].head
        add_shape(f"eye.{side}", "sphere", eye, (eye_radius,) * 3, "eye_white", f"eye.{side}")
        iris_centre = (eye[0], eye[1] - 0.68 * eye_radius, eye[2])
        add_shape(f"iris.{side}", "sphere", iris_centre, (0.5 * eye_radius,) * 3, "iris", f"eye.{side}")
        brow_half = (0.21 * hx, 0.06 * hy, 0.045 * hz)
        add_shape(f"brow.{side}", "cube", bones[f"brow.{side}"].head, brow_half, "hair", f"brow.{side}")
    add_shape("mouth", "sphere", bones["mouth"].head, (0.3 * hx, 0.1 * hy, 0.035 * hz), "mouth", "mouth")
