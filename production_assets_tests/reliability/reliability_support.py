"""Helpers for the reliability suite: CLI subprocesses, file-tree snapshots, worker pids, waiting."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from production_assets_tests.conftest import TINY_PRODUCTION, write_production

CLI = [sys.executable, "-m", "production_assets"]
WORKER_MODULE = "production_assets.render.worker"
SHOT_IDS = ("s001_wide_hero", "s001_close_up_hero")
FRAMES_PER_SHOT = 2
TEMP_MARKERS = (".tmp-", ".partial", ".tmp")

FileState = tuple[int, int, int]


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a `production` subprocess: its own DAGSTER_HOME, no colour."""
    return {**os.environ, "DAGSTER_HOME": str(home), "NO_COLOR": "1", **extra}


def run_cli(
    args: list[str], home: Path, cwd: Path, timeout: float = 240, **extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], cwd=cwd, env=cli_env(home, **extra), capture_output=True, text=True, timeout=timeout
    )


@dataclass
class RunningCli:
    """A `production ...` process in its own process group, its output captured in files."""

    process: subprocess.Popen[bytes]
    stdout_path: Path
    stderr_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    def wait(self, timeout: float = 240) -> int:
        return self.process.wait(timeout=timeout)

    def kill_group(self, sig: int = signal.SIGKILL) -> None:
        os.killpg(self.process.pid, sig)

    def output(self) -> str:
        return self.stdout() + self.stderr()


def start_cli(args: list[str], home: Path, cwd: Path, logs: Path, **extra: str) -> RunningCli:
    logs.mkdir(parents=True, exist_ok=True)
    stamp = f"{time.monotonic_ns()}"
    out, err = logs / f"{stamp}.out", logs / f"{stamp}.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [*CLI, *args], cwd=cwd, env=cli_env(home, **extra), stdout=stdout, stderr=stderr, start_new_session=True
        )
    return RunningCli(process, out, err)


def wait_until(
    predicate: Callable[[], object], timeout: float, interval: float = 0.02, what: str = "condition"
) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def tree(folder: Path) -> dict[str, FileState]:
    """Every entry below ``folder`` (symlinks not followed): relative path -> (inode, mtime_ns, size)."""
    states: dict[str, FileState] = {}
    if not folder.exists():
        return states
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            info = path.lstat()
            states[str(path.relative_to(folder))] = (info.st_ino, info.st_mtime_ns, info.st_size)
    return states


def finished_frames(production: Path) -> dict[str, FileState]:
    """Finished frames of every shot version: ``<shot>/<version>/frame_NNNN.png`` -> (inode, mtime_ns, size)."""
    frames = {}
    for frame in sorted((production / "build" / "shots").glob("*/renders/*/frames/frame_*.png")):
        info = frame.stat()
        shot, version = frame.parents[3].name, frame.parents[1].name
        frames[f"{shot}/{version}/{frame.name}"] = (info.st_ino, info.st_mtime_ns, info.st_size)
    return frames


def frames_lost(before: dict[str, FileState], after: dict[str, FileState]) -> list[str]:
    """Finished frames that disappeared or were rewritten (rendered twice) between two snapshots."""
    return [name for name, state in before.items() if after.get(name) != state]


def partial_files(folder: Path) -> list[str]:
    """Temporary or half-written files where finished frames and deliverables are published.

    Published places: every ``build/shots/<id>/renders/<version>/frames`` folder and everything outside ``build/``
    (outputs, manifest, report). The worker's private files under ``build/`` (staging, the
    render log's temp file) are not published and are not counted.
    """
    found = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        private = relative.parts[0] == "build" and "frames" not in relative.parts
        if private or not path.is_file():
            continue
        if path.name.endswith(".partial") or (path.name.startswith(".") and any(m in path.name for m in TEMP_MARKERS)):
            found.append(str(relative))
    return found


def manifest_problems(production: Path) -> list[str]:
    """Entries of manifest.json whose file is missing or does not match its size and sha256."""
    manifest = production / "manifest.json"
    if not manifest.is_file():
        return []
    problems = []
    for entry in json.loads(manifest.read_text())["outputs"]:
        path = production / entry["path"]
        if not path.is_file():
            problems.append(f"{entry['path']}: missing")
        elif path.stat().st_size != entry["bytes"] or hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
            problems.append(f"{entry['path']}: does not match the manifest")
    return problems


def process_cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def process_group(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except OSError:
        return None


def _parents() -> dict[int, int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    return parents


def descendants(pid: int) -> list[int]:
    """Every live process below ``pid`` (children, grandchildren, ...)."""
    parents = _parents()
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        children = [child for child, parent in parents.items() if parent == current]
        found.extend(children)
        frontier.extend(children)
    return found


def worker_pids(root: int) -> list[int]:
    """Render worker processes (``python -m production_assets.render.worker``) below ``root``."""
    return [pid for pid in descendants(root) if WORKER_MODULE in process_cmdline(pid)]


def alive(pids: list[int]) -> list[int]:
    """The pids still running (zombies count as gone)."""
    running = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z":
            running.append(pid)
    return running


def group_alive(group: int) -> list[int]:
    """Live (non-zombie) processes of a process group."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or process_group(int(entry.name)) != group:
            continue
        try:
            state = Path(f"/proc/{entry.name}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z":
            alive.append(int(entry.name))
    return alive


def make_tiny(folder: Path, text: str = TINY_PRODUCTION) -> Path:
    write_production(folder, text)
    return folder


def assert_completed(production: Path, result: subprocess.CompletedProcess[str] | None = None) -> None:
    """The production is fully delivered: every frame, the film, a manifest that matches the files."""
    detail = (result.stdout + result.stderr)[-3000:] if result is not None else ""
    if result is not None:
        assert result.returncode == 0, detail
    per_version: dict[str, int] = {}
    for name in finished_frames(production):
        shot_version = name.rsplit("/", 1)[0]
        per_version[shot_version] = per_version.get(shot_version, 0) + 1
    complete = {shot_version.split("/")[0] for shot_version, count in per_version.items() if count == FRAMES_PER_SHOT}
    assert len(complete) == len(SHOT_IDS), detail
    assert (production / "output" / "web" / "tiny.mp4").is_file(), detail
    assert (production / "manifest.json").is_file(), detail
    assert manifest_problems(production) == []
    assert partial_files(production) == []
