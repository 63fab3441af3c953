"""A character's performance over a shot: its clips, in order, evaluated to one pose per frame (no bpy).

Clips are laid down in start order on a :class:`~.timeline.Stage`: posture
(``sit``, ``stand_up``, ``fall``: held after their clip), locomotion
(``walk``, ``run``, ``turn``: move and turn the root, which then stays where
it arrived), and gestures (``talk``, ``listen``, ``look_around``, ``wave``,
``point``). A gesture clip that starts on the shot's first frame is already
under way; one that ends before the shot does fades out. ``idle`` is always
on underneath (:mod:`.pose_layers` sums the layers and solves the legs).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence

import numpy as np

from production_assets.acting.bodies import Skeleton
from production_assets.acting.registry import (
    LOCOMOTION,
    SMALL_TURN_DEG,
    TURN_BEFORE_GOING_S,
    action_spec,
    ground_speed,
)
from production_assets.model.acting import ActionClip
from production_assets.model.base import Vec3
from production_assets.render import actions, rotations
from production_assets.render.actions import Motion, euler_deg
from production_assets.render.gait import GAITS, Legs, smoothstep, stride_length, travelled
from production_assets.render.kinematics import Z_AXIS
from production_assets.render.pose_layers import compose
from production_assets.render.timeline import GaitSegment, PoseTrack, Stage, Turn, legs_of

Array = np.ndarray
GESTURE_FADE_S = 0.3
# A pointing arm dips this much (rise over run) below the horizontal toward its target.
POINT_DIP = 0.15
SIT_CLEAR_S = 0.5


def character_seed(name: str) -> int:
    """The character's random seed: the same name always acts the same way."""
    return zlib.crc32(name.encode("utf-8"))


def _wrap(angle: float) -> float:
    return (angle + math.pi) % (2.0 * math.pi) - math.pi


def perform(
    clips: Sequence[ActionClip],
    frame_count: int,
    fps: float,
    bones: Skeleton,
    scale: float,
    position: Vec3,
    facing_deg: float,
    name: str,
) -> PoseTrack:
    """Evaluate ``clips`` (library actions only) for a character of skeleton ``bones`` placed at ``scale``."""
    stage = Stage.start(frame_count, fps, position, facing_deg)
    legs = legs_of(bones)
    seed = character_seed(name)
    ordered = sorted(clips, key=lambda clip: clip.start_frame)
    if next((c.name for c in ordered if c.name in ("sit", "stand_up", "fall")), None) == "stand_up":
        stage.sit[:] = 1.0
    for clip in ordered:
        if clip.start_frame > frame_count:
            continue
        rng = np.random.default_rng([seed, clip.start_frame, zlib.crc32(clip.name.encode())])
        _lay_down(stage, clip, rng, bones, legs, scale, fps)
    return compose(stage, bones, legs, np.random.default_rng([seed]))


def _lay_down(
    stage: Stage, clip: ActionClip, rng: np.random.Generator, bones: Skeleton, legs: Legs, scale: float, fps: float
) -> None:
    spec = action_spec(clip.name)
    after, local, duration = stage.times(clip, fps)
    natural = min(spec.natural_seconds or 0.0, max(duration, 1.0 / fps))
    progress = smoothstep(local / natural) if natural > 0 else np.ones_like(local)
    if clip.name in LOCOMOTION:
        _locomote(stage, clip, after, local, duration, legs, scale, fps)
    elif clip.name == "turn":
        start_yaw = stage.yaw[after][0]
        target = _yaw_toward(stage.root[after][0], clip.to) if clip.to else start_yaw + math.pi
        _turn_on_the_spot(stage, after, local, natural, _wrap(target - start_yaw))
    elif clip.name == "sit":
        stage.hold(stage.sit, after, 1.0, progress)
    elif clip.name == "stand_up":
        stage.hold(stage.sit, after, 0.0, progress)
        stage.hold(stage.fall, after, 0.0, progress)
    elif clip.name == "fall":
        stage.hold(stage.fall, after, 1.0, progress)
    elif clip.name != "idle":
        motion = _gesture(clip, local, duration, rng, bones, stage, after)
        fade_in = 0.0 if clip.start_frame == 1 and clip.name != "point" else _fade(spec.natural_seconds, duration)
        fade_out = 0.0 if clip.end_frame >= len(stage.t) else _fade(None, duration)
        stage.motions.append((motion, _envelope(local, duration, fade_in, fade_out)))


def _fade(natural: float | None, duration: float) -> float:
    return min(natural or GESTURE_FADE_S, duration / 3.0)


