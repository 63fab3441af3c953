"""How a run shows what it is doing: a rich live display on a terminal, plain lines otherwise.

Both show all eight phases (validate, prepare, characters, locations, shots, post_process, export,
finalize) with their state, also where one Dagster step does two of them.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO

from production_assets.engine.phases import pending_phases
from production_assets.model.results import PhaseName, PhaseReport

SETTLED = ("done", "skipped", "failed")
PHASE_STYLES = {"pending": "dim", "running": "bold yellow", "done": "green", "skipped": "dim", "failed": "bold red"}
PHASE_MARKS = {"pending": ".", "running": ">", "done": "ok", "skipped": "-", "failed": "FAILED"}


@dataclass
class WorkerState:
    slot: int
    shot: str = ""
    frame: int = 0
    frames: int = 0


@dataclass
class RunProgress:
    """A snapshot of a run: every phase's state, frames, rate, time left and what each worker is doing.

    ``estimates`` holds each phase's seconds as ``production estimate`` predicts them; the time left is
    that estimate for the phases still to come, and the measured frame rate once frames are coming in.
    """

    phase: PhaseName = "validate"
    phases: dict[PhaseName, PhaseReport] = field(default_factory=pending_phases)
    estimates: dict[str, float] = field(default_factory=dict)
    frames_total: int = 0
    frames_done: int = 0
    frames_at_start: int = 0
    shots_total: int = 0
    shots_done: int = 0
    workers: list[WorkerState] = field(default_factory=list)
    began: dict[str, float] = field(default_factory=dict)
    ended_shots: set[str] = field(default_factory=set)

    def begin(self, *phases: PhaseName) -> None:
        """These phases start now (one Dagster step may do several)."""
        self.phase = phases[0]
        for phase in phases:
            self.phases[phase] = self.phases[phase].model_copy(update={"state": "running"})
            self.began[phase] = time.monotonic()

    def settle(self, phase: PhaseName, report: PhaseReport) -> None:
        self.phases[phase] = report

    def skip(self, phase: PhaseName, note: str) -> None:
        if self.phases[phase].state not in SETTLED:
            self.phases[phase] = self.phases[phase].model_copy(update={"state": "skipped", "note": note})

    def shot_started(self, slot: int, shot_id: str, frames: int) -> None:
        worker = self.workers[slot]
        worker.shot, worker.frame, worker.frames = shot_id, 0, frames

    def shot_ended(self, slot: int, shot_id: str) -> None:
        if shot_id not in self.ended_shots:
            self.ended_shots.add(shot_id)
            self.shots_done += 1
        if self.workers[slot].shot == shot_id:  # the worker may have started its next shot already
            self.workers[slot].shot = ""

    def frames_seen(self, frames_done: int, frames_of: Callable[[str], int]) -> None:
        """Frames on disk now: in all and of each worker's shot (``frames_of``). A shot whose frames are all
        there is being graded, so post_process is under way."""
        self.frames_done = frames_done
        for worker in self.workers:
            if worker.shot:
                worker.frame = frames_of(worker.shot)
                if worker.frame >= worker.frames and self.phases["post_process"].state == "pending":
                    self.begin("post_process")
                    self.phase = "shots"

    @property
    def finished(self) -> bool:
        return all(report.state in SETTLED for report in self.phases.values())

    def _elapsed(self, phase: str) -> float:
        return time.monotonic() - self.began[phase] if phase in self.began else 0.0

    @property
    def frames_per_second(self) -> float:
        elapsed = self._elapsed("shots")
        rendered = self.frames_done - self.frames_at_start
        return rendered / elapsed if elapsed > 0 and rendered > 0 else 0.0

    @property
    def remaining_seconds(self) -> float:
        """Seconds until the run is done: 0 when it is; the estimate for what has not started; the frame
        rate for the frames left once frames are coming in. Never negative."""
        left = 0.0
        for phase, report in self.phases.items():
            if report.state in SETTLED:
                continue
            estimate = self.estimates.get(phase, 0.0)
            rate = self.frames_per_second
            if phase == "shots" and rate:
                left += max(0, self.frames_total - self.frames_done) / rate
            else:
                left += max(0.0, estimate - self._elapsed(phase))
        return left

    def live_phases(self) -> dict[PhaseName, PhaseReport]:
        """The phases, a running one with the seconds it has been going so far."""
        return {
            phase: report.model_copy(update={"seconds": round(self._elapsed(phase), 3)})
            if report.state == "running"
            else report
            for phase, report in self.phases.items()
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "phases": {phase: report.model_dump(mode="json") for phase, report in self.live_phases().items()},
            "frames_done": self.frames_done,
            "frames_total": self.frames_total,
            "shots_done": self.shots_done,
            "shots_total": self.shots_total,
            "frames_per_second": round(self.frames_per_second, 3),
            "eta_seconds": round(self.remaining_seconds, 1),
            "finished": self.finished,
            "workers": [dataclasses.asdict(worker) for worker in self.workers],
        }


class Reporter(Protocol):
    def message(self, text: str) -> None: ...

    def update(self, progress: RunProgress) -> None: ...

    def close(self) -> None: ...


def _eta(progress: RunProgress) -> str:
    return f"ETA {progress.remaining_seconds:.0f} s"


def phases_line(phases: dict[PhaseName, PhaseReport]) -> str:
    """Every phase and its state: ``validate ok 0.1s | prepare > 0.4s | ... | export - (up to date) | finalize .``."""
    parts = []
    for phase, report in phases.items():
        seconds = f" {report.seconds:.1f}s" if report.state in ("running", "done", "failed") else ""
        why = f" ({report.note})" if report.state in ("skipped", "failed") and report.note else ""
        parts.append(f"{phase} {PHASE_MARKS[report.state]}{seconds}{why}")
    return "phases: " + " | ".join(parts)


class PlainReporter:
    """One line per change, at most every `interval` seconds (for logs and pipes)."""

    def __init__(self, stream: TextIO = sys.stderr, interval: float = 2.0):
        self.stream = stream
        self.interval = interval
        self._last_line = ""
        self._last_time = 0.0
        self._last_states: tuple[str, ...] = ()

    def message(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def update(self, progress: RunProgress) -> None:
        states = tuple(report.state for report in progress.phases.values())
        if states != self._last_states:
            self.message(phases_line(progress.live_phases()))
            self._last_states = states
        if progress.phase not in ("shots", "post_process"):
            return
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
    """A live display: every phase's state, overall bar, per-worker shot and frame, frames/s, ETA."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.live import Live

        self.console = Console(stderr=True)
        self.live = Live(console=self.console, refresh_per_second=4, transient=False)
        self.live.start()

    def message(self, text: str) -> None:
        self.live.console.print(text)

    def update(self, progress: RunProgress) -> None:
        from rich.console import Group
        from rich.progress_bar import ProgressBar
        from rich.table import Table
        from rich.text import Text

        phases = Text("  ").join(
            Text(f"{phase} {PHASE_MARKS[report.state]}", style=PHASE_STYLES[report.state])
            for phase, report in progress.phases.items()
        )
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
        self.live.update(Group(phases, table))

    def close(self) -> None:
        self.live.stop()


def default_reporter() -> Reporter:
    return RichReporter() if sys.stderr.isatty() else PlainReporter()
