"""A render farm on one machine, for tests, benchmarks and trying the farm profile.

    python scripts/farm/farmctl.py up DIR [--workers 2] [--queues dagster] [--productions PATHS]
    python scripts/farm/farmctl.py worker DIR NAME [--queues dagster,gpu]
    python scripts/farm/farmctl.py kill-worker DIR NAME
    python scripts/farm/farmctl.py stop-worker DIR NAME      # graceful: finishes its task
    python scripts/farm/farmctl.py stop-daemon DIR           # queued runs wait until `up` again
    python scripts/farm/farmctl.py status DIR
    python scripts/farm/farmctl.py down DIR
    eval "$(python scripts/farm/farmctl.py env DIR)"     # point this shell at the farm

`up` starts PostgreSQL (a fresh cluster in a temporary data dir), Redis, the
Dagster daemon and N Celery workers, all on 127.0.0.1 with free ports, and
writes DIR/dagster_home/dagster.yaml (a copy of deploy/farm/dagster.yaml) and
DIR/farm.json (ports, pids, environment). Every command is idempotent: `up` on
a running farm starts only what is missing, `down` on a stopped one does
nothing. Each worker also listens on its private queue `worker.<name>`, which is
how a shot is kept away from a worker that failed it (see docs/farm.md).
Standard library only, so it runs before the farm's Python packages are installed.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
FARM_PROFILE = REPO / "deploy" / "farm"
HOST = "127.0.0.1"
DB_USER = "dagster"
DB_NAME = "dagster"
STATE_FILE = "farm.json"
STOP_GRACE_SECONDS = 10.0


class FarmError(Exception):
    """A server could not be started or a binary is missing."""


def postgres_bin_dir() -> Path | None:
    """The newest installed PostgreSQL server's bin folder (Debian layout), or where `postgres` is on PATH."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def missing_binaries() -> list[str]:
    """What `up` needs and this machine lacks (empty when the farm can start)."""
    missing = []
    if postgres_bin_dir() is None:
        missing.append("PostgreSQL server (initdb, pg_ctl): apt-get install -y postgresql")
    if shutil.which("redis-server") is None:
        missing.append("redis-server: apt-get install -y redis-server")
    if shutil.which("celery") is None:
        missing.append("celery: pip install 'dagster-celery[redis]' dagster-postgres")
    return missing


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((HOST, port)) == 0


def pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


