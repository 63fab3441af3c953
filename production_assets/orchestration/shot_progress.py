"""Per-shot progress out of a running shots step, for whoever runs it in this process.

A shots step renders several shots in one Dagster run; ``production run``'s shot
batches (engine.shot_batch) execute that run in their own process and listen
here to tell the parent which shot starts and how each one ends. With no
listener (the UI, ``dagster asset materialize``) nothing is sent anywhere.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal

from pydantic import Field

from production_assets.model.base import StrictModel


class ShotStarted(StrictModel):
    """A shot of the run starts rendering."""

    event: Literal["start"] = "start"
    shot: str
    run_id: str
    at: float = Field(default_factory=time.time, description="When it started (epoch seconds).")


class ShotEnded(StrictModel):
    """A shot of the run is rendered and graded (``error`` empty), or failed."""

    event: Literal["end"] = "end"
    shot: str
    run_id: str
    error: str = ""
    at: float = Field(default_factory=time.time, description="When it ended (epoch seconds).")

    @property
    def success(self) -> bool:
        return not self.error


Listener = Callable[[ShotStarted | ShotEnded], None]

_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    _listeners.append(listener)


def shot_started(shot_id: str, run_id: str) -> None:
    _send(ShotStarted(shot=shot_id, run_id=run_id))


def shot_finished(shot_id: str, run_id: str, error: str = "") -> None:
    _send(ShotEnded(shot=shot_id, run_id=run_id, error=error))


def _send(event: ShotStarted | ShotEnded) -> None:
    for listener in _listeners:
        listener(event)
