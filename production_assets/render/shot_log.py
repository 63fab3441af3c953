"""``render.log`` beside a shot's frames folder: what happened while rendering it, kept after a crash.

While a shot renders, the worker appends to ``<frames_dir>/../render.log``:
a header line per attempt, its own timestamped log lines (one per frame),
everything Blender and Python print on stdout/stderr (file descriptors 1
and 2 point at the log for the duration), the Python traceback of a failure,
and, on a fatal signal, Python's :mod:`faulthandler` dump. Every write goes
straight to the file, so after a segfault, an abort or ``kill -9`` the tail
names the last finished frame; :func:`read_log_tail` is what an orchestrator
reads to explain the failure. The file is trimmed to its last
:data:`KEEP_BYTES` when it grows past :data:`MAX_BYTES`. No bpy here.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from types import TracebackType

RENDER_LOG_NAME = "render.log"
MAX_BYTES = 2_000_000
KEEP_BYTES = 256_000
TAIL_BYTES = 64_000

Sink = Callable[[str], None]


def render_log_file(frames_dir: str) -> str:
    """``<frames_dir>/../render.log``."""
    return os.path.join(os.path.dirname(os.path.abspath(frames_dir)), RENDER_LOG_NAME)


def read_log_tail(path: str, lines: int = 40) -> str:
    """The last ``lines`` lines of a render log ('' when there is none)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, os.path.getsize(path) - TAIL_BYTES))
            text = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


class ShotLog:
    """Appends to a shot's ``render.log`` and captures stdout/stderr into it while open.

    :meth:`line` writes a timestamped line to the file and echoes it to the
    worker's original stderr.
    """

    def __init__(self, path: str, title: str) -> None:
        self.path = path
        self.title = title
        self._log_fd = -1
        self._saved_fds: dict[int, int] = {}

    def __enter__(self) -> ShotLog:
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        _trim(self.path)
        self._log_fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._write(f"==== {time.strftime('%Y-%m-%d %H:%M:%S')} pid {os.getpid()}: {self.title}")
        _flush_python_streams()
        for target in (1, 2):
            self._saved_fds[target] = os.dup(target)
            os.dup2(self._log_fd, target)
        return self

    def line(self, message: str) -> None:
        """Log one line to the file and the original stderr."""
        self._write(f"{time.strftime('%H:%M:%S')} {message}")
        self._echo(message)

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        _flush_python_streams()
        for target, saved in self._saved_fds.items():
            os.dup2(saved, target)
            os.close(saved)
        self._saved_fds.clear()
        if error is not None:
            self._write("".join(traceback.format_exception(kind, error, trace)).rstrip())
            self._write(f"==== failed: {type(error).__name__}: {error}")
        else:
            self._write("==== finished")
        os.close(self._log_fd)

    def _write(self, text: str) -> None:
        os.write(self._log_fd, (text + "\n").encode("utf-8", errors="replace"))

    def _echo(self, message: str) -> None:
        target = self._saved_fds.get(2, 2)
        try:
            os.write(target, (message + "\n").encode("utf-8", errors="replace"))
        except OSError:
            pass


def _flush_python_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass


def _trim(path: str) -> None:
    """Keep only the last :data:`KEEP_BYTES` of a log that outgrew :data:`MAX_BYTES` (atomically)."""
    try:
        if os.path.getsize(path) <= MAX_BYTES:
            return
        with open(path, "rb") as handle:
            handle.seek(-KEEP_BYTES, os.SEEK_END)
            kept = handle.read()
    except OSError:
        return
    kept = kept[kept.find(b"\n") + 1 :]
    descriptor, temp_path = tempfile.mkstemp(prefix=".render.log.", dir=os.path.dirname(path))
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(kept)
    os.replace(temp_path, path)
