"""The procedural action library: each action as bone motion over time (numpy, no bpy).

Every function here returns a :class:`Motion` for one clip, sampled at ``t``
(seconds since the clip's start, one entry per frame of the shot). Channels:

- a bone name: XYZ Euler angles (radians), parent-relative, in the character's
  rest axes (:mod:`.kinematics`): +X pitches an upright bone forward and
  swings a hanging one back, +Y tilts toward the character's left, +Z turns
  toward its left. Right-side bones mirror left ones (Y and Z negated).
- ``hips.offset``: the hips' move (character units); ``eyes``: both eyes'
  Euler angles; ``blink`` (1 closed), ``mouth.open`` (1 wide open) and ``brows``
  (1 raised), each 0..1.

``add`` channels are summed over the layers, ``set`` channels replace what
lies below them by the clip's weight (a wave takes over the right arm).
Posture (sit, fall) and locomotion live in :mod:`.performance` and :mod:`.gait`.
Randomness comes from the generator passed in, seeded from the character's
name, so a shot renders the same every time.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from production_assets.acting.bodies import Skeleton
from production_assets.render import rotations
from production_assets.render.gait import smoothstep
from production_assets.render.kinematics import direction

Array = np.ndarray
Channels = dict[str, Array]
SIDES = (("L", 1.0), ("R", -1.0))


@dataclass
class Motion:
    """What one clip does: channels added to the layers below, and channels that replace them."""

    add: Channels = field(default_factory=dict)
    set: Channels = field(default_factory=dict)


def euler_deg(x: Array | float = 0.0, y: Array | float = 0.0, z: Array | float = 0.0, count: int = 1) -> Array:
    """(F, 3) radians from degrees (scalars broadcast to ``count`` frames)."""
    columns = [np.broadcast_to(np.asarray(value, dtype=float), (count,)) for value in (x, y, z)]
    return np.radians(np.stack(columns, axis=-1))


def mirrored(euler: Array) -> Array:
    """The right side's angles for a left-side pose."""
    return euler * np.array([1.0, -1.0, -1.0])


def events(rng: np.random.Generator, span: float, first: tuple[float, float], gap: tuple[float, float]) -> Array:
    """Random event times over ``span`` seconds: the first in ``first``, then gaps drawn from ``gap``."""
    times = [rng.uniform(*first)]
    while times[-1] < span:
        times.append(times[-1] + rng.uniform(*gap))
    return np.array(times)


def pulses(t: Array, starts: Array, length: float, shape: Callable[[Array], Array]) -> Array:
    """``shape`` (0..1 over 0..1) played for ``length`` seconds from each start (the strongest where they overlap)."""
    total = np.zeros_like(t)
    for start in starts:
        local = (t - start) / length
        inside = (local >= 0.0) & (local <= 1.0)
        total = np.where(inside, np.maximum(total, shape(np.clip(local, 0.0, 1.0))), total)
    return total


def bump(u: Array) -> Array:
    return np.sin(np.pi * u) ** 2


def blink_shape(u: Array) -> Array:
    """Closes fast, stays shut a moment (so a frame catches it), opens slower."""
    return np.where(u < 0.3, smoothstep(u / 0.3), 1.0 - smoothstep((u - 0.45) / 0.55))


