"""Faults injected into real `production run` processes (tiny bpy renders, temporary DAGSTER_HOME).

Each test ends the same way: every frame finished before the fault is kept
(same inode and mtime: never rendered twice), nothing partial is published
(no temp files beside deliverables or frames, manifest entries match their
files), and the next `production run` completes the production.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from reliability_support import (
    CLI,
    SHOT_IDS,
    alive,
    assert_completed,
    cli_env,
    descendants,
    finished_frames,
    frames_lost,
    group_alive,
    make_tiny,
    manifest_problems,
    partial_files,
    process_cmdline,
    run_cli,
    start_cli,
    wait_until,
    worker_pids,
)

from production_assets_tests.conftest import TINY_PRODUCTION

NO_RETRY = {"PRODUCTION_RENDER_RETRIES": "0"}
FILM = Path("output") / "web" / "tiny.mp4"


def slow_frames(text: str = TINY_PRODUCTION) -> str:
    """Frames that take a few tenths of a second, so "exactly one frame finished" lasts long enough to see."""
    return text.replace("samples: 1,", "samples: 512,")


ORPHAN_GRACE_SECONDS = 3.0


def settle(production: Path, figures, fault: str, kept: dict, result: subprocess.CompletedProcess[str]) -> None:
    """The common ending: the next run completed, nothing lost, nothing partial."""
    lost = frames_lost(kept, finished_frames(production))
    partial = partial_files(production)
    figures.add("frames_lost", len(lost))
    figures.add("partial_files_published", len(partial))
    assert lost == [], f"frames rendered again or lost: {lost}"
    assert_completed(production, result)
    figures.fault_survived(fault)


def no_partial_output(production: Path, figures) -> None:
    partial = partial_files(production) + manifest_problems(production)
    figures.add("partial_files_published", len(partial))
    assert partial == []


@pytest.fixture(scope="module")
def completed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The tiny production rendered and delivered once: (production folder, its DAGSTER_HOME)."""
    root = tmp_path_factory.mktemp("completed")
    production, home = make_tiny(root / "tiny"), root / "dagster_home"
    home.mkdir()
    assert_completed(production, run_cli(["run", str(production)], home, root))
    return production, home


def copy_completed(
    completed: tuple[Path, Path], tmp_path: Path, production_at: Path | None = None
) -> tuple[Path, Path]:
    production, home = completed
    target = production_at or tmp_path / "tiny"
    shutil.copytree(production, target, symlinks=True, dirs_exist_ok=True)
    shutil.copytree(home, tmp_path / "dagster_home_copy")
    return target, tmp_path / "dagster_home_copy"


def test_kill_9_render_worker_mid_frame(tmp_path: Path, home: Path, figures) -> None:
    production = make_tiny(tmp_path / "tiny", slow_frames())
    run = start_cli(["run", str(production)], home, tmp_path, tmp_path / "logs", **NO_RETRY)
    workers = wait_until(
        lambda: len(finished_frames(production)) == 1 and worker_pids(run.pid), 120, 0.01, "frame 1 of a shot"
    )
    figures.fault_injected("kill_9_render_worker_mid_frame")
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    kept = finished_frames(production)
    assert run.wait() == 1, run.output()[-3000:]
    assert any(f"shot {shot} failed" in run.stdout() for shot in SHOT_IDS), run.output()[-3000:]
    no_partial_output(production, figures)
    assert not (production / FILM).exists(), "a film was published from an incomplete shot"

    settle(
        production, figures, "kill_9_render_worker_mid_frame", kept, run_cli(["run", str(production)], home, tmp_path)
    )
    log = json.loads(next((production / "build" / "shots").glob("*/renders/*/render_log.json")).read_text())
    assert set(log["frame_seconds"]) == {"1", "2"}, "the timing of the frame finished before the kill was lost"


