"""`production ui`: the Dagster web UI and daemon for some productions, on 127.0.0.1.

One `dagster dev` process tree rather than `dagster-webserver` + `dagster-daemon`
run side by side: `dagster dev` shares a single code server between the two
(the definitions load once, which matters on a small machine) and already knows
how to stop both. This module adds what a user needs around it: which
productions, the shared instance, a port check, the URL once the UI answers,
a shutdown that leaves nothing behind, and a reload of the code location when
an edit changes a production's asset graph (a character, location or output
added, removed or renamed; other edits need none, the sensor handles them).

On Ctrl-C or SIGTERM the runs this UI executes are canceled through its GraphQL
endpoint (recorded as canceled, finished frames kept), the process group gets
the SIGINT a terminal would send, and whatever is still alive after a grace
period is terminated, then killed.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import FrameType
from typing import Any

from production_assets.engine.instance import dagster_home
from production_assets.errors import ProductionError
from production_assets.loading.production_file import load_production
from production_assets.loading.resolve import slug_for_file
from production_assets.orchestration.code_location import DEFINITIONS_MODULE, LOCATION_NAME
from production_assets.orchestration.discovery import configured_paths, discover_productions
from production_assets.planning.production_loader import (
    SHAPE_KINDS,
    GraphShape,
    content_hash,
    graph_shape,
    production_files,
    shape_changes,
)

HOST = "127.0.0.1"
SHUTDOWN_GRACE_SECONDS = 20.0
RUN_CANCEL_SECONDS = 20.0
STRAGGLER_GRACE_SECONDS = 10.0
READY_POLL_SECONDS = 0.5
GRAPH_CHECK_SECONDS = 2.0
EXIT_USAGE = 2


def ui_productions(paths: list[Path]) -> list[Path]:
    """The production files to show: the given paths, else the current folder's, else PRODUCTION_PATHS/examples."""
    if paths:
        return discover_productions(paths)
    return discover_productions([Path.cwd()]) or discover_productions(configured_paths())


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def webserver_ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/server_info", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


IN_PROGRESS_RUNS = "{ runsOrError(filter: {statuses: [STARTING, STARTED]}) { ... on Runs { results { runId } } } }"
TERMINATE_RUNS = """mutation($ids: [String!]!) { terminateRuns(runIds: $ids, terminatePolicy: SAFE_TERMINATE) {
  __typename } }"""


