"""Atomic file writes: nothing partial is ever published.

Every deliverable is written to a temporary sibling of its target, flushed to
disk, then renamed over the target with :func:`os.replace`. A failure (or a
kill) at any point leaves the previous target untouched and, on failure, no
temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path


def temp_sibling(target: Path) -> Path:
    """A hidden, unique sibling of ``target`` that keeps its extension last.

    ``out/clip.mp4`` -> ``out/.clip.tmp-1a2b3c4d.mp4``: encoders that choose a
    container from the extension still recognise it.
    """
    return target.with_name(f".{target.stem}.tmp-{secrets.token_hex(4)}{target.suffix}")


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    # Directories cannot be opened for fsync on Windows; the rename is still atomic there.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; publish it on success.

    The caller writes the whole file to the yielded path. On normal exit the
    file is fsynced and renamed onto ``target`` (and the folder fsynced); if
    the block raises, the temporary file is removed and the error propagates.
    The parent folder is created when missing.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_sibling(target)
    try:
        yield temp
        if not temp.exists():
            raise FileNotFoundError(f"nothing was written to {temp} for {target}")
        _fsync_file(temp)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


@contextlib.contextmanager
def atomic_paths(targets: Sequence[Path]) -> Iterator[list[Path]]:
    """Like :func:`atomic_path` for several files published together.

    Yields one temporary sibling per target, in the same order. Only when the
    block succeeds and every temporary file exists are they renamed onto their
    targets (each rename atomic, all of them after the last byte is written);
    on any error every temporary file is removed and no target changes.
    """
    targets = [Path(target) for target in targets]
    if len(set(targets)) != len(targets):
        raise ValueError("the same target appears twice in one atomic group")
    temps = []
    for target in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        temps.append(temp_sibling(target))
    try:
        yield temps
        for temp, target in zip(temps, targets):
            if not temp.exists():
                raise FileNotFoundError(f"nothing was written to {temp} for {target}")
            _fsync_file(temp)
    except BaseException:
        for temp in temps:
            temp.unlink(missing_ok=True)
        raise
    for temp, target in zip(temps, targets):
        os.replace(temp, target)
    for folder in {target.parent for target in targets}:
        _fsync_dir(folder)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(Path(path)) as temp:
        temp.write_bytes(data)


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically."""
    write_bytes_atomic(Path(path), text.encode(encoding))
