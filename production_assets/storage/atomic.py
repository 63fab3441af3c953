"""Atomic file writes: nothing partial is ever published.

Every deliverable is written to a temporary sibling of its target, flushed to
disk, then renamed over the target with :func:`os.replace`. A failure (or a
kill) at any point leaves the previous target untouched and, on failure, no
temporary file behind. Many files that belong together (a retro output's
frames, GIFs, sheets and palettes) are written into a hidden staging folder
inside their destination instead and renamed into place only when all of them
are complete (:func:`staged_files`).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: abandoned staging folders are left alone (hidden, never published)
    fcntl = None  # type: ignore[assignment]

STAGING_PREFIX = ".staging-"


class PublishingStopped(Exception):
    """Raised where a file would be published after :func:`stop_publishing` (an interrupted export)."""


_stopped = threading.Event()


def stop_publishing() -> None:
    """From now on, in this process, nothing more is published (threads still writing give up)."""
    _stopped.set()


def resume_publishing() -> None:
    _stopped.clear()


def check_publishing() -> None:
    """Raise :class:`PublishingStopped` if publishing was stopped; cheap enough for every frame."""
    if _stopped.is_set():
        raise PublishingStopped("stopped: the export was interrupted")


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
        check_publishing()
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
        for temp, target in zip(temps, targets, strict=True):
            if not temp.exists():
                raise FileNotFoundError(f"nothing was written to {temp} for {target}")
            _fsync_file(temp)
        check_publishing()
    except BaseException:
        for temp in temps:
            temp.unlink(missing_ok=True)
        raise
    for temp, target in zip(temps, targets, strict=True):
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


@dataclass(frozen=True)
class Staging:
    """A hidden folder inside ``destination`` whose files are published into it together."""

    folder: Path
    destination: Path

    def target_of(self, staged: Path) -> Path:
        """Where a file written at ``staged`` (inside :attr:`folder`) is published."""
        return self.destination / Path(staged).relative_to(self.folder)


def _lock(folder: Path, wait: bool) -> int | None:
    """An fd holding an exclusive lock on ``folder``; None when another process holds it
    (and ``wait`` is False) or on systems without ``flock``."""
    if fcntl is None:
        return None
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _remove_abandoned_staging(destination: Path) -> None:
    """Remove the staging folders in ``destination`` that builds killed midway left behind.

    A build holds a lock on its staging folder while it runs (the system releases
    it when the process dies), so a concurrent build's folder is never taken.
    """
    for folder in sorted(Path(destination).glob(f"{STAGING_PREFIX}*")):
        if not folder.is_dir():
            continue
        fd = _lock(folder, wait=False)
        if fd is None:
            continue
        try:
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            os.close(fd)


@contextlib.contextmanager
def staged_files(destination: Path) -> Iterator[Staging]:
    """Yield a :class:`Staging` in ``destination``; publish every file written into it on success.

    Files are written under ``staging.folder`` at the paths they should have in
    ``destination`` (``.staging-1a2b/s01/frame_0001.png`` -> ``s01/frame_0001.png``).
    When the block ends normally, every staged file is fsynced, and only then
    are they renamed into place (missing folders created) and the staging
    folder removed. When it raises, the staging folder is removed and nothing in
    ``destination`` changes. Renames need no space and rarely fail, but a kill
    during them leaves some files new and some old: callers that record what
    they built should drop that record before the block ends (see
    ``export.deliver``). Staging folders abandoned by killed builds are removed
    first; they are hidden and never published.
    """
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_staging(destination)
    staging = Staging(destination / f"{STAGING_PREFIX}{secrets.token_hex(4)}", destination)
    staging.folder.mkdir()
    lock = _lock(staging.folder, wait=True)
    try:
        yield staging
        staged = sorted(path for path in staging.folder.rglob("*") if path.is_file())
        for path in staged:
            _fsync_file(path)
        check_publishing()
        for path in staged:
            target = staging.target_of(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
        for folder in {staging.target_of(path).parent for path in staged}:
            _fsync_dir(folder)
    finally:
        shutil.rmtree(staging.folder, ignore_errors=True)
        if lock is not None:
            os.close(lock)


@contextlib.contextmanager
def published_folder(target: Path) -> Iterator[Path]:
    """Yield a hidden folder beside ``target``; on success it becomes ``target`` in one rename.

    Every file written into the yielded folder is fsynced before the rename, so ``target`` either
    does not exist or holds all of them. A ``target`` already there is replaced (it is removed just
    before the rename). On error the hidden folder is removed and ``target`` is untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    for abandoned in target.parent.glob(f".{target.name}{STAGING_PREFIX}*"):
        shutil.rmtree(abandoned, ignore_errors=True)
    staging = target.with_name(f".{target.name}{STAGING_PREFIX}{secrets.token_hex(4)}")
    staging.mkdir()
    try:
        yield staging
        for path in staging.rglob("*"):
            if path.is_file():
                _fsync_file(path)
        check_publishing()
        if target.exists():
            shutil.rmtree(target)
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _fsync_dir(target.parent)
