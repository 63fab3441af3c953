"""How a run shows what it is doing: a rich live display on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Protocol, TextIO


@dataclass
class WorkerState:
    slot: int
    shot: str = ""
    frame: int = 0
    frames: int = 0


@dataclass
class RunProgress:
    """A snapshot of a run: phase, frames, rate, ETA and what each worker is doing."""

    phase: str = "validate"
    frames_total: int = 0
    frames_done: int = 0
    frames_at_start: int = 0
    shots_total: int = 0
    shots_done: int = 0
    started: float = field(default_factory=time.monotonic)
    workers: list[WorkerState] = field(default_factory=list)

    @property
    def frames_per_second(self) -> float:
        elapsed = time.monotonic() - self.started
        rendered = self.frames_done - self.frames_at_start
        return rendered / elapsed if elapsed > 0 and rendered > 0 else 0.0

    @property
    def eta_seconds(self) -> float | None:
        rate = self.frames_per_second
        return (self.frames_total - self.frames_done) / rate if rate else None


class Reporter(Protocol):
    def message(self, text: str) -> None: ...

    def update(self, progress: RunProgress) -> None: ...

    def close(self) -> None: ...


def _eta(progress: RunProgress) -> str:
    eta = progress.eta_seconds
    return f"ETA {eta:.0f} s" if eta is not None else "ETA --"


class PlainReporter:
    """One line per change, at most every `interval` seconds (for logs and pipes)."""

    def __init__(self, stream: TextIO = sys.stderr, interval: float = 2.0):
        self.stream = stream
        self.interval = interval
        self._last_line = ""
        self._last_time = 0.0

    def message(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def update(self, progress: RunProgress) -> None:
        busy = ", ".join(f"w{w.slot}:{w.shot}@{w.frame}/{w.frames}" for w in progress.workers if w.shot)
        line = (
            f"[{progress.phase}] shots {progress.shots_done}/{progress.shots_total}, "
            f"frames {progress.frames_done}/{progress.frames_total}, "
            f"{progress.frames_per_second:.2f} frames/s, {_eta(progress)}" + (f" | {busy}" if busy else "")
        )
        now = time.monotonic()
        if line != self._last_line and now - self._last_time >= self.interval:
            self.message(line)
            self._last_line, self._last_time = line, now

    def close(self) -> None:
        return None


class RichReporter:
    """A live display: overall bar, phase, per-worker shot and frame, frames/s, ETA."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.live import Live

        self.console = Console(stderr=True)
        self.live = Live(console=self.console, refresh_per_second=4, transient=False)
        self.live.start()

    def message(self, text: str) -> None:
        self.live.console.print(text)

    def update(self, progress: RunProgress) -> None:
        from rich.progress_bar import ProgressBar
        from rich.table import Table

        table = Table.grid(padding=(0, 2))
        table.add_row(
            f"[bold]{progress.phase}[/bold]",
            ProgressBar(total=max(1, progress.frames_total), completed=progress.frames_done, width=40),
            f"{progress.frames_done}/{progress.frames_total} frames",
            f"{progress.frames_per_second:.2f} frames/s",
            _eta(progress),
        )
        for worker in progress.workers:
            state = f"{worker.shot} frame {worker.frame}/{worker.frames}" if worker.shot else "idle"
            table.add_row(f"  worker {worker.slot}", state, "", "", "")
        self.live.update(table)

    def close(self) -> None:
        self.live.stop()


def default_reporter() -> Reporter:
    return RichReporter() if sys.stderr.isatty() else PlainReporter()
