"""End to end through Dagster with real bpy renders: tiny production, temporary instance; checkpoints and resume."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import av
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

from production_assets.cli import cli
from production_assets.engine.batch_process import warm_batch
from production_assets.engine.runner import ExecutionEngine, ParallelConfig, RunOptions, execute_production
from production_assets.errors import ProductionError
from production_assets.model.layout import Layout
from production_assets.orchestration.assets import departments_current
from production_assets.planning.production_loader import load_validated


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
    assert sorted(result["completed_shot_ids"]) == ["s001_close_up_hero", "s001_wide_hero"]
    assert result["shots_completed"] == 2
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
    path.write_text(
        path.read_text().replace(
            "template: close_up, scene: 1, character: Hero, duration: 2",
            "template: close_up, scene: 1, character: Hero, duration: 3",
        )
    )
    plan = ExecutionEngine(folder, RunOptions(parallel=ParallelConfig(max_workers=1))).plan()
    stale = {shot.shot_id: shot.reason for shot in plan.shots if shot.needs_work}
    assert stale == {"s001_close_up_hero": "frame_count 2 -> 3"}
    warm = warm_batch(path, Layout(folder).worker_log(0))  # started first, as `production run` does
    reporter = RecordingReporter()
    engine = ExecutionEngine(folder, RunOptions(parallel=ParallelConfig(max_workers=1)), reporter, warm_worker=warm)
    assert departments_current(engine.production)
    result = engine.execute()
    assert result.success, result
    phases = [line.split(" (")[0] for line in reporter.lines if line.startswith("phase:")]
    assert phases[:2] == ["phase: shots + post_process", "phase: prepare + characters + locations"], (
        "with every character and location current, the shots do not wait for the prepare run"
    )
    assert result.completed_shot_ids == ["s001_close_up_hero"] and result.skipped_shot_ids == ["s001_wide_hero"]
    assert warm.started and warm.process.wait(timeout=60) == 0, "the edited shot rendered on the worker started first"
    assert [result.phases[phase].state for phase in ("shots", "post_process", "export", "finalize")] == ["done"] * 4
    assert all(report.seconds >= 0 for report in result.phases.values()), "times from when things happened"
    assert result.frames_rendered == 3
    idle = warm_batch(path, Layout(folder).worker_log(0))
    again = ExecutionEngine(folder, RunOptions(parallel=ParallelConfig(max_workers=1)), warm_worker=idle).execute()
    assert again.success and again.shots_completed == 0
    assert not idle.started and idle.process.poll() is not None, "a run with nothing to render stops the early worker"
    with av.open(str(folder / "output" / "web" / "tiny.mp4")) as container:
        assert sum(1 for _ in container.decode(video=0)) == 5


def test_a_prepared_set_is_not_current_once_its_record_or_file_is_gone(rendered: tuple[Path, dict]) -> None:
    folder, _ = rendered
    production = load_validated(folder).require_resolved()
    assert departments_current(production)
    blend = production.layout.prepared_blend("location", "Stage")
    for moved in (production.layout.prepared_record("location", "Stage"), blend):
        aside = moved.rename(moved.with_name("aside"))
        try:
            assert not departments_current(production), f"{moved.name} missing: the prepare run must build it first"
        finally:
            aside.rename(moved)
    assert departments_current(production)


class RecordingReporter:
    """A reporter that keeps the messages of a run."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def message(self, text: str) -> None:
        self.lines.append(text)

    def update(self, progress: object) -> None:
        return None

    def close(self) -> None:
        return None


class InterruptWhenShotsStart(RecordingReporter):
    """A reporter standing in for Ctrl-C: the interrupt arrives once the shot workers are about to start."""

    def message(self, text: str) -> None:
        super().message(text)
        if text.startswith("phase: shots") and not any(line.startswith("stopping") for line in self.lines):
            raise KeyboardInterrupt


def test_an_interrupted_run_is_resumed_with_its_own_shots(tiny_production: Path, dagster_home: Path) -> None:
    close_up, wide = "s001_close_up_hero", "s001_wide_hero"
    one_worker = ParallelConfig(max_workers=1)
    interrupted = ExecutionEngine(tiny_production, RunOptions(one_worker, only=[close_up]), InterruptWhenShotsStart())
    with pytest.raises(KeyboardInterrupt):
        interrupted.execute()
    checkpoint = interrupted.last_checkpoint()
    assert checkpoint is not None
    assert (checkpoint.run_outcome, checkpoint.selection) == ("interrupted", [close_up])
    assert [(shot.shot_id, shot.status) for shot in checkpoint.shots] == [(close_up, "missing")]
    assert not (tiny_production / "build" / "shots").exists(), "interrupted before any shot"
    status = CliRunner().invoke(cli, ["status", str(tiny_production)])
    assert f"last `production run` ({close_up}, started {checkpoint.saved_at}): interrupted" in status.stdout

    resumed = ExecutionEngine(tiny_production, RunOptions(one_worker, resume=True)).execute()
    assert resumed.success, resumed
    assert resumed.completed_shot_ids == [close_up] and resumed.frames_rendered == 2
    assert not (tiny_production / "build" / "shots" / wide).exists(), "resume keeps the run's --only"
    assert resumed.phases["export"].state == "skipped" and "outside --only" in resumed.phases["export"].note
    after = ExecutionEngine(tiny_production, read_only=True).last_checkpoint()
    assert after is not None and (after.run_outcome, after.selection) == ("succeeded", [close_up])

    path = tiny_production / "production.yaml"
    written = "template: close_up, scene: 1, character: Hero, duration: "
    path.write_text(path.read_text().replace(written + "2", written + "3"))
    done = CliRunner().invoke(cli, ["run", str(tiny_production), "--resume", "--json"])
    assert done.exit_code == 1 and done.stdout == ""
    assert f"{close_up} changed (data version" in done.stderr and "nothing was run" in done.stderr
    renders = tiny_production / "build" / "shots" / close_up / "renders"
    versions = [folder for folder in renders.iterdir() if folder.is_dir()]
    assert len(versions) == 1, "nothing of the new version was rendered"


def test_resume_needs_a_checkpoint_and_keeps_its_selection(tiny_production: Path, dagster_home: Path) -> None:
    with pytest.raises(ProductionError, match="nothing to resume"):
        ExecutionEngine(tiny_production, RunOptions(resume=True)).execute()
    with pytest.raises(ValueError, match="leave `only` unset"):
        ExecutionEngine(tiny_production, RunOptions(resume=True, only=["s001_wide_hero"])).execute()
    engine = ExecutionEngine(tiny_production, RunOptions(only=["s001_wide_hero"]), read_only=True)
    engine.save_checkpoint(engine.production.layout.run_checkpoint)
    planned = CliRunner().invoke(cli, ["run", str(tiny_production), "--resume", "--dry-run", "--json"])
    assert planned.exit_code == 0, planned.output
    assert [shot["shot_id"] for shot in json.loads(planned.stdout)["shots"]] == ["s001_wide_hero"]
    refused = CliRunner().invoke(cli, ["run", str(tiny_production), "--resume", "--only", "s001_wide_hero"])
    assert refused.exit_code == 2 and "leave out --only" in refused.stderr
