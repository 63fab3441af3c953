"""Quaternion arithmetic on numpy arrays, one rotation per frame (no bpy).

Quaternions are ``(..., 4)`` arrays ``(w, x, y, z)`` (Blender's order); Euler
angles are ``(..., 3)`` radians in Blender's ``XYZ`` order (X applied first).
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray


def identity(count: int) -> Array:
    quaternions = np.zeros((count, 4))
    quaternions[:, 0] = 1.0
    return quaternions


def multiply(a: Array, b: Array) -> Array:
    """The Hamilton product ``a * b`` (apply ``b`` first, then ``a``)."""
    aw, ax, ay, az = np.moveaxis(np.asarray(a, dtype=float), -1, 0)
    bw, bx, by, bz = np.moveaxis(np.asarray(b, dtype=float), -1, 0)
    return np.stack(
        (
            aw * bw - ax * bx - ay * by - az * bz,
            aw * bx + ax * bw + ay * bz - az * by,
            aw * by - ax * bz + ay * bw + az * bx,
            aw * bz + ax * by - ay * bx + az * bw,
        ),
        axis=-1,
    )


def conjugate(q: Array) -> Array:
    return np.asarray(q, dtype=float) * np.array([1.0, -1.0, -1.0, -1.0])


def normalized(q: Array) -> Array:
    return q / np.linalg.norm(q, axis=-1, keepdims=True)


def axis_angle(axis: Array, angle: Array) -> Array:
    """Rotations by ``angle`` (radians, broadcast) about unit ``axis``."""
    angle = np.asarray(angle, dtype=float)[..., None]
    return np.concatenate((np.cos(angle / 2.0), np.sin(angle / 2.0) * np.asarray(axis, dtype=float)), axis=-1)


def from_euler(euler: Array) -> Array:
    """Quaternions of XYZ Euler angles: ``Rz * Ry * Rx``."""
    euler = np.asarray(euler, dtype=float)
    x = axis_angle(np.array([1.0, 0.0, 0.0]), euler[..., 0])
    y = axis_angle(np.array([0.0, 1.0, 0.0]), euler[..., 1])
    z = axis_angle(np.array([0.0, 0.0, 1.0]), euler[..., 2])
    return multiply(z, multiply(y, x))


def to_euler(q: Array) -> Array:
    """XYZ Euler angles of quaternions (the inverse of :func:`from_euler` away from gimbal lock)."""
    w, x, y, z = np.moveaxis(np.asarray(q, dtype=float), -1, 0)
    m00, m10 = 1 - 2 * (y * y + z * z), 2 * (x * y + w * z)
    m20, m21, m22 = 2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)
    return np.stack((np.arctan2(m21, m22), np.arcsin(np.clip(-m20, -1.0, 1.0)), np.arctan2(m10, m00)), axis=-1)


def rotate(q: Array, vectors: Array) -> Array:
    """Rotate ``vectors`` (..., 3) by ``q`` (..., 4)."""
    q = np.asarray(q, dtype=float)
    vectors = np.asarray(vectors, dtype=float)
    w, axis = q[..., :1], q[..., 1:]
    twice_cross = 2.0 * np.cross(axis, vectors)
    return vectors + w * twice_cross + np.cross(axis, twice_cross)


def between(a: Array, b: Array) -> Array:
    """The shortest rotations taking directions ``a`` onto directions ``b`` (neither need be unit)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    a = a / np.linalg.norm(a, axis=-1, keepdims=True)
    b = b / np.linalg.norm(b, axis=-1, keepdims=True)
    dot = np.sum(a * b, axis=-1, keepdims=True)
    return normalized(np.concatenate((1.0 + dot, np.cross(a, b)), axis=-1))


def from_matrix(matrix: Array) -> Array:
    """The quaternion of one 3x3 rotation matrix (Shepperd's method)."""
    m = np.asarray(matrix, dtype=float)
    trace = m[0, 0] + m[1, 1] + m[2, 2]
    if trace > 0:
        s = 2.0 * np.sqrt(trace + 1.0)
        q = [0.25 * s, (m[2, 1] - m[1, 2]) / s, (m[0, 2] - m[2, 0]) / s, (m[1, 0] - m[0, 1]) / s]
    elif m[0, 0] > m[1, 1] and m[0, 0] > m[2, 2]:
        s = 2.0 * np.sqrt(1.0 + m[0, 0] - m[1, 1] - m[2, 2])
        q = [(m[2, 1] - m[1, 2]) / s, 0.25 * s, (m[0, 1] + m[1, 0]) / s, (m[0, 2] + m[2, 0]) / s]
    elif m[1, 1] > m[2, 2]:
        s = 2.0 * np.sqrt(1.0 + m[1, 1] - m[0, 0] - m[2, 2])
        q = [(m[0, 2] - m[2, 0]) / s, (m[0, 1] + m[1, 0]) / s, 0.25 * s, (m[1, 2] + m[2, 1]) / s]
    else:
        s = 2.0 * np.sqrt(1.0 + m[2, 2] - m[0, 0] - m[1, 1])
        q = [(m[1, 0] - m[0, 1]) / s, (m[0, 2] + m[2, 0]) / s, (m[1, 2] + m[2, 1]) / s, 0.25 * s]
    return normalized(np.array(q))


def continuous(q: Array) -> Array:
    """Flip signs frame to frame so consecutive keys interpolate the short way."""
    q = np.array(q, dtype=float)
    if len(q) < 2:
        return q
    flips = np.cumprod(np.where(np.sum(q[1:] * q[:-1], axis=-1) < 0, -1.0, 1.0))
    q[1:] *= flips[:, None]
    return q
