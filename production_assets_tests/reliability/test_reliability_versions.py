"""Frames know their version: kill -9 in the middle of a render, edit the YAML, run again (real bpy).

The film delivered after an interruption and an edit is the same, frame for frame, as a clean render
of the edited YAML; frames of the version being rendered survive the interruption and are not
rendered again; the previous version stays published until the new one is complete.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import av
import numpy as np
from reliability_support import (
    SHOT_IDS,
    alive,
    assert_completed,
    descendants,
    finished_frames,
    group_alive,
    make_tiny,
    manifest_problems,
    partial_files,
    run_cli,
    start_cli,
    wait_until,
    worker_pids,
)

from production_assets_tests.conftest import TINY_PRODUCTION

FILM = Path("output") / "web" / "tiny.mp4"
WIDE = "{template: wide, scene: 1, character: Hero, duration: 2}"
WIDE_135 = "{template: wide, scene: 1, character: Hero, duration: 2, camera: {lens: 135}}"
SLOW = ("samples: 1,", "samples: 512,")  # ~0.6 s a frame: "exactly one frame finished" lasts long enough to see


def decoded(film: Path) -> list[np.ndarray]:
    with av.open(str(film)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def same_picture(ours: np.ndarray, clean: np.ndarray) -> bool:
    """Equal up to Cycles' last-bit float noise between two processes (measured: at most 1-2 levels on a
    handful of pixels); a different lens or a mixed version changes most pixels by far more."""
    difference = np.abs(ours.astype(np.int16) - clean.astype(np.int16))
    return ours.shape == clean.shape and int(difference.max()) <= 3 and float(difference.mean()) < 0.05


def kill_after_first_frame(production: Path, home: Path, cwd: Path, before: int = 0) -> None:
    """Start `production run`, wait for one more finished frame than ``before``, kill -9 its process group."""
    run = start_cli(["run", str(production), "--parallel", "1"], home, cwd, cwd / "logs")
    wait_until(
        lambda: len(finished_frames(production)) == before + 1 and worker_pids(run.pid), 180, 0.01, "one finished frame"
    )
    # Everything at once, workers included (they run in sessions of their own), like a machine that dies.
    workers = descendants(run.pid)
    run.kill_group(signal.SIGKILL)
    for pid in alive(workers):
        os.kill(pid, signal.SIGKILL)
    run.wait()
    wait_until(lambda: not group_alive(run.pid) and not alive(workers), 30, 0.05, "the killed run's processes to die")


def clean_render(text: str, root: Path) -> list[np.ndarray]:
    """The film of ``text`` rendered from scratch, in its own folder and instance."""
    production = make_tiny(root / "tiny", text)
    home = root / "dagster_home"
    home.mkdir()
    result = run_cli(["run", str(production)], home, root)
    assert_completed(production, result)
    return decoded(production / FILM)


def status(production: Path, home: Path, cwd: Path) -> dict[str, dict]:
    shots = json.loads(run_cli(["status", str(production), "--json"], home, cwd).stdout)["shots"]
    return {shot["shot_id"]: shot for shot in shots}


def test_a_killed_first_render_then_an_edit_delivers_only_the_edited_version(
    tmp_path: Path, home: Path, figures
) -> None:
    slow = TINY_PRODUCTION.replace(*SLOW)
    production = make_tiny(tmp_path / "tiny", slow)
    kill_after_first_frame(production, home, tmp_path)
    figures.fault_injected("kill_9_first_render_then_edit")
    old_lens = [name for name in finished_frames(production) if name.startswith(f"{SHOT_IDS[0]}/")]
    assert old_lens

    path = production / "production.yaml"
    path.write_text(path.read_text().replace(WIDE, WIDE_135))
    result = run_cli(["run", str(production), "--json"], home, tmp_path)
    assert_completed(production, result)
    shots = status(production, home, tmp_path)
    published = shots[SHOT_IDS[0]]["published_version"]
    assert shots[SHOT_IDS[0]]["status"] == "up_to_date"
    assert not [name for name in old_lens if name.startswith(f"{SHOT_IDS[0]}/{published}/")], (
        "an old-lens frame was kept"
    )

    film = decoded(production / FILM)
    reference = clean_render(slow.replace(WIDE, WIDE_135), tmp_path / "clean")
    assert len(film) == len(reference) == 4
    for number, (ours, clean) in enumerate(zip(film, reference, strict=True), start=1):
        assert same_picture(ours, clean), f"frame {number} differs from a clean render of the edited YAML"
    figures.fault_survived("kill_9_first_render_then_edit")


def test_an_interrupted_re_render_resumes_its_version_and_the_old_film_stays_published(
    tmp_path: Path, home: Path, figures
) -> None:
    production = make_tiny(tmp_path / "tiny")
    assert_completed(production, run_cli(["run", str(production)], home, tmp_path))
    old_film = (production / FILM).read_bytes()
    before = status(production, home, tmp_path)

    path = production / "production.yaml"
    path.write_text(path.read_text().replace(*SLOW))
    frames_before = len(finished_frames(production))
    kill_after_first_frame(production, home, tmp_path, before=frames_before)
    figures.fault_injected("kill_9_during_re_render")
    kept = {
        name: state for name, state in finished_frames(production).items() if name not in finished_frames_of(before)
    }
    assert len(kept) == 1

    # While the new version is half rendered, the old one is still the published film.
    assert (production / FILM).read_bytes() == old_film and manifest_problems(production) == []
    assert partial_files(production) == []
    during = status(production, home, tmp_path)
    first = during[SHOT_IDS[0]]
    assert first["published_version"] == before[SHOT_IDS[0]]["published_version"]
    assert first["building_version"] == first["data_version"] and first["frames_done"] == 1

    result = run_cli(["run", str(production), "--json"], home, tmp_path)
    assert_completed(production, result)
    assert json.loads(result.stdout)["frames_rendered"] == 3, "a finished frame of the new version was rendered again"
    after = finished_frames(production)
    assert {name: after[name] for name in kept} == kept
    film = decoded(production / FILM)
    reference = clean_render(TINY_PRODUCTION.replace(*SLOW), tmp_path / "clean")
    assert len(film) == len(reference) == 4
    assert all(same_picture(ours, clean) for ours, clean in zip(film, reference, strict=True))
    figures.fault_survived("kill_9_during_re_render")


def finished_frames_of(shots: dict[str, dict]) -> set[str]:
    """The frame names (as reliability_support.finished_frames spells them) of each shot's published version."""
    return {
        f"{shot_id}/{shot['published_version']}/frame_{number:04d}.png"
        for shot_id, shot in shots.items()
        for number in range(1, shot["frame_count"] + 1)
    }
