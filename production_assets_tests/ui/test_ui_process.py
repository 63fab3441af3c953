"""`production ui` as a process: Ctrl-C or SIGTERM ends the webserver, the daemon and any render, and bad
arguments are usage errors."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from production_assets_tests.conftest import TINY_PRODUCTION, write_production
from production_assets_tests.ui.dagster_ui import UiServer, alive, free_port, launch_job, partition_keys, wait_for

pytestmark = pytest.mark.ui

# A shot long enough that Blender is still rendering when the signal arrives.
LONG_SHOT_PRODUCTION = TINY_PRODUCTION.replace(
    "{template: wide, scene: 1, character: Hero, duration: 2}",
    "{template: wide, scene: 1, character: Hero, duration: 2000}",
)


def render_workers(pids: set[int]) -> set[int]:
    workers = set()
    for pid in pids:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if b"production_assets.render.worker" in command:
            workers.add(pid)
    return workers


def listening_addresses(port: int) -> set[str]:
    """The local addresses (hex, as in /proc/net/tcp) listening on `port`."""
    rows = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
    return {row[1].split(":")[0] for row in rows if row[3] == "0A" and int(row[1].split(":")[1], 16) == port}


def ui_command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "production_assets", "ui", *args], capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_stop_signal_ends_every_process_even_mid_render(
    tmp_path: Path, stop_signal: signal.Signals, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_production(tmp_path / "long_film", LONG_SHOT_PRODUCTION)
    home = tmp_path / "dagster_home"
    home.mkdir()
    server = UiServer.start([tmp_path / "long_film"], home, tmp_path / "production_ui.log")
    try:
        assert listening_addresses(int(server.url.rsplit(":", 1)[1])) == {"0100007F"}  # 127.0.0.1 only
        wait_for("the URL on the terminal", lambda: f"Dagster UI: {server.url}" in server.log_path.read_text(), 10)
        wait_for("shot partitions", lambda: partition_keys(server, "long_film", "shot_renders"), timeout=60)
        run_id = launch_job(server, "long_film_shots", partition="s001_wide_hero")
        wait_for("Blender rendering in a worker process", lambda: render_workers(server.tree()), timeout=120, every=0.5)
        tree = server.tree()
    except BaseException:
        server.stop()
        raise

    status = server.stop(stop_signal)

    assert status == 0, server.log_tail()
    assert not alive(tree), f"left running: {sorted(alive(tree))}\n{server.log_tail()}"
    assert "stopped" in server.log_tail()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    with dg.DagsterInstance.get() as instance:
        run = instance.get_run_by_id(run_id)
    assert run is not None and run.status == dg.DagsterRunStatus.CANCELED, run.status if run else None


def test_a_busy_port_is_a_usage_error(tiny_production: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = ui_command(str(tiny_production), "--port", str(busy.getsockname()[1]))

    assert result.returncode == 2
    assert "is in use; choose another with --port" in result.stderr


def test_a_folder_without_productions_is_a_usage_error(tmp_path: Path) -> None:
    result = ui_command(str(tmp_path), "--port", str(free_port()))

    assert result.returncode == 2
    assert f"no production found in {tmp_path}" in result.stderr
