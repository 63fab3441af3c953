"""Per-shot progress out of a running shots step, for whoever runs it in this process.

A shots step renders several shots in one Dagster run; ``production run``'s shot
batches (engine.shot_batch) execute that run in their own process and listen
here to tell the parent which shot starts and how each one ends. With no
listener (the UI, ``dagster asset materialize``) nothing is sent anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Listener = Callable[[dict[str, Any]], None]

_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    _listeners.append(listener)


def shot_started(shot_id: str, run_id: str) -> None:
    _send({"event": "start", "shot": shot_id, "run_id": run_id})


def shot_finished(shot_id: str, run_id: str, error: str = "") -> None:
    _send({"event": "end", "shot": shot_id, "run_id": run_id, "success": not error, "error": error})


def _send(event: dict[str, Any]) -> None:
    for listener in _listeners:
        listener(event)
