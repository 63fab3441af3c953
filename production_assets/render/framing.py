"""Camera framing maths: plain numbers in, camera poses out (no bpy).

Conventions (Blender's): metres, Z up; a camera with rotation (90 deg, 0, 0)
looks along +Y. A shot template frames a vertical *band* of the subjects'
bounding box (``frame_low``..``frame_high`` of its height, times ``margin``):
the camera distance is chosen so that band fills the frame height (or, when the
subjects are wider than tall in frame, their width fills the frame width).

The sensor is fitted horizontally (Blender: Camera > Sensor Fit = Horizontal),
so the vertical sensor size is ``sensor_width / aspect``.

Framing from blocking: with two or more characters the camera looks across
the line between the first two (the line of action) from the -Y side, so a
dialogue pair facing each other is seen in profile, side by side; the
template's yaw turns it from there. An over-the-shoulder shot (a template
with a ``side_offset``, two or more characters) looks from behind the second
character (the foreground shoulder) at the first (the subject), swung by the
template's yaw to put the shoulder at the frame's edge, the subject's band
filling the frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from production_assets.model.presets import ShotTemplate

Vec3 = tuple[float, float, float]

SENSOR_WIDTH_MM = 36.0
SET_FRAME_WIDTH_M = 12.0
SET_EYE_HEIGHT_M = 1.2
DEFAULT_SUBJECT_BOX: tuple[Vec3, Vec3] = ((-0.3, -0.2, 0.0), (0.3, 0.2, 1.8))
OTS_BEHIND_M = 0.5
OTS_SUBJECT_SHIFT = 0.2


@dataclass(frozen=True)
class CameraPose:
    """Where the camera is and how it is turned (Blender Euler XYZ, radians)."""

    location: Vec3
    rotation_euler: Vec3


@dataclass(frozen=True)
class Framing:
    """The point the camera frames, how far away it stands, from which heading, slid and panned how much."""

    target: Vec3
    distance: float
    yaw_deg: float = 0.0
    side_offset: float = 0.0
    pan_deg: float = 0.0


@dataclass(frozen=True)
class Figure:
    """A character as framing sees it: where it stands (x, y) and how tall it is (metres)."""

    position: tuple[float, float]
    height: float


def sensor_height_mm(sensor_width_mm: float, aspect: float) -> float:
    """Vertical sensor size for a horizontally fitted sensor and a width/height aspect."""
    return sensor_width_mm / aspect


def distance_to_fill_height(band_height: float, lens_mm: float, sensor_width_mm: float, aspect: float) -> float:
    """Distance at which a vertical band of ``band_height`` metres exactly fills the frame height."""
    return band_height * lens_mm / sensor_height_mm(sensor_width_mm, aspect)


def distance_to_fill_width(band_width: float, lens_mm: float, sensor_width_mm: float) -> float:
    """Distance at which ``band_width`` metres exactly fills the frame width."""
    return band_width * lens_mm / sensor_width_mm


def visible_height(distance: float, lens_mm: float, sensor_width_mm: float, aspect: float) -> float:
    """Height in metres seen by the camera at ``distance`` (inverse of :func:`distance_to_fill_height`)."""
    return distance * sensor_height_mm(sensor_width_mm, aspect) / lens_mm


def horizontal_fov_deg(lens_mm: float, sensor_width_mm: float = SENSOR_WIDTH_MM) -> float:
    """The horizontal field of view of a lens on a horizontally fitted sensor."""
    return math.degrees(2.0 * math.atan(sensor_width_mm / (2.0 * lens_mm)))


def width_across_view(box_min: Vec3, box_max: Vec3, yaw_deg: float) -> float:
    """Width of a box as seen from a camera turned by ``yaw_deg`` around Z."""
    yaw = math.radians(yaw_deg)
    dx, dy = box_max[0] - box_min[0], box_max[1] - box_min[1]
    return abs(dx * math.cos(yaw)) + abs(dy * math.sin(yaw))


def frame_subjects(
    template: ShotTemplate,
    box_min: Vec3,
    box_max: Vec3,
    aspect: float,
    sensor_width_mm: float = SENSOR_WIDTH_MM,
    yaw_deg: float | None = None,
) -> Framing:
    """Frame the band ``[frame_low, frame_high]`` of the subjects' box, with the template's margin.

    ``yaw_deg`` is the camera heading (the template's yaw when None).
    """
    yaw = template.yaw if yaw_deg is None else yaw_deg
    height = box_max[2] - box_min[2]
    band_low = box_min[2] + template.frame_low * height
    band_high = box_min[2] + template.frame_high * height
    band_height = max(band_high - band_low, 0.05) * template.margin
    band_width = width_across_view(box_min, box_max, yaw) * template.margin
    distance = max(
        distance_to_fill_height(band_height, template.lens, sensor_width_mm, aspect),
        distance_to_fill_width(band_width, template.lens, sensor_width_mm),
    )
    target = (
        (box_min[0] + box_max[0]) / 2.0,
        (box_min[1] + box_max[1]) / 2.0,
        (band_low + band_high) / 2.0 + template.height,
    )
    return Framing(target=target, distance=distance, yaw_deg=yaw, side_offset=template.side_offset)


def frame_set(template: ShotTemplate, sensor_width_mm: float = SENSOR_WIDTH_MM) -> Framing:
    """Frame a region about :data:`SET_FRAME_WIDTH_M` wide around the origin at eye height."""
    width = SET_FRAME_WIDTH_M * template.margin
    distance = distance_to_fill_width(width, template.lens, sensor_width_mm)
    target = (0.0, 0.0, SET_EYE_HEIGHT_M + template.height)
    return Framing(target=target, distance=distance, yaw_deg=template.yaw, side_offset=template.side_offset)


def heading_deg(direction: tuple[float, float]) -> float:
    """The camera yaw that looks along a horizontal ``direction`` (yaw 0 looks along +Y)."""
    return math.degrees(math.atan2(-direction[0], direction[1]))


def line_of_action_yaw(first: Figure, second: Figure) -> float:
    """The yaw that looks across the line between two characters, from its -Y side (from -X when it runs along Y)."""
    dx, dy = second.position[0] - first.position[0], second.position[1] - first.position[1]
    if math.hypot(dx, dy) < 1e-6:
        return 0.0
    across = (-dy, dx)
    if across[1] < -1e-9 or (abs(across[1]) <= 1e-9 and across[0] < 0):
        across = (dy, -dx)
    return heading_deg(across)


def is_over_the_shoulder(template: ShotTemplate, figure_count: int) -> bool:
    """A template with a side offset, on two or more characters, is an over-the-shoulder shot."""
    return template.subject == "characters" and template.side_offset != 0 and figure_count >= 2


def frame_over_the_shoulder(
    template: ShotTemplate, subject: Figure, foreground: Figure, aspect: float, sensor_width_mm: float = SENSOR_WIDTH_MM
) -> Framing:
    """Look at ``subject`` from behind ``foreground``'s shoulder (the template's yaw picks the side).

    The subject's band fills the frame height, the camera stays at least
    :data:`OTS_BEHIND_M` behind the foreground character, and a pan of
    :data:`OTS_SUBJECT_SHIFT` of the half frame puts the subject off-centre,
    away from the shoulder.
    """
    dx, dy = subject.position[0] - foreground.position[0], subject.position[1] - foreground.position[1]
    apart = math.hypot(dx, dy)
    along = heading_deg((dx, dy)) if apart > 1e-6 else 0.0
    band_low, band_high = template.frame_low * subject.height, template.frame_high * subject.height
    band = max(band_high - band_low, 0.05) * template.margin
    swing = math.radians(template.yaw)
    behind = (apart + OTS_BEHIND_M) / max(math.cos(swing), 0.2)
    distance = max(distance_to_fill_height(band, template.lens, sensor_width_mm, aspect), behind)
    target = (subject.position[0], subject.position[1], (band_low + band_high) / 2.0 + template.height)
    half_fov = math.radians(horizontal_fov_deg(template.lens, sensor_width_mm) / 2.0)
    pan = math.copysign(math.degrees(math.atan(OTS_SUBJECT_SHIFT * math.tan(half_fov))), template.yaw)
    return Framing(target=target, distance=distance, yaw_deg=along + template.yaw, pan_deg=pan)


def pose_looking_at(
    target: Vec3, distance: float, pitch_deg: float, yaw_deg: float, side_offset: float = 0.0, pan_deg: float = 0.0
) -> CameraPose:
    """A camera ``distance`` metres from ``target``, pitched down by ``pitch_deg``, orbited by ``yaw_deg``.

    Yaw 0 puts the camera at -Y looking +Y; ``side_offset`` slides camera and aim
    along the camera's right axis; ``pan_deg`` turns the camera in place after
    placing it (a pan keeps the camera where it is).
    """
    pitch, yaw = math.radians(pitch_deg), math.radians(yaw_deg)
    forward = (-math.sin(yaw) * math.cos(pitch), math.cos(yaw) * math.cos(pitch), -math.sin(pitch))
    right = (math.cos(yaw), math.sin(yaw), 0.0)
    location = (
        target[0] - distance * forward[0] + side_offset * right[0],
        target[1] - distance * forward[1] + side_offset * right[1],
        target[2] - distance * forward[2],
    )
    rotation = (math.radians(90.0 - pitch_deg), 0.0, math.radians(yaw_deg + pan_deg))
    return CameraPose(location=location, rotation_euler=rotation)


def ease_in_out(t: float) -> float:
    """Smoothstep: camera moves start and stop gently."""
    return t * t * (3.0 - 2.0 * t)


def move_progress(frame_index: int, frame_count: int) -> float:
    """0 at the first frame, 1 at the last (eased)."""
    if frame_count <= 1:
        return 0.0
    return ease_in_out(frame_index / (frame_count - 1))


def poses_for_shot(template: ShotTemplate, framing: Framing, frame_count: int) -> list[CameraPose]:
    """One camera pose per frame (index 0 = frame 1), following the template's move.

    dolly_in/dolly_out scale the distance by ``1 -/+ move_amount``; pan sweeps the
    heading across ``move_amount`` of the horizontal field of view; orbit turns
    around the target by ``move_amount * 180`` degrees. Pan and orbit are centred
    on the template's framing so the subject is centred mid-shot.
    """
    poses = []
    for index in range(frame_count):
        t = move_progress(index, frame_count)
        distance, yaw, pan = framing.distance, framing.yaw_deg, framing.pan_deg
        if template.move == "dolly_in":
            distance *= 1.0 - template.move_amount * t
        elif template.move == "dolly_out":
            distance *= 1.0 + template.move_amount * t
        elif template.move == "pan":
            pan += (t - 0.5) * template.move_amount * horizontal_fov_deg(template.lens)
        elif template.move == "orbit":
            yaw += (t - 0.5) * template.move_amount * 180.0
        distance = max(distance, 0.05)
        poses.append(pose_looking_at(framing.target, distance, template.angle, yaw, framing.side_offset, pan))
    return poses
