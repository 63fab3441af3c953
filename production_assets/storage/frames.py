"""Frame files on disk: read RGB frames, write PNGs atomically, list and count a shot's frames."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import numpy as np
from PIL import Image

from production_assets.storage.atomic import atomic_path, write_text_atomic

FRAME_NAME = re.compile(r"^frame_(\d{4,})\.png$")


def frame_name(index: int) -> str:
    """The file name of frame ``index`` (``frame_0001.png``)."""
    return f"frame_{index:04d}.png"


def read_frame(path: Path) -> np.ndarray:
    """Read an image as an ``HxWx3`` uint8 RGB array (alpha dropped, 16-bit reduced)."""
    with Image.open(path) as image:
        if image.mode in ("I;16", "I;16B", "I;16L", "I"):
            wide = np.asarray(image, dtype=np.uint32)
            grey = (wide >> 8).astype(np.uint8) if wide.max(initial=0) > 255 else wide.astype(np.uint8)
            return np.repeat(grey[:, :, None], 3, axis=2)
        return np.asarray(image.convert("RGB"), dtype=np.uint8).copy()


def read_pixels(path: Path) -> np.ndarray:
    """Read an image as ``HxWx3`` RGB, or ``HxWx4`` RGBA when it carries an alpha channel that is not fully opaque."""
    with Image.open(path) as image:
        if "A" in image.getbands() or "transparency" in image.info:
            rgba = np.asarray(image.convert("RGBA"), dtype=np.uint8)
            if rgba[:, :, 3].min(initial=255) < 255:
                return rgba.copy()
    return read_frame(path)


def write_png_atomic(path: Path, rgb: np.ndarray, compress_level: int = 6) -> None:
    """Write an ``HxWx3`` RGB, ``HxWx4`` RGBA or ``HxW`` grey uint8 array as a PNG, atomically."""
    image = Image.fromarray(np.ascontiguousarray(rgb, dtype=np.uint8))
    with atomic_path(Path(path)) as temp:
        image.save(temp, format="PNG", compress_level=compress_level)


def count_frames(folder: Path) -> int:
    """How many ``frame_NNNN.png`` files ``folder`` holds (0 when it does not exist)."""
    try:
        with os.scandir(folder) as entries:
            return sum(1 for entry in entries if FRAME_NAME.match(entry.name))
    except OSError:
        return 0


def list_frames(folder: Path) -> list[Path]:
    """The ``frame_NNNN.png`` files in ``folder``, in frame order (temp files ignored)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = [(int(match.group(1)), entry) for entry in folder.iterdir() if (match := FRAME_NAME.match(entry.name))]
    return [entry for _, entry in sorted(found)]


class FrameCounts:
    """:func:`count_frames` for many folders, each count remembered with the folder's modification time, as git's
    index does for files: adding, removing or renaming a frame changes its folder's time, so a folder whose time is
    the one remembered is not listed again (a stat instead of reading the whole folder).

    ``root``: the folder the remembered paths are relative to. ``index``: the JSON file that keeps the counts for
    the next process (:meth:`save`); None keeps them in memory. A folder changed in the last :data:`RACY_SECONDS`
    is counted and not remembered, since a change within the same tick of the clock would not change its time.
    """

    RACY_SECONDS = 2.0

    def __init__(self, root: Path, index: Path | None = None) -> None:
        self._prefix = f"{root}{os.sep}"
        self.index = index
        self._known: dict[str, object] = {}  # relative folder -> [modification time in ns, frames]
        self._seen: set[str] = set()
        self._changed = False
        if index is not None:
            try:
                known = json.loads(index.read_bytes())
            except (OSError, ValueError):
                known = None  # no index yet, or an unreadable one: count again
            self._known = known if isinstance(known, dict) else {}

    def count(self, folder: Path) -> int:
        name = str(folder)
        key = name.removeprefix(self._prefix)
        try:
            modified = os.stat(name).st_mtime_ns
        except OSError:
            return 0
        self._seen.add(key)
        known = self._known.get(key)
        if isinstance(known, list) and len(known) == 2 and known[0] == modified and type(known[1]) is int:
            return known[1]
        frames = count_frames(folder)
        if time.time_ns() - modified > self.RACY_SECONDS * 1e9:
            self._known[key] = [modified, frames]
            self._changed = True
        return frames

    def save(self) -> None:
        """Write the counts to ``index`` when they changed, without the folders that are gone."""
        if self.index is None or not self._changed:
            return
        gone = [key for key in self._known if key not in self._seen and not os.path.isdir(self._prefix + key)]
        for key in gone:
            del self._known[key]
        write_text_atomic(self.index, json.dumps(self._known, separators=(",", ":")))
        self._changed = False