def test_kill_9_whole_production_run_mid_shot(tmp_path: Path, home: Path, figures) -> None:
    production = make_tiny(tmp_path / "tiny")
    run = start_cli(["run", str(production)], home, tmp_path, tmp_path / "logs")
    wait_until(lambda: len(finished_frames(production)) >= 1 and worker_pids(run.pid), 120, 0.01, "the first frame")
    commands = {pid: process_cmdline(pid).split(" /")[0] for pid in descendants(run.pid)}
    figures.fault_injected("kill_9_production_run_group")
    run.kill_group(signal.SIGKILL)
    run.wait()
    wait_until(lambda: not group_alive(run.pid), 10, 0.05, "every process of the run's group to die")
    time.sleep(ORPHAN_GRACE_SECONDS)
    orphans = {pid: commands[pid] for pid in alive(list(commands))}
    for pid in orphans:
        os.kill(pid, signal.SIGKILL)
    assert orphans == {}, f"processes outlived the killed `production run` and kept working outside its lock: {orphans}"
    kept = finished_frames(production)
    no_partial_output(production, figures)

    settle(production, figures, "kill_9_production_run_group", kept, run_cli(["run", str(production)], home, tmp_path))


def test_second_run_on_the_same_production_is_refused(tmp_path: Path, home: Path, figures) -> None:
    production = make_tiny(tmp_path / "tiny")
    first = start_cli(["run", str(production)], home, tmp_path, tmp_path / "logs")
    wait_until(lambda: worker_pids(first.pid), 120, 0.02, "the first run to render")
    figures.fault_injected("two_runs_at_once")

    second = run_cli(["run", str(production)], home, tmp_path)

    assert second.returncode == 1, second.stdout + second.stderr
    assert re.search(r"^error: another `production run` (\(pid \d+\) )?is working on 'Tiny'", second.stderr, re.M), (
        second.stderr
    )
    assert "Traceback" not in second.stdout + second.stderr
    assert first.wait() == 0, first.output()[-3000:]
    kept = finished_frames(production)
    assert_completed(production)
    settle(production, figures, "two_runs_at_once", kept, run_cli(["run", str(production)], home, tmp_path))


def test_dagster_sqlite_storage_interrupted_mid_write(tmp_path: Path, home: Path, figures) -> None:
    """kill -9 during a run, then a torn journal and a stale WAL beside every SQLite database."""
    production = make_tiny(tmp_path / "tiny")
    run = start_cli(["run", str(production)], home, tmp_path, tmp_path / "logs")
    wait_until(lambda: len(finished_frames(production)) >= 1, 120, 0.01, "the first frame")
    figures.fault_injected("dagster_sqlite_interrupted")
    run.kill_group(signal.SIGKILL)
    run.wait()
    wait_until(lambda: not group_alive(run.pid), 10, 0.05, "every process of the run to die")
    databases = sorted(home.rglob("*.db"))
    assert databases
    for database in databases:
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        Path(f"{database}-journal").write_bytes(b"\0" * 512)
    (production / "build" / ".run.lock").write_text("999999")
    kept = finished_frames(production)

    settle(production, figures, "dagster_sqlite_interrupted", kept, run_cli(["run", str(production)], home, tmp_path))
    for database in databases:
        with sqlite3.connect(database) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_ctrl_c_during_export(tmp_path: Path, home: Path, figures) -> None:
    text = TINY_PRODUCTION.replace("resolution: [64, 36], path", "resolution: [1280, 720], path")
    production = make_tiny(tmp_path / "tiny", text)
    run = start_cli(["run", str(production)], home, tmp_path, tmp_path / "logs")
    web = production / "output" / "web"
    wait_until(
        lambda: "phase: deliver" in run.stderr() or (web.is_dir() and any(web.iterdir())), 180, 0.005, "the export"
    )
    figures.fault_injected("ctrl_c_during_export")
    kept = finished_frames(production)
    run.kill_group(signal.SIGINT)
    status = run.wait()
    assert status != 0 or manifest_problems(production) == [], run.output()[-3000:]
    no_partial_output(production, figures)
    if (production / FILM).exists():
        assert (production / "manifest.json").is_file(), "a film was published without its manifest"

    settle(production, figures, "ctrl_c_during_export", kept, run_cli(["run", str(production)], home, tmp_path))