def wait_until(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise FarmError(f"timed out after {timeout:.0f} s waiting for {what}")


class Farm:
    """The farm whose state lives in DIR/farm.json."""

    def __init__(self, directory: Path):
        self.dir = directory.resolve()
        self.state_path = self.dir / STATE_FILE
        self.state: dict[str, Any] = json.loads(self.state_path.read_text()) if self.state_path.exists() else {}

    def save(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        temp = self.state_path.with_suffix(".tmp")
        temp.write_text(json.dumps(self.state, indent=2))
        os.replace(temp, self.state_path)

    # PostgreSQL -----------------------------------------------------------------------------------------
    def _as_postgres_user(self, command: list[str]) -> list[str]:
        # initdb and postgres refuse to run as root; Debian's package creates the `postgres` user.
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command

    def start_postgres(self) -> None:
        pg = self.state.setdefault("postgres", {})
        if pg.get("port") and port_open(pg["port"]):
            return
        bin_dir = postgres_bin_dir()
        if bin_dir is None:
            raise FarmError("PostgreSQL is not installed: apt-get install -y postgresql")
        if not pg.get("data_dir") or not Path(pg["data_dir"], "PG_VERSION").exists():
            # Outside DIR: pytest's tmp folders are private to root, and the server runs as `postgres`.
            data_dir = Path(tempfile.mkdtemp(prefix="production-farm-pg-"))
            if os.geteuid() == 0:
                entry = pwd.getpwnam("postgres")
                os.chown(data_dir, entry.pw_uid, entry.pw_gid)
            subprocess.run(
                self._as_postgres_user([str(bin_dir / "initdb"), "-D", str(data_dir), "-U", DB_USER,
                                        "--auth=trust", "--encoding=UTF8", "--no-sync"]),
                check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
            pg["data_dir"] = str(data_dir)
        pg["port"] = free_port()
        options = f"-c listen_addresses={HOST} -c port={pg['port']} -c unix_socket_directories='' -c fsync=off"
        log = Path(pg["data_dir"]) / "server.log"
        subprocess.run(
            self._as_postgres_user([str(bin_dir / "pg_ctl"), "-D", pg["data_dir"], "-l", str(log), "-o", options,
                                    "-w", "-t", "60", "start"]),
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        pg["bin_dir"] = str(bin_dir)
        self.save()
        created = subprocess.run(
            [str(bin_dir / "createdb"), "-h", HOST, "-p", str(pg["port"]), "-U", DB_USER, DB_NAME],
            capture_output=True, text=True,
        )  # fmt: skip
        if created.returncode != 0 and "already exists" not in created.stderr:
            raise FarmError(f"createdb failed: {created.stderr.strip()}")

    def stop_postgres(self) -> None:
        pg = self.state.get("postgres") or {}
        if pg.get("data_dir") and Path(pg["data_dir"], "postmaster.pid").exists():
            subprocess.run(
                self._as_postgres_user([str(Path(pg["bin_dir"]) / "pg_ctl"), "-D", pg["data_dir"], "-m", "immediate",
                                        "-w", "stop"]),
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
        if pg.get("data_dir"):
            shutil.rmtree(pg["data_dir"], ignore_errors=True)
        self.state.pop("postgres", None)

    # Redis ----------------------------------------------------------------------------------------------
    def start_redis(self) -> None:
        redis = self.state.setdefault("redis", {})
        if redis.get("port") and port_open(redis["port"]):
            return
        if shutil.which("redis-server") is None:
            raise FarmError("redis-server is not installed: apt-get install -y redis-server")
        folder = self.dir / "redis"
        folder.mkdir(parents=True, exist_ok=True)
        redis["port"] = free_port()
        process = subprocess.Popen(
            ["redis-server", "--bind", HOST, "--port", str(redis["port"]), "--dir", str(folder), "--save", "",
             "--appendonly", "no", "--logfile", str(folder / "redis.log")],
            stdout=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        redis["pid"] = process.pid
        self.save()
        wait_until(lambda: port_open(redis["port"]), 30, "redis-server")

    def stop_redis(self) -> None:
        self._stop_group((self.state.get("redis") or {}).get("pid"))
        self.state.pop("redis", None)

    # Dagster instance, daemon and Celery workers ------------------------------------------------------
    @property
    def dagster_home(self) -> Path:
        return self.dir / "dagster_home"

    def environment(self) -> dict[str, str]:
        """The variables that point a process at this farm (what `env` prints)."""
        pg, redis = self.state["postgres"], self.state["redis"]
        broker = f"redis://{HOST}:{redis['port']}"
        return {
            "DAGSTER_HOME": str(self.dagster_home),
            "DAGSTER_POSTGRES_URL": f"postgresql+psycopg2://{DB_USER}@{HOST}:{pg['port']}/{DB_NAME}",
            "DAGSTER_CELERY_BROKER_URL": f"{broker}/0",
            "DAGSTER_CELERY_BACKEND_URL": f"{broker}/1",
            "PRODUCTION_FARM_MAX_RUNS": str(self.state.get("max_runs", 8)),
            "PRODUCTION_PATHS": self.state.get("productions", ""),
        }

    def process_env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {**os.environ, **self.environment(), **(extra or {})}
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(FARM_PROFILE), env.get("PYTHONPATH", "")) if p)
        return env

    def write_instance(self) -> None:
        self.dagster_home.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FARM_PROFILE / "dagster.yaml", self.dagster_home / "dagster.yaml")

    def start_daemon(self) -> None:
        daemon = self.state.setdefault("daemon", {})
        if pid_alive(daemon.get("pid")):
            return
        log = (self.dir / "daemon.log").open("ab")
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("dagster-daemon")), "run", "-w", str(FARM_PROFILE / "workspace.yaml"),
             "--log-level", "warning"],
            env=self.process_env(), stdout=log, stderr=log, start_new_session=True, cwd=self.dir,
        )  # fmt: skip
        daemon["pid"] = process.pid
        self.save()

    def stop_daemon(self) -> None:
        """Stop the daemon: queued runs stay queued (nothing dequeues them) until `start_daemon`."""
        self._stop_group((self.state.get("daemon") or {}).get("pid"))
        self.state.pop("daemon", None)
        self.save()

    def start_worker(self, name: str, queues: list[str], extra_env: dict[str, str] | None = None) -> None:
        workers = self.state.setdefault("workers", {})
        if pid_alive((workers.get(name) or {}).get("pid")):
            return
        folder = self.dir / "workers"
        folder.mkdir(parents=True, exist_ok=True)
        all_queues = [*queues, f"worker.{name}"]
        log = (folder / f"{name}.log").open("ab")
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "dagster_celery.app", "worker", "-n", f"{name}@%h",
             "-Q", ",".join(all_queues), "--pool", "threads", "--concurrency", "1", "--prefetch-multiplier", "1",
             "-O", "fair", "--without-gossip", "--without-mingle", "--loglevel", "INFO"],
            env=self.process_env({"PRODUCTION_FARM_WORKER": name, **(extra_env or {})}),
            stdout=log, stderr=log, start_new_session=True, cwd=self.dir,
        )  # fmt: skip
        workers[name] = {"pid": process.pid, "queues": all_queues, "hostname": f"{name}@{socket.gethostname()}"}
        self.save()

    def stop_worker(self, name: str) -> None:
        """Stop a worker the way its host shuts down: it finishes its task first; the broker keeps the rest."""
        worker = (self.state.get("workers") or {}).get(name) or {}
        self._stop_group(worker.get("pid"))

    def kill_worker(self, name: str) -> None:
        """What a host that loses power does to its worker: everything in the worker's group dies at once."""
        worker = (self.state.get("workers") or {}).get(name) or {}
        pid = worker.get("pid")
        if pid_alive(pid):
            os.killpg(pid, signal.SIGKILL)
            wait_until(lambda: not pid_alive(pid), 10, f"worker {name} to die")
        if worker:
            worker["killed"] = True
            self.save()

    def _stop_group(self, pid: int | None) -> None:
        if not pid_alive(pid):
            return
        assert pid is not None
        for stop_signal, grace in ((signal.SIGTERM, STOP_GRACE_SECONDS), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(pid, stop_signal)
            except ProcessLookupError:
                return
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline and pid_alive(pid):
                time.sleep(0.1)
            if not pid_alive(pid):
                return

    # The whole farm -------------------------------------------------------------------------------------
    def up(self, workers: int, queues: list[str], productions: str, max_runs: int) -> None:
        missing = missing_binaries()
        if missing:
            raise FarmError("cannot start the farm; missing: " + "; ".join(missing))
        self.state["productions"] = productions or self.state.get("productions", "")
        self.state["max_runs"] = max_runs
        self.save()
        self.start_postgres()
        self.start_redis()
        self.write_instance()
        self.start_daemon()
        for index in range(1, workers + 1):
            self.start_worker(f"w{index}", queues)

    def down(self) -> None:
        for worker in (self.state.get("workers") or {}).values():
            self._stop_group(worker.get("pid"))
        self.state.pop("workers", None)
        self._stop_group((self.state.get("daemon") or {}).get("pid"))
        self.state.pop("daemon", None)
        self.stop_redis()
        self.stop_postgres()
        self.save()

    def status(self) -> dict[str, Any]:
        workers = {name: pid_alive(w.get("pid")) for name, w in (self.state.get("workers") or {}).items()}
        return {
            "postgres": bool(self.state.get("postgres", {}).get("port") and port_open(self.state["postgres"]["port"])),
            "redis": bool(self.state.get("redis", {}).get("port") and port_open(self.state["redis"]["port"])),
            "daemon": pid_alive((self.state.get("daemon") or {}).get("pid")),
            "workers": workers,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="farmctl", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("up", help="start PostgreSQL, Redis, the daemon and N Celery workers")
    up.add_argument("dir", type=Path)
    up.add_argument("--workers", type=int, default=2)
    up.add_argument("--queues", default="dagster", help="comma-separated Celery queues every worker serves")
    up.add_argument("--productions", default=os.environ.get("PRODUCTION_PATHS", ""))
    up.add_argument("--max-runs", type=int, default=8, help="QueuedRunCoordinator max_concurrent_runs")
    worker = commands.add_parser("worker", help="start one more worker")
    worker.add_argument("dir", type=Path)
    worker.add_argument("name")
    worker.add_argument("--queues", default="dagster")
    kill = commands.add_parser("kill-worker", help="SIGKILL a worker and everything it started")
    kill.add_argument("dir", type=Path)
    kill.add_argument("name")
    stop = commands.add_parser("stop-worker", help="stop a worker once its task is done")
    stop.add_argument("dir", type=Path)
    stop.add_argument("name")
    commands.add_parser("stop-daemon", help="stop the daemon: nothing is dequeued").add_argument("dir", type=Path)
    for name in ("status", "down", "env"):
        commands.add_parser(name).add_argument("dir", type=Path)
    args = parser.parse_args(argv)
    farm = Farm(args.dir)
    try:
        if args.command == "up":
            farm.up(args.workers, args.queues.split(","), args.productions, args.max_runs)
            print(json.dumps(farm.status()))
        elif args.command == "worker":
            farm.start_worker(args.name, args.queues.split(","))
        elif args.command == "kill-worker":
            farm.kill_worker(args.name)
        elif args.command == "stop-worker":
            farm.stop_worker(args.name)
        elif args.command == "stop-daemon":
            farm.stop_daemon()
        elif args.command == "down":
            farm.down()
        elif args.command == "env":
            print("\n".join(f"export {key}={value!r}" for key, value in farm.environment().items()))
        else:
            print(json.dumps(farm.status(), indent=2))
    except (FarmError, subprocess.CalledProcessError, KeyError) as error:
        print(f"farmctl: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
