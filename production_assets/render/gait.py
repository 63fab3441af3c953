"""Walk and run as numbers: the root's path and where each foot is, frame by frame (no bpy).

The gait phase is the distance travelled divided by the stride, so a planted
foot moves back relative to the hips exactly as fast as the ground passes:
feet do not skate at any speed, while speeding up or slowing down included.
The stride is adjusted so the distance is a whole number of steps, so a walk
starts and ends with the feet together (one foot mid-stance, the other
passing it). Lengths are in the character's own units (before the root's
scale); speeds and the path are in world metres.

Phase convention: at phase 0 the left foot is mid-stance (under the hip) and
the right foot mid-swing; the right foot runs half a cycle behind.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

Array = np.ndarray
HEEL_RISE_START = 0.75
REACH = 0.99


@dataclass(frozen=True)
class GaitStyle:
    """How one gait moves; lengths are shares of the leg (thigh + shin)."""

    duty: float
    half_sweep: float
    lift: float
    hip_cap: float
    heel_rise_deg: float
    lean_deg: float
    arm_swing_deg: float
    elbow_deg: float
    twist_deg: float
    sway: float
    flight_rise: float = 0.0


GAITS: dict[str, GaitStyle] = {
    "walk": GaitStyle(duty=0.6, half_sweep=0.36, lift=0.09, hip_cap=0.995, heel_rise_deg=22.0, lean_deg=3.0,
                      arm_swing_deg=18.0, elbow_deg=14.0, twist_deg=5.0, sway=0.018),
    "run": GaitStyle(duty=0.36, half_sweep=0.44, lift=0.32, hip_cap=0.95, heel_rise_deg=30.0, lean_deg=11.0,
                     arm_swing_deg=34.0, elbow_deg=85.0, twist_deg=8.0, sway=0.01, flight_rise=0.035),
}  # fmt: skip


@dataclass(frozen=True)
class Legs:
    """The leg measurements the gait needs (character units)."""

    thigh: float
    shin: float
    hip_height: float
    ankle_height: float
    toe_forward: float

    @property
    def length(self) -> float:
        return self.thigh + self.shin


def smoothstep(t: Array) -> Array:
    t = np.clip(t, 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def stride_length(style: GaitStyle, legs: Legs, speed: float, distance: float) -> float:
    """Stride (two steps, character units) for ``speed``; a whole number of steps covers ``distance``."""
    half_sweep = style.half_sweep * legs.length * min(1.0, math.sqrt(speed))
    natural = 2.0 * half_sweep / style.duty
    if distance <= 0.0:
        return natural
    steps = max(1, round(2.0 * distance / natural))
    return 2.0 * distance / steps


def travelled(times: Array, distance: float, pace: float, ramp: float, duration: float) -> tuple[Array, float]:
    """Distance covered at each time (seconds from the start) and the distance actually reached.

    A trapezoid speed profile: ``ramp`` seconds to reach ``pace``, cruise, ``ramp``
    seconds to stop. When ``duration`` is too short for ``distance`` the walk
    covers what fits and stops there.
    """
    ramp = min(ramp, duration / 4.0) if duration > 0 else 0.0
    reachable = pace * (duration - ramp) if duration >= 2.0 * ramp else pace * duration * duration / (4.0 * ramp)
    distance = min(distance, reachable)
    if distance <= 0.0:
        return np.zeros_like(times), 0.0
    if ramp <= 0.0:
        return np.clip(times * pace, 0.0, distance), distance
    peak = pace if distance >= pace * ramp else distance / ramp
    total = distance / peak + ramp
    t = np.clip(times, 0.0, total)
    accel = peak / ramp
    covered = np.where(
        t < ramp,
        0.5 * accel * t * t,
        np.where(t <= total - ramp, peak * (t - ramp / 2.0), distance - 0.5 * accel * (total - t) ** 2),
    )
    return np.clip(covered, 0.0, distance), distance


@dataclass
class FootTrack:
    """One foot over the frames: ankle forward/up offsets from the hip's ground point, pitch, on the ground.

    ``centring`` is how far mid-swing sits ahead of the hip; starting and
    stopping subtract it so the feet come together exactly.
    """

    forward: Array
    up: Array
    pitch: Array
    planted: Array
    centring: Array


def foot_track(style: GaitStyle, legs: Legs, stride: float, phase: Array, offset: float) -> FootTrack:
    """Where one foot is for gait ``phase`` (cycles); ``offset`` 0 for the left foot, 0.5 for the right."""
    duty, toe = style.duty, legs.toe_forward
    half = duty * stride / 2.0
    local = np.mod(phase + duty / 2.0 + offset, 1.0)
    stance = local < duty
    sigma = np.clip(local / duty, 0.0, 1.0)
    rise = math.radians(style.heel_rise_deg) * smoothstep((sigma - HEEL_RISE_START) / (1.0 - HEEL_RISE_START))
    flat_forward = half - 2.0 * half * sigma
    stance_forward, stance_up = _pivot_on_toe(flat_forward, rise, toe, legs.ankle_height)
    end_forward, end_up = _pivot_on_toe(-half, math.radians(style.heel_rise_deg), toe, legs.ankle_height)
    tau = np.clip((local - duty) / (1.0 - duty), 0.0, 1.0)
    slope = -(1.0 - duty) * stride
    h00, h10 = 2 * tau**3 - 3 * tau**2 + 1, tau**3 - 2 * tau**2 + tau
    h01, h11 = -2 * tau**3 + 3 * tau**2, tau**3 - tau**2
    swing_forward = h00 * end_forward + h10 * slope + h01 * half + h11 * slope
    landing = smoothstep(tau)
    swing_up = end_up * (1.0 - landing) + legs.ankle_height * landing + style.lift * legs.length * np.sin(np.pi * tau)
    toe_down = -math.radians(style.heel_rise_deg) * (1.0 - smoothstep(tau / 0.5))
    toe_up = math.radians(10.0) * np.sin(np.pi * np.clip((tau - 0.5) / 0.5, 0.0, 1.0))
    return FootTrack(
        forward=np.where(stance, stance_forward, swing_forward),
        up=np.where(stance, stance_up, swing_up),
        pitch=np.where(stance, -rise, toe_down + toe_up),
        planted=stance,
        centring=np.where(stance, 0.0, (end_forward + half) / 2.0 * np.sin(np.pi * tau)),
    )


def _pivot_on_toe(flat_forward: Array | float, rise: Array | float, toe: float, ankle: float) -> tuple[Array, Array]:
    """Ankle position when the heel has risen by ``rise`` (radians) about a toe that stays put."""
    toe_at = np.asarray(flat_forward) + toe
    return toe_at - toe * np.cos(rise) + ankle * np.sin(rise), toe * np.sin(rise) + ankle * np.cos(rise)


def hip_heights(style: GaitStyle, legs: Legs, stride: float, phase: Array) -> Array:
    """Hip joint height over the cycle: as high as the planted legs reach (a pendulum's bob), capped.

    In a run's flight (no foot down) the hips follow a smooth arc between take-off and landing.
    """
    samples = 240
    grid = np.arange(samples) / samples
    reach = REACH * legs.length
    cap = legs.ankle_height + style.hip_cap * legs.length
    height = np.full(samples, np.inf)
    for offset in (0.0, 0.5):
        foot = foot_track(style, legs, stride, grid, offset)
        supported = foot.up + np.sqrt(np.maximum(reach**2 - foot.forward**2, 0.0))
        height = np.where(foot.planted, np.minimum(height, supported), height)
    height = np.minimum(height, cap)
    flying = ~np.isfinite(height)
    if flying.any():
        known = np.flatnonzero(~flying)
        wrapped = np.concatenate((known - samples, known, known + samples))
        height[flying] = np.interp(np.flatnonzero(flying), wrapped, np.tile(height[known], 3))
        height[flying] += style.flight_rise * legs.length * _flight_arcs(flying)
    return np.interp(np.mod(phase, 1.0), np.append(grid, 1.0), np.append(height, height[0]))


def _flight_arcs(flying: Array) -> Array:
    """0..1..0 over each run of flight samples (cyclic)."""
    arcs = np.zeros(len(flying))
    starts = np.flatnonzero(flying & ~np.roll(flying, 1))
    for start in starts:
        length = 0
        while flying[(start + length) % len(flying)] and length < len(flying):
            length += 1
        for step in range(length):
            arcs[(start + step) % len(flying)] = math.sin(math.pi * (step + 0.5) / length)
    return arcs