BROKEN_CHARACTER = TINY_PRODUCTION.replace(
    "  locations:", '    - {name: Broken, model: "assets/broken.blend"}\n  locations:'
).replace("template: close_up, scene: 1, character: Hero", "template: close_up, scene: 1, character: Broken")


def broken_blend_production(tmp_path: Path, blend_assets: dict[str, Path]) -> Path:
    production = make_tiny(tmp_path / "tiny", BROKEN_CHARACTER)
    (production / "assets").mkdir()
    shutil.copyfile(blend_assets["broken"], production / "assets" / "broken.blend")
    return production


def test_worker_crash_on_a_corrupt_blend_publishes_nothing_and_the_fixed_run_completes(
    tmp_path: Path, home: Path, blend_assets, figures
) -> None:
    production = broken_blend_production(tmp_path, blend_assets)
    figures.fault_injected("worker_crash_corrupt_blend")

    first = run_cli(["run", str(production)], home, tmp_path, **NO_RETRY)

    assert first.returncode == 1, first.stdout + first.stderr
    assert not (production / FILM).exists() and not (production / "manifest.json").exists()
    no_partial_output(production, figures)
    kept = finished_frames(production)

    shutil.copyfile(blend_assets["cube"], production / "assets" / "broken.blend")
    settle(production, figures, "worker_crash_corrupt_blend", kept, run_cli(["run", str(production)], home, tmp_path))


def test_worker_crash_on_a_corrupt_blend_fails_only_its_shot_with_a_clear_message(
    tmp_path: Path, home: Path, blend_assets
) -> None:
    production = broken_blend_production(tmp_path, blend_assets)

    first = run_cli(["run", str(production)], home, tmp_path, **NO_RETRY)

    assert first.returncode == 1
    assert "Traceback" not in first.stdout + first.stderr
    failures = [line for line in first.stdout.splitlines() if "s001_close_up_broken" in line and "failed" in line]
    assert failures and "broken.blend" in failures[0], first.stdout[-3000:]
    assert [(name.split("/")[0], name.split("/")[-1]) for name in sorted(finished_frames(production))] == [
        ("s001_wide_hero", "frame_0001.png"),
        ("s001_wide_hero", "frame_0002.png"),
    ]


def mount_small_tmpfs(mount_point: Path) -> None:
    """A 2 MiB tmpfs (the disk that fills up); skipped where mounting is not permitted."""
    mount_point.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    with filler.open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    return filler


def test_disk_full_while_encoding_keeps_the_previous_output(tmp_path: Path, completed, figures) -> None:
    production, home = copy_completed(completed, tmp_path)
    disk = production / "output"
    shutil.rmtree(disk)
    mount_small_tmpfs(disk)
    try:
        full_disk_then_recover(production, home, completed[0], tmp_path, figures)
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def full_disk_then_recover(production: Path, home: Path, original: Path, tmp_path: Path, figures) -> None:
    small_tmpfs = production / "output"
    shutil.copytree(original / "output", small_tmpfs, dirs_exist_ok=True)
    yaml_file = production / "production.yaml"
    yaml_file.write_text(yaml_file.read_text().replace('path: "output/web/"}', 'path: "output/web/", fit: crop}'))
    previous = (production / FILM).read_bytes()
    kept = finished_frames(production)
    filler = fill(small_tmpfs)
    figures.fault_injected("disk_full_while_encoding")

    full = run_cli(["run", str(production)], home, tmp_path)

    assert full.returncode == 1, full.stdout + full.stderr
    assert "No space left on device" in full.stdout + full.stderr
    assert "Traceback" not in full.stdout
    assert (production / FILM).read_bytes() == previous, "the previous film was damaged"
    no_partial_output(production, figures)

    filler.unlink()
    settle(production, figures, "disk_full_while_encoding", kept, run_cli(["run", str(production)], home, tmp_path))


