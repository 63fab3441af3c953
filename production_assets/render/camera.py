"""The shot camera from a :class:`ShotTemplate` and the blocking (maths in :mod:`.framing`, bpy here)."""

from __future__ import annotations

from collections.abc import Sequence

import bpy

from production_assets.model.presets import ShotTemplate
from production_assets.render.framing import (
    DEFAULT_SUBJECT_BOX,
    SENSOR_WIDTH_MM,
    Figure,
    Framing,
    frame_over_the_shoulder,
    frame_set,
    frame_subjects,
    is_over_the_shoulder,
    line_of_action_yaw,
    poses_for_shot,
)

Vec3 = tuple[float, float, float]
Box = tuple[Vec3, Vec3]


def frame_shot(
    template: ShotTemplate, subject_box: Box | None, aspect: float, figures: Sequence[Figure] = ()
) -> Framing:
    """Frame the characters' box (or a stand-in figure at the origin), or the whole set.

    ``figures`` are the characters in job order: two or more turn the camera
    across their line of action, or place it over the second one's shoulder
    (see :mod:`.framing`).
    """
    if template.subject == "set":
        return frame_set(template)
    if is_over_the_shoulder(template, len(figures)):
        return frame_over_the_shoulder(template, figures[0], figures[1], aspect, SENSOR_WIDTH_MM)
    box_min, box_max = subject_box or DEFAULT_SUBJECT_BOX
    yaw = template.yaw + (line_of_action_yaw(figures[0], figures[1]) if len(figures) >= 2 else 0.0)
    return frame_subjects(template, box_min, box_max, aspect, SENSOR_WIDTH_MM, yaw)


def build_camera(
    scene: bpy.types.Scene, template: ShotTemplate, framing: Framing, frame_count: int
) -> bpy.types.Object:
    """A camera keyed on every frame of the shot (Blender: Camera > Lens, Sensor Fit = Horizontal)."""
    data = bpy.data.cameras.new("ShotCamera")
    data.lens = template.lens
    data.sensor_fit = "HORIZONTAL"
    data.sensor_width = SENSOR_WIDTH_MM
    data.clip_start = 0.05
    data.clip_end = 1000.0
    camera = bpy.data.objects.new("ShotCamera", data)
    scene.collection.objects.link(camera)
    scene.camera = camera
    poses = poses_for_shot(template, framing, frame_count)
    for frame, pose in enumerate(poses, start=1):
        camera.location = pose.location
        camera.rotation_euler = pose.rotation_euler
        if len(poses) > 1:
            camera.keyframe_insert("location", frame=frame)
            camera.keyframe_insert("rotation_euler", frame=frame)
    return camera