def idle(t: Array, span: float, rng: np.random.Generator, bones: Skeleton, sway: Array) -> Motion:
    """Breathing, weight shift (scaled by ``sway``: 0 while walking or seated), head drift, blinks, glances."""
    count = len(t)
    breath = np.sin(2 * np.pi * t / rng.uniform(3.6, 4.4) + rng.uniform(0, 2 * np.pi))
    shift_phase = 2 * np.pi * t / rng.uniform(6.0, 9.0) + rng.uniform(0, 2 * np.pi)
    shift = np.sin(shift_phase) * sway
    drift = 2 * np.pi * t
    leg = bones["thigh.L"].head[2] / 0.92
    motion = Motion()
    # Knees a touch soft (hips 6 mm down) so a weight shift never lifts a foot off the ground.
    motion.add["hips.offset"] = np.stack((0.02 * leg * shift, np.zeros(count), np.full(count, -0.006 * leg)), axis=-1)
    motion.add["hips"] = euler_deg(0, 2.0 * shift, 0.6 * np.cos(shift_phase) * sway, count)
    motion.add["spine"] = euler_deg(0.5 * breath, -1.4 * shift, 0, count)
    motion.add["chest"] = euler_deg(-1.0 * breath, -0.6 * shift, 0, count)
    motion.add["neck"] = euler_deg(1.2 * np.sin(drift / 5.3), 0.8 * shift, 2.5 * np.sin(drift / 7.1 + 1.0), count)
    motion.add["head"] = euler_deg(
        0.8 * np.sin(drift / 3.7), 1.5 * np.sin(drift / 6.1), 1.0 * np.sin(drift / 4.3), count
    )
    for side, sign in SIDES:
        shoulder = euler_deg(0, -1.5 * breath, 0, count)
        arm = euler_deg(1.5 * np.sin(drift / 4.9 + sign), -sign * (2.0 + 1.0 * shift * sign), 0, count)
        forearm = euler_deg(-10.0 - 2.0 * breath, 0, 0, count)
        for name, euler in (("shoulder", shoulder), ("upper_arm", arm), ("forearm", forearm)):
            motion.add[f"{name}.{side}"] = euler if sign > 0 else mirrored(euler)
    motion.add["blink"] = pulses(t, events(rng, span, (0.4, 2.5), (2.2, 5.0)), 0.2, blink_shape)
    glances = events(rng, span, (0.5, 1.5), (0.8, 2.2))
    targets = rng.uniform(-1.0, 1.0, size=(len(glances), 2)) * np.array([2.5, 4.0])
    index = np.clip(np.searchsorted(glances, t) - 1, 0, None)
    gaze = np.where((np.searchsorted(glances, t) > 0)[:, None], targets[index], 0.0)
    motion.add["eyes"] = np.radians(np.stack((gaze[:, 0], np.zeros(count), gaze[:, 1]), axis=-1))
    return motion


def talk(t: Array, span: float, rng: np.random.Generator) -> Motion:
    """Syllables (about 4.5 a second) in phrases with pauses; head beats, brow lifts, hand gestures."""
    count = len(t)
    starts, strengths, phrase_starts = _syllables(rng, span)
    mouth = np.zeros(count)
    for start, length, strength in zip(starts, np.diff(np.append(starts, span + 1.0)), strengths, strict=True):
        local = (t - start) / min(length, 0.3)
        mouth = np.maximum(
            mouth, np.where((local >= 0) & (local <= 1), strength * np.sin(np.pi * np.clip(local, 0, 1)), 0)
        )
    stress = pulses(t, starts[strengths > 0.85], 0.35, bump)
    drift = 2 * np.pi * t
    motion = Motion()
    motion.add["mouth.open"] = mouth
    motion.add["brows"] = pulses(t, phrase_starts, 0.9, bump) * 0.8
    motion.add["head"] = euler_deg(3.0 * stress + 1.5 * np.sin(drift / 2.7), 3.0 * np.sin(drift / 4.1), 0, count)
    motion.add["neck"] = euler_deg(0, 0, 4.0 * np.sin(drift / 5.3 + rng.uniform(0, 6)), count)
    motion.add["chest"] = euler_deg(1.0 * stress, 0, 1.5 * np.sin(drift / 6.7), count)
    gesture_times = events(rng, span, (0.0, 0.6), (1.4, 3.0))
    for index, side_choice in enumerate(rng.integers(0, 3, size=len(gesture_times))):
        envelope = pulses(t, gesture_times[index : index + 1], rng.uniform(1.1, 1.8), _hold_shape)
        beat = 1.0 + 0.12 * np.sin(2 * np.pi * 4.5 * t)
        lift, bend, spread = rng.uniform(14, 28), rng.uniform(45, 70), rng.uniform(4, 12)
        for side, sign in SIDES:
            if side_choice == 2 or (side_choice == 0) == (side == "L"):
                arm = euler_deg(-lift * envelope, -spread * envelope, sign * 10.0 * envelope, count)
                forearm = euler_deg(-bend * envelope * beat, 0, sign * 15.0 * envelope, count)
                accumulate(motion.add, f"upper_arm.{side}", arm if sign > 0 else mirrored(arm))
                accumulate(motion.add, f"forearm.{side}", forearm if sign > 0 else mirrored(forearm))
    return motion


def _syllables(rng: np.random.Generator, span: float) -> tuple[Array, Array, Array]:
    """Syllable start times and loudness (0 in pauses), and the start of each phrase."""
    starts, strengths, phrases = [], [], [0.0]
    time, left_in_phrase = 0.0, rng.integers(5, 12)
    while time < span + 0.5:
        starts.append(time)
        strengths.append(rng.uniform(0.35, 1.0))
        time += 1.0 / rng.uniform(3.6, 5.4)
        left_in_phrase -= 1
        if left_in_phrase == 0:
            time += rng.uniform(0.25, 0.6)
            phrases.append(time)
            left_in_phrase = rng.integers(5, 12)
    return np.array(starts), np.array(strengths), np.array(phrases)