def test_permission_denied_on_the_output_folder(tmp_path: Path, home: Path, figures) -> None:
    """Root bypasses permissions, so the run drops CAP_DAC_OVERRIDE (setpriv) and meets a 0555 folder."""
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv is not installed: cannot drop CAP_DAC_OVERRIDE, and root ignores folder permissions")
    production = make_tiny(tmp_path / "tiny")
    web = production / "output" / "web"
    web.mkdir(parents=True)
    web.chmod(0o555)
    figures.fault_injected("permission_denied_output")
    command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"]
    try:
        denied = subprocess.run(
            [*command, *CLI, "run", str(production)],
            cwd=tmp_path,
            env=cli_env(home),
            capture_output=True,
            text=True,
            timeout=240,
        )
    finally:
        web.chmod(0o755)
    assert denied.returncode == 1, denied.stdout + denied.stderr
    assert "Permission denied" in denied.stdout, denied.stdout + denied.stderr[-2000:]
    assert "Traceback" not in denied.stdout
    assert list(web.iterdir()) == [] and not (production / "manifest.json").exists()
    no_partial_output(production, figures)
    kept = finished_frames(production)
    assert len(kept) == 4

    settle(production, figures, "permission_denied_output", kept, run_cli(["run", str(production)], home, tmp_path))


def test_output_folder_deleted_mid_run(tmp_path: Path, completed, figures) -> None:
    production, home = copy_completed(completed, tmp_path)
    yaml_file = production / "production.yaml"
    yaml_file.write_text(
        yaml_file.read_text().replace(
            "template: close_up, scene: 1, character: Hero, duration: 2",
            "template: close_up, scene: 1, character: Hero, duration: 2, camera: {lens: 60}",
        )
    )
    run = start_cli(["run", str(production)], home, tmp_path, tmp_path / "logs")
    wait_until(lambda: worker_pids(run.pid), 120, 0.02, "the re-render")
    figures.fault_injected("output_folder_deleted_mid_run")
    shutil.rmtree(production / "output")
    status = run.wait()
    kept = {name: state for name, state in finished_frames(production).items() if name.startswith("s001_wide_hero")}
    no_partial_output(production, figures)
    result = run_cli(["run", str(production)], home, tmp_path)
    if status == 0:
        assert "0 shots rendered" in result.stdout, "the deleted output was rebuilt without re-rendering"
    settle(production, figures, "output_folder_deleted_mid_run", kept, result)


def test_asset_file_changed_mid_run_is_rendered_again_next_run(
    tmp_path: Path, home: Path, blend_assets, figures
) -> None:
    text = TINY_PRODUCTION.replace('"builtin:mannequin"', '"assets/hero.blend"').replace(
        ", wardrobe: {scenes_1_end: hero_casual}", ""
    )
    production = make_tiny(tmp_path / "tiny", slow_frames(text))
    (production / "assets").mkdir()
    model = production / "assets" / "hero.blend"
    shutil.copyfile(blend_assets["cube"], model)
    run = start_cli(["run", str(production), "--parallel", "1"], home, tmp_path, tmp_path / "logs")
    wait_until(lambda: len(finished_frames(production)) == 1, 120, 0.01, "the first frame")
    figures.fault_injected("asset_changed_mid_run")
    replacement = model.with_name(".hero.new")
    shutil.copyfile(blend_assets["sphere"], replacement)
    os.replace(replacement, model)
    assert run.wait() == 0, run.output()[-3000:]

    plan = json.loads(run_cli(["run", str(production), "--dry-run", "--json"], home, tmp_path).stdout)
    stale = {shot["shot_id"]: shot["reason"] for shot in plan["shots"] if shot["status"] != "up_to_date"}
    assert "s001_wide_hero" in stale, plan
    kept = {name: state for name, state in finished_frames(production).items() if name.split("/")[0] not in stale}

    settle(production, figures, "asset_changed_mid_run", kept, run_cli(["run", str(production)], home, tmp_path))
    again = json.loads(run_cli(["run", str(production), "--dry-run", "--json"], home, tmp_path).stdout)
    assert [shot["status"] for shot in again["shots"]] == ["up_to_date", "up_to_date"]
