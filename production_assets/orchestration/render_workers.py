"""How shot_renders reaches the bpy worker: a fresh Pipes process per shot, or one kept per process.

`process` starts ``python -m production_assets.render.worker`` for every shot
through ``PipesSubprocessClient``. `server` keeps one worker running
(``--serve``) and hands it one Pipes session per shot, so the shots of one run
process pay Python and bpy start-up once. Sessions are queued: the worker is
handed the next shot while it renders one and goes on to it at once, so it
renders while the shots step records the shot before. A run over a range of
shots uses the server, a run of one shot a process; PRODUCTION_RENDER_SERVER=1
or 0 forces one (`production run` sets 1 and starts the server early). Both
speak Dagster Pipes: logs, per-frame progress, metadata and data versions
arrive the same way. A server that dies fails the shot it was rendering; the
shots queued behind it go to a fresh one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from typing import Any

import dagster as dg

from production_assets.orchestration.dagster_compat import PipesExecutionError

WORKER_MODULE = "production_assets.render.worker"
# Dagster's own Pipes code calls a preview API of itself on every session; not ours to act on.
warnings.filterwarnings("ignore", message=r".*expected_writer_count.*")


def keep_worker(shots_in_run: int) -> bool:
    """Whether this run's shots share one kept bpy worker (see the module docstring)."""
    setting = os.environ.get("PRODUCTION_RENDER_SERVER", "")
    return setting == "1" if setting in ("0", "1") else shots_in_run > 1


class _WorkerServer:
    """One long-lived `worker --serve` process. It serves the sessions it is handed one after another, in order:
    each :meth:`submit` returns a ticket, and :meth:`wait` tells how that session ended."""

    def __init__(self, command: Sequence[str] = (sys.executable, "-m", WORKER_MODULE, "--serve")) -> None:
        self.process = subprocess.Popen(
            list(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        self.submitted = 0
        self.statuses: list[int] = []  # the exit status of each session, in order
        self.exit_status: int | None = None  # the process's, once it has ended

    def submit(self, env: Mapping[str, str]) -> int:
        """Queue a session (its Pipes bootstrap variables); its ticket."""
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"env": dict(env)}) + "\n")
        self.process.stdin.flush()
        self.submitted += 1
        return self.submitted - 1

    def wait(self, ticket: int) -> int | None:
        """The exit status of session ``ticket``: the process's own when it ended during that session, None when
        it ended before starting it."""
        assert self.process.stdout is not None
        while len(self.statuses) <= ticket and self.exit_status is None:
            line = self.process.stdout.readline()
            if not line:
                self.exit_status = self.process.wait()
                break
            try:
                self.statuses.append(int(json.loads(line)["done"]))
            except (ValueError, KeyError, TypeError):
                continue  # something else printed on stdout
        if ticket < len(self.statuses):
            return self.statuses[ticket]
        return self.exit_status if ticket == len(self.statuses) else None

    def alive(self) -> bool:
        return self.process.poll() is None


_server: _WorkerServer | None = None


def start_server() -> None:
    """Start the kept worker now, so bpy loads while the caller does other work."""
    global _server
    if _server is None or not _server.alive():
        _server = _WorkerServer()


def stop_server() -> None:
    """Let the kept worker go (it exits when its stdin closes)."""
    global _server
    if _server is not None:
        if _server.process.stdin is not None:
            _server.process.stdin.close()
        _server.process.wait(timeout=30)
        _server = None


class WorkerRender:
    """One shot handed to a bpy worker through a Pipes session of its own; :meth:`result` waits for it.

    The kept worker (``keep``) is handed the shot at once and starts it when the shots handed before are done, so
    the caller can queue the next shot and record the last one while this one renders. A shot the kept worker
    never started (it died on an earlier one) is handed to a fresh worker. Without ``keep``, :meth:`result` runs a
    worker process for the shot.
    """

    def __init__(
        self, context: dg.AssetExecutionContext, client: dg.PipesSubprocessClient, extras: Mapping[str, Any], keep: bool
    ) -> None:
        self._context, self._client, self._extras = context, client, dict(extras)
        self._session: dg.PipesSession | None = None
        self._session_scope = ExitStack()
        self._server: _WorkerServer | None = None
        self._ticket = 0
        if keep:
            with ExitStack() as scope:  # closed again if the worker cannot be handed the session
                self._session = scope.enter_context(
                    dg.open_pipes_session(
                        context=context,
                        context_injector=dg.PipesTempFileContextInjector(),
                        message_reader=dg.PipesTempFileMessageReader(),
                        extras=self._extras,
                    )
                )
                self._hand_to_kept_worker(self._session)
                self._session_scope = scope.pop_all()

    def _hand_to_kept_worker(self, session: dg.PipesSession) -> None:
        start_server()
        assert _server is not None
        self._server, self._ticket = _server, _server.submit(session.get_bootstrap_env_vars())

    def result(self) -> dg.PipesClientCompletedInvocation:
        if self._session is None:
            command = [sys.executable, "-m", WORKER_MODULE]
            return self._client.run(command=command, context=self._context, extras=self._extras)
        with self._session_scope:
            assert self._server is not None, "result() is asked for once"
            status = self._server.wait(self._ticket)
            if status is None:  # the worker ended before this shot
                self._hand_to_kept_worker(self._session)
                status = self._server.wait(self._ticket)
            self._server = None
            if status != 0:
                raise PipesExecutionError(f"External execution process failed with code {status}")
        return dg.PipesClientCompletedInvocation(self._session)

    def abandon(self) -> None:
        """Give up on a shot handed to the kept worker and not waited for (the run is stopping): the worker is
        killed (the next shot starts a fresh one) and the session closed."""
        server, self._server = self._server, None
        if server is not None:
            server.process.kill()
            server.process.wait()
            self._session_scope.close()

