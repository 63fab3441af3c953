"""A performance's layers summed into one pose per frame (no bpy).

Bottom to top: ``idle`` (always on, its sway muted while walking, seated or
down), posture (sitting on an imaginary seat behind the mark, falling on the
back), the gait's upper body (bob, sway, lean, twist, arm swing), and the
gestures: their ``add`` channels summed by weight, their ``set`` channels
replacing what lies below. Legs come last, by IK against where the feet
should be: planted, stepping round a turn, or walking.
"""

from __future__ import annotations

import math

import numpy as np

from production_assets.acting.bodies import BONE_NAMES, Skeleton
from production_assets.render import actions, rotations
from production_assets.render.actions import SIDES, Channels, euler_deg, mirrored
from production_assets.render.gait import FootTrack, Legs, foot_track, hip_heights, smoothstep
from production_assets.render.kinematics import Z_AXIS, solve_leg
from production_assets.render.timeline import PoseTrack, Stage

Array = np.ndarray
STEP_LIFT = 0.05


def compose(stage: Stage, bones: Skeleton, legs: Legs, rng: np.random.Generator) -> PoseTrack:
    """The pose of every frame from the laid-down ``stage`` (``rng`` drives idle)."""
    count = len(stage.t)
    ramp = stage.gait_ramp
    sway = (1.0 - ramp) * (1.0 - stage.sit) * (1.0 - stage.fall)
    span = float(stage.t[-1]) if count else 0.0
    channels: Channels = dict(actions.idle(stage.t, span, rng, bones, sway).add)
    for layer in (_posture(stage, bones, legs), _gait_upper_body(stage, legs, ramp)):
        for key, value in layer.items():
            actions.accumulate(channels, key, value)
    upright = 1.0 - stage.fall
    replaced: dict[str, tuple[Array, Array]] = {}
    for motion, weight in stage.motions:
        weight = weight * upright
        for key, value in motion.add.items():
            actions.accumulate(channels, key, value * (weight[:, None] if value.ndim == 2 else weight))
        for key, value in motion.set.items():
            replaced[key] = (value, weight)
    for key, (value, weight) in replaced.items():
        below = channels.get(key, np.zeros((count, 3)))
        channels[key] = below * (1.0 - weight[:, None]) + value * weight[:, None]
    hips_offset = channels.pop("hips.offset", np.zeros((count, 3)))
    local = {
        name: rotations.from_euler(channels.get(name, np.zeros((count, 3))))
        for name in BONE_NAMES
        if not name.startswith(("thigh", "shin", "foot", "eye"))
    }
    eyes = rotations.from_euler(channels.get("eyes", np.zeros((count, 3))))
    local.update({"eye.L": eyes, "eye.R": eyes})
    local.update(_legs(stage, bones, legs, local["hips"], hips_offset))
    return PoseTrack(
        root_location=stage.root,
        root_yaw=stage.yaw,
        hips_offset=hips_offset,
        rotations={name: rotations.continuous(local[name]) for name in BONE_NAMES},
        blink=np.clip(channels.get("blink", np.zeros(count)), 0.0, 1.0),
        mouth=np.clip(channels.get("mouth.open", np.zeros(count)), 0.0, 1.0),
        brows=np.clip(channels.get("brows", np.zeros(count)), 0.0, 1.0),
    )


def _posture(stage: Stage, bones: Skeleton, legs: Legs) -> Channels:
    """Sitting on an imaginary seat behind the mark, and falling on the back."""
    count, sit, fall = len(stage.t), stage.sit, stage.fall
    moving = 4.0 * sit * (1.0 - sit)
    k = legs.hip_height / 0.92
    drop = legs.hip_height - bones["shin.L"].head[2] - 0.02 * k
    buckle, topple = smoothstep(fall / 0.35), smoothstep((fall - 0.25) / 0.75)
    lying = 0.12 * k - bones["hips"].head[2]
    offset = np.stack(
        (
            np.zeros(count),
            0.9 * legs.thigh * smoothstep(sit / 0.7) + 0.12 * k * buckle + (0.55 * legs.hip_height - 0.12 * k) * topple,
            -drop * smoothstep((sit - 0.15) / 0.85) - 0.18 * legs.hip_height * buckle * (1.0 - topple) + lying * topple,
        ),
        axis=-1,
    )
    channels: Channels = {
        "hips.offset": offset,
        "hips": euler_deg(-88.0 * topple, 0, 0, count),
        "spine": euler_deg(22.0 * moving + 5.0 * sit + 12.0 * buckle * (1.0 - topple), 0, 0, count),
        "chest": euler_deg(8.0 * moving, 0, 0, count),
        "neck": euler_deg(-12.0 * moving + 25.0 * 4.0 * topple * (1.0 - topple), 0, 0, count),
    }
    fling = np.sin(np.pi * topple) ** 2
    for side, sign in SIDES:
        arm = euler_deg(-20.0 * sit - 70.0 * fling, -6.0 * sit, 0, count)
        forearm = euler_deg(-50.0 * sit - 30.0 * fling, 0, 0, count)
        channels[f"upper_arm.{side}"] = arm if sign > 0 else mirrored(arm)
        channels[f"forearm.{side}"] = forearm
    return channels


