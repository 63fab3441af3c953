"""Publishing .blend files atomically: temp file in the same folder, fsync, rename.

A killed or crashed writer leaves the previous file (or nothing) in place and
at most a hidden ``.<name>.<pid>.partial`` beside it, removed by the next write.
"""

from __future__ import annotations

import glob
import os

import bpy

PARTIAL_SUFFIX = ".partial"
CRASH_BEFORE_PUBLISH_ENV = "PRODUCTION_PREPARE_CRASH_BEFORE_PUBLISH"


def publish_blend(path: str, datablocks: set[bpy.types.ID]) -> int:
    """Write ``datablocks`` (and what they use) to ``path`` atomically; return the file's size in bytes.

    Written with Blender's ``bpy.data.libraries.write`` (Python API: BlendDataLibraries.write),
    fake users set so unused looks survive, paths kept as given (no relative remap).
    Fault injection for tests only: with ``PRODUCTION_PREPARE_CRASH_BEFORE_PUBLISH=1``
    the process aborts after the temp file is complete and before the rename.
    """
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    remove_partial_files(path)
    temp_path = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}{PARTIAL_SUFFIX}")
    try:
        bpy.data.libraries.write(temp_path, datablocks, path_remap="NONE", fake_user=True, compress=False)
        if not os.path.isfile(temp_path):
            raise RuntimeError(f"Blender did not write {temp_path}")
        fsync_path(temp_path)
        if os.environ.get(CRASH_BEFORE_PUBLISH_ENV) == "1":
            os.abort()
        os.replace(temp_path, path)
    except BaseException:
        remove_partial_files(path)
        raise
    fsync_path(folder)
    return os.path.getsize(path)


def remove_partial_files(path: str) -> None:
    """Remove temp files an interrupted :func:`publish_blend` of ``path`` left behind."""
    folder, name = glob.escape(os.path.dirname(path)), glob.escape(os.path.basename(path))
    pattern = os.path.join(folder, f".{name}.*{PARTIAL_SUFFIX}*")
    for leftover in glob.glob(pattern):
        os.remove(leftover)


def fsync_path(path: str) -> None:
    """Flush a file or a folder (its entries) to disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