def _envelope(local: Array, duration: float, fade_in: float, fade_out: float) -> Array:
    """A clip's weight: rises over ``fade_in``, falls over the last ``fade_out`` seconds, 0 outside the clip."""
    inside = (local >= -1e-9) & (local <= duration + 1e-9)
    rise = smoothstep(local / fade_in) if fade_in > 0 else np.ones_like(local)
    fall = 1.0 - smoothstep((local - (duration - fade_out)) / fade_out) if fade_out > 0 else np.ones_like(local)
    return np.where(inside, rise * fall, 0.0)


def _gesture(
    clip: ActionClip,
    local: Array,
    duration: float,
    rng: np.random.Generator,
    bones: Skeleton,
    stage: Stage,
    after: Array,
) -> Motion:
    if clip.name == "talk":
        return actions.talk(local, duration, rng)
    if clip.name == "listen":
        return actions.listen(local, duration, rng)
    if clip.name == "look_around":
        return actions.look_around(local, duration, rng)
    if clip.name == "wave":
        return actions.wave(local, rng)
    aim = np.array([0.0, -1.0, -POINT_DIP])
    if clip.to is not None:
        root, yaw = stage.root[after][0], stage.yaw[after][0]
        toward = rotations.rotate(
            rotations.axis_angle(Z_AXIS, -yaw), np.array([clip.to[0] - root[0], clip.to[1] - root[1], 0.0])
        )
        if np.linalg.norm(toward) > 1e-6:
            aim = toward / np.linalg.norm(toward) - np.array([0.0, 0.0, POINT_DIP])
    return actions.point(len(local), bones, aim)


def _yaw_toward(origin: Array, target: tuple[float, float]) -> float:
    return math.atan2(target[0] - origin[0], -(target[1] - origin[1]))


def _turn_on_the_spot(stage: Stage, after: Array, local: Array, seconds: float, turn: float) -> None:
    """Turn the root by ``turn`` radians over ``seconds``, stepping the feet round, the head leading."""
    progress = smoothstep(local / seconds) if seconds > 0 else np.ones_like(local)
    stage.yaw[after] = stage.yaw[after][0] + turn * progress[after]
    stage.turns.append(Turn(float(stage.t[after][0]), seconds, turn))
    lead = np.degrees(turn) * 0.35 * (smoothstep(local / (0.6 * seconds)) - progress) if seconds > 0 else 0.0
    motion = Motion(add={"head": euler_deg(0, 0, lead, len(local))})
    stage.motions.append((motion, (after & (local <= seconds)).astype(float)))


def _locomote(
    stage: Stage, clip: ActionClip, after: Array, local: Array, duration: float, legs: Legs, scale: float, fps: float
) -> None:
    """Walk or run to ``clip.to``: turn toward it first when it lies off to the side, then go."""
    if clip.to is None:
        raise ValueError(f"action {clip.name!r} needs 'to' (where to go)")
    spec = action_spec(clip.name)
    start = stage.root[after][0].copy()
    offset = np.array([clip.to[0] - start[0], clip.to[1] - start[1]])
    distance = float(np.linalg.norm(offset))
    turn = _wrap(_yaw_toward(start, clip.to) - stage.yaw[after][0]) if distance > 1e-4 else 0.0
    turning = min(TURN_BEFORE_GOING_S, duration / 3.0) if abs(turn) > math.radians(SMALL_TURN_DEG) else 0.0
    if turn:
        _turn_on_the_spot(stage, after, local, turning if turning else min(0.3, duration / 3.0), turn)
    going = np.maximum(local - turning, 0.0)
    pace = ground_speed(clip.name, clip.speed, legs.hip_height * scale)
    covered, reached = travelled(going, distance, pace, spec.ramp_seconds or 0.0, duration - turning)
    if reached > 1e-4:
        stage.root[after, :2] = start[:2] + offset / distance * covered[after, None]
    inside = after & (local <= duration + 1e-9)
    style = GAITS[clip.name]
    stride = stride_length(style, legs, clip.speed, reached / scale)
    speed = np.gradient(covered, stage.t) if len(covered) > 1 else np.zeros_like(covered)
    peak = max(float(speed.max()), 1e-9)
    for segment in stage.gaits:
        segment.frames &= ~inside
    stage.gaits.append(GaitSegment(inside, style, stride))
    stage.gait_phase[inside] = covered[inside] / scale / stride
    stage.gait_ramp[inside] = np.clip(speed[inside] / peak, 0.0, 1.0) if reached > 1e-4 else 0.0
    clear = smoothstep(local / min(SIT_CLEAR_S, max(duration, 1.0 / fps) / 3.0))
    stage.hold(stage.sit, after, 0.0, clear)
    stage.hold(stage.fall, after, 0.0, clear)
