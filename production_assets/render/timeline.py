"""A performance while its clips are laid down (:class:`Stage`), and what it comes to (:class:`PoseTrack`).

Plain numpy, no bpy. Frame ``f`` (1-based) is at ``(f - 1) / fps`` seconds;
a clip runs from its start frame's time to its end frame's time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from production_assets.acting.bodies import Skeleton
from production_assets.model.acting import ActionClip
from production_assets.model.base import Vec3
from production_assets.render.actions import Motion
from production_assets.render.gait import GaitStyle, Legs

Array = np.ndarray


@dataclass
class PoseTrack:
    """One pose per frame: the root's path, the hips' move, every bone's local rotation, the face."""

    root_location: Array
    root_yaw: Array
    hips_offset: Array
    rotations: dict[str, Array]
    blink: Array
    mouth: Array
    brows: Array

    @property
    def frame_count(self) -> int:
        return len(self.root_yaw)


@dataclass
class GaitSegment:
    """Frames that walk or run (``frames`` is a mask), in which style, with which stride."""

    frames: Array
    style: GaitStyle
    stride: float


@dataclass
class Turn:
    """A turn on the spot: when it starts (seconds), how long it takes, by how much (radians)."""

    start: float
    seconds: float
    angle: float


@dataclass
class Stage:
    """Per-frame state while clips are laid down in order: root path, posture, gait, gestures, turns."""

    t: Array
    root: Array
    yaw: Array
    sit: Array
    fall: Array
    gait_phase: Array
    gait_ramp: Array
    gaits: list[GaitSegment] = field(default_factory=list)
    motions: list[tuple[Motion, Array]] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)

    @classmethod
    def start(cls, count: int, fps: float, position: Vec3, facing_deg: float) -> Stage:
        return cls(
            t=np.arange(count) / fps,
            root=np.tile(np.array(position, dtype=float), (count, 1)),
            yaw=np.full(count, math.radians(facing_deg)),
            sit=np.zeros(count),
            fall=np.zeros(count),
            gait_phase=np.zeros(count),
            gait_ramp=np.zeros(count),
        )

    @property
    def walking(self) -> Array:
        mask = np.zeros(len(self.t), dtype=bool)
        for segment in self.gaits:
            mask |= segment.frames
        return mask

    def times(self, clip: ActionClip, fps: float) -> tuple[Array, Array, float]:
        """(frames from the clip's start on, seconds since its start, its duration in seconds)."""
        start, end = (clip.start_frame - 1) / fps, (min(clip.end_frame, len(self.t)) - 1) / fps
        return self.t >= start - 1e-9, self.t - start, max(end - start, 0.0)

    @staticmethod
    def hold(values: Array, after: Array, target: float, progress: Array) -> None:
        """From the first frame of ``after`` on, move ``values`` toward ``target`` by ``progress``, then hold."""
        values[after] = values[after][0] + (target - values[after][0]) * progress[after]


def legs_of(bones: Skeleton) -> Legs:
    """The left leg's measurements (both legs are alike)."""
    thigh, shin, foot = bones["thigh.L"], bones["shin.L"], bones["foot.L"]
    return Legs(
        thigh=math.dist(thigh.head, thigh.tail),
        shin=math.dist(shin.head, shin.tail),
        hip_height=thigh.head[2],
        ankle_height=foot.head[2],
        toe_forward=foot.head[1] - foot.tail[1],
    )
