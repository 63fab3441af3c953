"""A shot batch process seen from `production run`: how it is started, told its shots, and what it says.

``python -m production_assets.engine.shot_batch --wait-for-go PRODUCTION`` gets ready (Dagster, the
production's definitions, a bpy worker, the grading kernel) and then renders the shots of the
``{"go": [SHOT_ID, ...]}`` line that arrives on its stdin (EOF: it leaves without running anything).
It prints one JSON message a line on stdout (:data:`BatchMessage`, parsed by :func:`read_message`):
:class:`RunStarted` before a Dagster run, :class:`ShotStarted` and :class:`ShotEnded` around each shot,
:class:`RunEnded` after the run and :class:`BatchEnded` when every run is done.

No Dagster here, so `production run` can start a batch process first thing, before it imports Dagster
itself, and the process gets ready while the production is loaded and planned.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, TypeAdapter, ValidationError

from production_assets.engine.instance import dagster_home
from production_assets.model.base import StrictModel
from production_assets.orchestration.shot_progress import ShotEnded, ShotStarted

WAIT_FLAG = "--wait-for-go"
CPUS_ENV = "PRODUCTION_WORKER_CPUS"  # e.g. "0" or "2,3": the cores a batch and its bpy worker keep to


class RunStarted(StrictModel):
    """A Dagster run of ``shots`` (neighbouring partitions) starts."""

    event: Literal["run"] = "run"
    run_id: str
    shots: list[str]


class RunEnded(StrictModel):
    """The run is over: ``error`` is empty when it succeeded, else its most telling error."""

    event: Literal["run_end"] = "run_end"
    run_id: str
    error: str = ""


class BatchEnded(StrictModel):
    """Every run of the batch is over (the process still shuts down)."""

    event: Literal["batch_end"] = "batch_end"


BatchMessage = Annotated[RunStarted | ShotStarted | ShotEnded | RunEnded | BatchEnded, Field(discriminator="event")]
_MESSAGES: TypeAdapter[BatchMessage] = TypeAdapter(BatchMessage)


def read_message(line: str) -> BatchMessage | None:
    """The message a line of a batch's stdout carries; None for anything else (a library printing)."""
    try:
        return _MESSAGES.validate_json(line)
    except ValidationError:
        return None


def go_line(shot_ids: list[str]) -> str:
    """The line that starts a waiting batch on ``shot_ids``."""
    return json.dumps({"go": shot_ids}) + "\n"


def read_go(line: str) -> list[str]:
    """The shots a ``go`` line names (none for EOF or anything else)."""
    try:
        shots = json.loads(line).get("go") if line.strip() else None
    except (ValueError, AttributeError):
        return []
    return [str(shot) for shot in shots] if isinstance(shots, list) else []


def threads_per_worker(slots: int) -> int:
    """Render threads of each of ``slots`` workers: the machine's cores shared out."""
    return max(1, (os.cpu_count() or 1) // slots)


def batch_environment(threads: int, cpus: list[int] | None = None) -> dict[str, str]:
    """The environment of a batch process rendering with ``threads`` threads (kept to ``cpus`` if given)."""
    env = {
        **os.environ,
        "PRODUCTION_RENDER_THREADS": str(threads),
        "PRODUCTION_RENDER_SERVER": "1",
        "DAGSTER_HOME": str(dagster_home()),
    }
    return {**env, CPUS_ENV: ",".join(map(str, cpus))} if cpus else env


class BatchProcess:
    """One shot batch process, waiting for its shots (:meth:`go`), and the messages it prints."""

    def __init__(self, slot: int, source: str, env: dict[str, str], log: Path):
        self.slot = slot
        self.source = source
        log.parent.mkdir(parents=True, exist_ok=True)
        # Dagster's and Blender's chatter goes to the worker's log; the console shows the progress display.
        with log.open("a") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "production_assets.engine.shot_batch", WAIT_FLAG, source],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                env=env,
                text=True,
                start_new_session=True,
            )
        self.started = False
        self.finished = False
        self.messages: queue.Queue[BatchMessage] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def go(self, batch: list[str]) -> None:
        """Render ``batch`` (the process got ready while it waited)."""
        assert self.process.stdin is not None
        self.started = True
        try:
            self.process.stdin.write(go_line(batch))
            self.process.stdin.close()
        except BrokenPipeError:
            pass  # it died while waiting: its batch is reported as stopped

    def release(self) -> None:
        """Stop the process if it was never told its shots (it has started nothing, so nothing is lost)."""
        if not self.started:
            self.signal(signal.SIGKILL)
            self.process.wait()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            message = read_message(line)
            if isinstance(message, BatchEnded):
                self.finished = True  # the process still shuts down; its slot is free now
            elif message is not None:
                self.messages.put(message)

    def signal(self, number: int) -> None:
        try:
            os.killpg(self.process.pid, number)
        except ProcessLookupError:
            pass

    @property
    def busy(self) -> bool:
        return (not self.finished and self.process.poll() is None) or not self.messages.empty()


def warm_batch(production_file: Path, log: Path) -> BatchProcess:
    """A batch process for a run's single worker slot (every core), started now to get ready while the
    run loads and plans, and told its shots later (or released)."""
    return BatchProcess(0, str(production_file.resolve()), batch_environment(threads_per_worker(1)), log)
