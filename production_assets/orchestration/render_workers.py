"""How shot_renders reaches the bpy worker: a fresh Pipes process per shot, or one kept per process.

`process` starts ``python -m production_assets.render.worker`` for every shot
through ``PipesSubprocessClient``. `server` keeps one worker running
(``--serve``) and hands it one Pipes session per shot, so the shots of one run
process pay Python and bpy start-up once. A run over a range of shots uses the
server, a run of one shot a process; PRODUCTION_RENDER_SERVER=1 or 0 forces one
(`production run` sets 1 and starts the server early). Both speak Dagster Pipes:
logs, per-frame progress, metadata and data versions arrive the same way. A
server that dies fails its shot and is started again for the next one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from collections.abc import Mapping
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
    """One long-lived `worker --serve` process."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", WORKER_MODULE, "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )

    def serve(self, env: Mapping[str, str]) -> int:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps({"env": dict(env)}) + "\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            try:
                return int(json.loads(line)["done"])
            except (ValueError, KeyError, TypeError):
                continue
        return self.process.wait()

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


def run_render_worker(
    context: dg.AssetExecutionContext, client: dg.PipesSubprocessClient, extras: Mapping[str, Any], keep: bool = False
) -> dg.PipesClientCompletedInvocation:
    """Render one shot through Pipes, in a new worker process or (`keep`) the kept one."""
    global _server
    if not keep:
        return client.run(command=[sys.executable, "-m", WORKER_MODULE], context=context, extras=dict(extras))
    with dg.open_pipes_session(
        context=context,
        context_injector=dg.PipesTempFileContextInjector(),
        message_reader=dg.PipesTempFileMessageReader(),
        extras=dict(extras),
    ) as session:
        start_server()
        assert _server is not None
        status = _server.serve(session.get_bootstrap_env_vars())
        if status != 0:
            if not _server.alive():
                _server = None
            raise PipesExecutionError(f"External execution process failed with code {status}")
    return dg.PipesClientCompletedInvocation(session)