def _graphql(url: str, query: str, variables: dict[str, object] | None = None) -> dict[str, Any]:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(f"{url}/graphql", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return dict(json.loads(response.read()).get("data") or {})


def _runs_in_progress(url: str) -> list[str]:
    results = _graphql(url, IN_PROGRESS_RUNS).get("runsOrError", {}).get("results", [])
    return [run["runId"] for run in results]


def cancel_runs_in_progress(url: str) -> None:
    """Cancel the runs this UI is executing, so their records say "canceled" rather than "started" forever.

    Runs of a `production run` in a terminal are not this UI's to cancel: the run
    launcher cannot reach them, and SAFE_TERMINATE then leaves them alone.
    """
    try:
        run_ids = _runs_in_progress(url)
        if not run_ids:
            return
        print(f"canceling {len(run_ids)} run(s) in progress (finished frames are kept)", file=sys.stderr, flush=True)
        _graphql(url, TERMINATE_RUNS, {"ids": run_ids})
        deadline = time.monotonic() + RUN_CANCEL_SECONDS
        while time.monotonic() < deadline and set(run_ids) & set(_runs_in_progress(url)):
            time.sleep(0.5)
    except (OSError, ValueError):
        return


RELOAD_LOCATION = """mutation($name: String!) { reloadRepositoryLocation(repositoryLocationName: $name) {
  __typename } }"""


class GraphWatcher:
    """Notices edits that change a production's asset graph (a character, location or output added,
    removed or renamed): the code location shows those only once it is reloaded."""

    def __init__(self, productions: list[Path]):
        empty: GraphShape = {kind: [] for kind in SHAPE_KINDS}  # what a production that does not load shows
        self._seen: dict[Path, tuple[str, GraphShape]] = {path: ("", empty) for path in productions}
        self.changes()

    def changes(self) -> list[str]:
        """``<slug>: outputs +preview`` for each production whose graph changed since the last call."""
        found = []
        for path, (digest, shape) in self._seen.items():
            try:
                now = content_hash(production_files(path))
                if now == digest:
                    continue
                current = graph_shape(load_production(path))
            except ProductionError:
                continue  # an edit that does not load changes nothing until it does
            self._seen[path] = (now, current)
            moves = shape_changes(shape, current)
            if moves and digest:
                found.append(f"{slug_for_file(path)}: {'; '.join(moves)}")
        return found


def reload_when_the_graph_changes(url: str, watcher: GraphWatcher) -> None:
    changes = watcher.changes()
    if not changes:
        return
    print(f"the asset graph changed ({', '.join(changes)}): reloading the code location", file=sys.stderr, flush=True)
    try:
        _graphql(url, RELOAD_LOCATION, {"name": LOCATION_NAME})
    except (OSError, ValueError) as error:
        print(f"could not reload the code location ({error}); use Deployment > Reload", file=sys.stderr, flush=True)


def dagster_dev_command(port: int) -> list[str]:
    """`dagster dev` on the code location module, which Dagster names after the module, as the runs of
    `production run` record it (so this UI can re-execute them); no workspace file to write."""
    return [
        sys.executable, "-m", "dagster", "dev",
        "-m", DEFINITIONS_MODULE,
        "-h", HOST, "-p", str(port),
        "--log-level", "warning",
    ]  # fmt: skip


def _process_group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_process_group(process: subprocess.Popen[bytes]) -> int:
    """Ask `dagster dev` to stop, wait, then end whatever of its group is left; returns its exit status."""
    group = process.pid
    if process.poll() is None:
        # What a terminal's Ctrl-C does to a plain `dagster dev`: every process of the tree sees SIGINT,
        # so a run in progress records itself as failed instead of staying "started" forever.
        os.killpg(group, signal.SIGINT)
    try:
        status = process.wait(timeout=SHUTDOWN_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        print("dagster dev did not stop in time; killing it", file=sys.stderr)
        os.killpg(group, signal.SIGKILL)
        status = process.wait()
    # A run worker may still be recording its interruption: give it time before insisting.
    steps = ((None, STRAGGLER_GRACE_SECONDS), (signal.SIGTERM, STRAGGLER_GRACE_SECONDS), (signal.SIGKILL, 0.0))
    for stop_signal, grace in steps:
        if not _process_group_alive(group):
            break
        if stop_signal is not None:
            os.killpg(group, stop_signal)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and _process_group_alive(group):
            time.sleep(0.1)
    return status


class _StopRequested(Exception):
    pass


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _StopRequested()


def run_ui(paths: list[Path], port: int) -> int:
    """Serve the productions' UI on 127.0.0.1:PORT with the shared instance until Ctrl-C; returns an exit status."""
    productions = ui_productions(paths)
    if not productions:
        where = ", ".join(map(str, paths)) or str(Path.cwd())
        print(f"no production found in {where}; give a production YAML file or folder", file=sys.stderr)
        return EXIT_USAGE
    if not port_is_free(port):
        print(f"port {port} on {HOST} is in use; choose another with --port", file=sys.stderr)
        return EXIT_USAGE
    home = dagster_home()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "PRODUCTION_PATHS": os.pathsep.join(map(str, productions)),
        # `dagster dev` nags towards the `dg` CLI, which this project does not use.
        "PYTHONWARNINGS": "ignore:Function `dev_command` is superseded",
    }
    url = f"http://{HOST}:{port}"
    print(f"DAGSTER_HOME: {home}", file=sys.stderr)
    for production in productions:
        print(f"production: {production}", file=sys.stderr)
    print(f"starting the Dagster webserver and daemon on {url} ...", file=sys.stderr, flush=True)
    previous = {sig: signal.signal(sig, _raise_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    process: subprocess.Popen[bytes] | None = None
    ready = False
    watcher = GraphWatcher(productions)
    next_graph_check = 0.0
    try:
        # Own session: a terminal's Ctrl-C reaches only us, and we stop the tree in order.
        process = subprocess.Popen(dagster_dev_command(port), env=env, start_new_session=True)
        while process.poll() is None:
            if not ready and webserver_ready(url):
                ready = True
                print(f"Dagster UI: {url}  (Ctrl-C stops it)", flush=True)
            if ready and time.monotonic() >= next_graph_check:
                reload_when_the_graph_changes(url, watcher)
                next_graph_check = time.monotonic() + GRAPH_CHECK_SECONDS
            time.sleep(READY_POLL_SECONDS)
        print(f"dagster dev exited with status {process.returncode}", file=sys.stderr)
        stop_process_group(process)
        return 1
    except (_StopRequested, KeyboardInterrupt):
        print("stopping the Dagster webserver and daemon ...", file=sys.stderr, flush=True)
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)
        if process is not None:
            if ready:
                cancel_runs_in_progress(url)
            stop_process_group(process)
        print("stopped", file=sys.stderr)
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