def _gait_upper_body(stage: Stage, legs: Legs, ramp: Array) -> Channels:
    """Hip bob and sway, lean, torso twist and arm swing of walking or running."""
    count = len(stage.t)
    offset = np.zeros((count, 3))
    channels: Channels = {"hips.offset": offset}
    cycle = 2.0 * np.pi * stage.gait_phase
    lean, swing, elbow, twist = (np.zeros(count) for _ in range(4))
    for segment in stage.gaits:
        frames, style = segment.frames, segment.style
        heights = hip_heights(style, legs, segment.stride, stage.gait_phase)
        offset[frames, 2] = ((heights - legs.hip_height) * ramp)[frames]
        offset[frames, 0] = (style.sway * (legs.hip_height / 0.92) * np.cos(cycle) * ramp)[frames]
        lean[frames], swing[frames] = style.lean_deg * ramp[frames], style.arm_swing_deg * ramp[frames]
        elbow[frames], twist[frames] = style.elbow_deg * ramp[frames], style.twist_deg * ramp[frames]
    channels["spine"] = euler_deg(lean, 0, 0, count)
    channels["chest"] = euler_deg(0, 0, -twist * np.sin(cycle), count)
    channels["neck"] = euler_deg(-0.6 * lean, 0, 0, count)
    channels["upper_arm.L"] = euler_deg(-swing * np.sin(cycle), 0, 0, count)
    channels["upper_arm.R"] = euler_deg(swing * np.sin(cycle), 0, 0, count)
    channels["forearm.L"] = euler_deg(-elbow, 0, 0, count)
    channels["forearm.R"] = euler_deg(-elbow, 0, 0, count)
    return channels


def _legs(stage: Stage, bones: Skeleton, legs: Legs, hips_local: Array, hips_offset: Array) -> dict[str, Array]:
    """Leg rotations from IK against the feet: planted, stepping through a turn, or walking."""
    count = len(stage.t)
    solved: dict[str, Array] = {}
    relax = smoothstep((stage.fall - 0.3) / 0.4)
    walking = stage.walking
    for side, offset in (("L", 0.0), ("R", 0.5)):
        target = np.tile(np.array(bones[f"foot.{side}"].head, dtype=float), (count, 1))
        pitch = np.zeros(count)
        if walking.any():
            foot = _gait_feet(stage, legs, offset)
            ramp = stage.gait_ramp[walking]
            forward = foot.forward[walking] - foot.centring[walking] * (1.0 - ramp)
            target[walking, 1] = hips_offset[walking, 1] - forward
            target[walking, 2] = legs.ankle_height + (foot.up[walking] - legs.ankle_height) * ramp
            pitch[walking] = foot.pitch[walking] * ramp
        lag, lift = _turn_steps(stage, side)
        target = rotations.rotate(rotations.axis_angle(Z_AXIS, lag), target) + lift[:, None] * Z_AXIS
        leg = solve_leg(bones, side, hips_local, hips_offset, target, pitch, lag)
        relaxed_thigh = rotations.from_euler(euler_deg(-5.0, 0, 0, count))
        relaxed_shin = rotations.from_euler(euler_deg(10.0, 0, 0, count))
        solved[f"thigh.{side}"] = _blend(leg.thigh, relaxed_thigh, relax)
        solved[f"shin.{side}"] = _blend(leg.shin, relaxed_shin, relax)
        solved[f"foot.{side}"] = _blend(leg.foot, rotations.identity(count), relax)
    return solved


def _gait_feet(stage: Stage, legs: Legs, offset: float) -> FootTrack:
    """One foot through every walk and run of the shot."""
    count = len(stage.t)
    track = FootTrack(
        np.zeros(count), np.full(count, legs.ankle_height), np.zeros(count), np.ones(count, dtype=bool), np.zeros(count)
    )
    for segment in stage.gaits:
        foot = foot_track(segment.style, legs, segment.stride, stage.gait_phase, offset)
        for name in ("forward", "up", "pitch", "planted", "centring"):
            getattr(track, name)[segment.frames] = getattr(foot, name)[segment.frames]
    return track


def _turn_steps(stage: Stage, side: str) -> tuple[Array, Array]:
    """How far a foot lags the body's turns (radians about the root) and how high it lifts to catch up.

    Feet stay planted while the body turns, each stepping once to catch up (the left first).
    """
    window = (0.05, 0.55) if side == "L" else (0.45, 0.95)
    lag, lift = np.zeros(len(stage.t)), np.zeros(len(stage.t))
    for turn in stage.turns:
        progress = np.clip((stage.t - turn.start) / max(turn.seconds, 1e-6), 0.0, 1.0)
        stepping = np.clip((progress - window[0]) / (window[1] - window[0]), 0.0, 1.0)
        lag += turn.angle * (smoothstep(stepping) - smoothstep(progress))
        lift += STEP_LIFT * min(1.0, abs(turn.angle) / math.radians(45.0)) * np.sin(np.pi * stepping)
    return lag, lift


def _blend(a: Array, b: Array, weight: Array) -> Array:
    """Normalised lerp from ``a`` to ``b`` by ``weight`` (same hemisphere first)."""
    b = np.where(np.sum(a * b, axis=-1, keepdims=True) < 0, -b, b)
    return rotations.normalized(a * (1.0 - weight[:, None]) + b * weight[:, None])
