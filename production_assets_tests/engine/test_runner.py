"""End to end through Dagster with real bpy renders: tiny production, temporary instance."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from production_assets.engine.runner import ExecutionEngine, ParallelConfig, RunOptions, execute_production


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """Run the tiny production once for every test in this module."""
    from production_assets_tests.conftest import write_production

    root = tmp_path_factory.mktemp("run")
    folder = root / "tiny"
    write_production(folder)
    home = root / "dagster_home"
    home.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_HOME", str(home))
        result = execute_production(folder, RunOptions(parallel=ParallelConfig(max_workers=2)))
    return folder, result.model_dump()


def test_frames_are_real_renders(rendered: tuple[Path, dict]) -> None:
    folder, result = rendered
    assert result["success"], result
    assert sorted(result["shots_completed"]) == ["s001_close_up_hero", "s001_wide_hero"]
    frames = sorted((folder / "build" / "shots").glob("*/renders/*/frames/frame_*.png"))
    assert len(frames) == 4
    for frame in frames:
        pixels = np.asarray(Image.open(frame).convert("RGB"), dtype=np.float32)
        assert pixels.shape == (36, 64, 3)
        assert pixels.std() > 3.0, f"{frame} is nearly uniform"


def test_film_decodes_with_every_frame_and_manifest_lists_it(rendered: tuple[Path, dict]) -> None:
    folder, result = rendered
    film = folder / "output" / "web" / "tiny.mp4"
    with av.open(str(film)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        decoded = [frame.to_ndarray(format="rgb24") for frame in container.decode(stream)]
    assert len(decoded) == 4
    assert decoded[0].shape == (36, 64, 3)
    manifest = json.loads((folder / "manifest.json").read_text())
    (entry,) = [e for e in manifest["outputs"] if e["path"] == "output/web/tiny.mp4"]
    assert entry["sha256"] == hashlib.sha256(film.read_bytes()).hexdigest()
    assert entry["frames"] == 4 and entry["codec"] == "h264"
    assert result["manifest_path"] == str(folder / "manifest.json")


def test_second_run_renders_nothing_and_an_edit_renders_one_shot(
    rendered: tuple[Path, dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, _ = rendered
    monkeypatch.setenv("DAGSTER_HOME", str(folder.parent / "dagster_home"))
    engine = ExecutionEngine(folder, RunOptions(parallel=ParallelConfig(max_workers=1)))
    assert [shot.status for shot in engine.plan().shots] == ["up_to_date", "up_to_date"]
    path = folder / "production.yaml"
    path.write_text(path.read_text().replace("template: close_up, scene: 1, character: Hero, duration: 2", "template: close_up, scene: 1, character: Hero, duration: 3"))
    plan = ExecutionEngine(folder, RunOptions(parallel=ParallelConfig(max_workers=1))).plan()
    stale = {shot.shot_id: shot.reason for shot in plan.shots if shot.needs_work}
    assert stale == {"s001_close_up_hero": "frame_count 2 -> 3"}
    result = ExecutionEngine(folder, RunOptions(parallel=ParallelConfig(max_workers=1))).execute()
    assert result.success, result
    assert result.shots_completed == ["s001_close_up_hero"]
    assert result.frames_rendered == 3
    with av.open(str(folder / "output" / "web" / "tiny.mp4")) as container:
        assert sum(1 for _ in container.decode(video=0)) == 5