def _hold_shape(u: Array) -> Array:
    """Rise over the first 25 %, hold, fall over the last 35 %."""
    return np.minimum(smoothstep(u / 0.25), 1.0 - smoothstep((u - 0.65) / 0.35))


def accumulate(channels: Channels, name: str, value: Array) -> None:
    """Add ``value`` to a channel (created when missing)."""
    channels[name] = channels[name] + value if name in channels else value


def listen(t: Array, span: float, rng: np.random.Generator) -> Motion:
    """Nods (now and then a double nod), a slow head tilt, an attentive lean, brows now and then."""
    count = len(t)
    nods = events(rng, span, (0.0, 0.15), (1.8, 3.4))
    doubles = nods[rng.random(len(nods)) < 0.35] + 0.45
    nodding = pulses(t, np.sort(np.concatenate((nods, doubles))), 0.5, bump)
    tilt = rng.choice([-1.0, 1.0]) * (3.0 + 3.0 * np.sin(2 * np.pi * t / rng.uniform(4.5, 6.5)))
    motion = Motion()
    motion.add["head"] = euler_deg(9.0 * nodding, tilt, 0, count)
    motion.add["neck"] = euler_deg(2.0 * nodding, 0, 0, count)
    motion.add["chest"] = euler_deg(2.5, 0, 0, count)
    motion.add["brows"] = pulses(t, events(rng, span, (1.0, 3.0), (3.0, 6.0)), 0.8, bump) * 0.6
    return motion


def look_around(t: Array, span: float, rng: np.random.Generator) -> Motion:
    """Sweeps from side to side: eyes lead, head and neck follow, the chest a little."""
    count = len(t)
    stops = events(rng, span, (0.0, 0.0), (0.9, 1.6))
    first = rng.choice([-1.0, 1.0])
    angles = np.array([first * (-1.0) ** i * rng.uniform(35.0, 65.0) for i in range(len(stops))])
    yaw = np.zeros(count)
    previous = 0.0
    for start, angle in zip(stops, angles, strict=True):
        yaw = np.where(t >= start, previous + (angle - previous) * smoothstep((t - start) / 0.55), yaw)
        previous = angle
    lead = np.clip(np.gradient(yaw, t) * 0.12 if count > 1 else np.zeros(count), -20.0, 20.0)
    pitch = 4.0 * np.sin(2 * np.pi * t / 2.3)
    motion = Motion()
    motion.add["chest"] = euler_deg(0, 0, 0.15 * yaw, count)
    motion.add["neck"] = euler_deg(0.3 * pitch, 0, 0.35 * yaw, count)
    motion.add["head"] = euler_deg(0.7 * pitch, 0, 0.5 * yaw, count)
    motion.add["eyes"] = euler_deg(0, 0, lead, count)
    motion.add["brows"] = np.full(count, 0.3)
    return motion


def wave(t: Array, rng: np.random.Generator) -> Motion:
    """The right hand up beside the head, waving from the elbow and wrist."""
    count = len(t)
    rate = rng.uniform(2.0, 2.6)
    swing = np.sin(2 * np.pi * rate * t + np.pi / 2)
    arm = euler_deg(-25.0, 105.0, 10.0, count)
    forearm = euler_deg(-10.0, 70.0 + 22.0 * swing, 0, count)
    hand = euler_deg(0, 15.0 * np.sin(2 * np.pi * rate * t), 0, count)
    motion = Motion(set={"upper_arm.R": arm, "forearm.R": forearm, "hand.R": hand})
    motion.add["head"] = euler_deg(0, -3.0, -6.0, count)
    motion.add["brows"] = np.full(count, 0.7)
    return motion


def point(count: int, bones: Skeleton, target: Array) -> Motion:
    """Raise the right arm along ``target`` (a direction in character space) and hold; head and chest turn."""
    heading = math.atan2(target[0], -target[1])
    chest_turn = float(np.clip(0.35 * heading, math.radians(-25), math.radians(25)))
    turned_back = rotations.rotate(rotations.axis_angle(np.array([0.0, 0.0, 1.0]), -chest_turn), target)
    raise_arm = rotations.between(direction(bones["upper_arm.R"]), turned_back)
    arm = np.broadcast_to(rotations.to_euler(raise_arm), (count, 3))
    motion = Motion(
        set={"upper_arm.R": arm, "forearm.R": euler_deg(0, 0, 0, count), "hand.R": euler_deg(0, 0, 0, count)}
    )
    motion.add["chest"] = euler_deg(0, 0, math.degrees(chest_turn), count)
    motion.add["head"] = euler_deg(0, 0, float(np.clip(math.degrees(heading - chest_turn) * 0.6, -50, 50)), count)
    motion.add["brows"] = np.full(count, 0.4)
    return motion
