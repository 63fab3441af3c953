"""The public Python API as a library user calls it: only ``import production_assets as pa``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import production_assets as pa

SHOT_IDS = ["s001_wide_hero", "s001_close_up_hero"]


def test_the_phase_api_end_to_end(tiny_production: Path) -> None:
    config = pa.load_production(tiny_production)
    assert isinstance(config, pa.ProductionConfig)
    assert pa.load_production_from_dir(tiny_production).shots == config.shots
    result = pa.validate_production(config)
    assert isinstance(result, pa.ValidationResult) and result.is_valid()
    assert pa.validate_characters(config) == []
    assert all(isinstance(issue, pa.ValidationIssue) for issue in pa.validate_shots(config))
    assert [shot.id for shot in pa.expand_shots(config)] == SHOT_IDS
    assert pa.resolve_production(config).render.resolution == (64, 36)


def test_importing_the_package_and_the_cli_does_not_import_bpy() -> None:
    code = (
        "import sys, production_assets as pa, production_assets.cli\n"
        "for name in pa.__all__: getattr(pa, name)\n"
        "assert 'bpy' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_metadata_output_formats_and_validation(tiny_production: Path) -> None:
    config = pa.load_production(tiny_production)
    meta = config.meta
    assert isinstance(meta, pa.ProductionMeta)
    assert (meta.title, meta.version, meta.author) == ("Tiny", "1.0", "")
    assert meta.created and meta.modified, "filled from the file's timestamps"
    assert pa.ProductionMeta(title="Short").version == "1.0"

    result = config.validate()
    assert isinstance(result, pa.ValidationResult)
    assert result.valid is True and result.model_dump()["valid"] is True
    assert json.loads(result.model_dump_json())["valid"] is True
    assert pa.ValidationResult.model_validate_json(result.model_dump_json()) == result

    broken = pa.ProductionConfig.model_validate(
        {"title": "Broken", "shots": [{"template": "wide", "character": "Nobody"}], "characters": [{"name": "Hero"}]}
    )
    checked = broken.validate()
    assert checked.valid is False
    assert any(issue.path == "shots[0].character" and "Hero" in issue.suggestion for issue in checked.errors)

    (output,) = pa.resolve_production(config).outputs
    assert isinstance(output.format, pa.OutputFormat) and output.format.codec == "h264"
    assert pa.OutputFormat(codec="gif", resolution=(64, 36)).kind == "video"


def test_dependencies_are_groups_of_shot_indices(tiny_production: Path) -> None:
    config = pa.load_production(tiny_production)
    assert pa.analyze_dependencies(config.shots) == [{0, 1}]
    assert pa.analyze_dependencies(pa.resolve_production(config).shots) == [{0, 1}]
    shots = [pa.load_production(tiny_production).shots[0].model_copy(update={"id": shot_id}) for shot_id in "aab"]
    assert pa.analyze_dependencies(shots) == [{0, 2}, {1}], "a repeated id is the same partition: it waits"
    assert pa.analyze_dependencies([]) == []
    graph = pa.create_execution_graph(pa.resolve_production(config))
    assert graph["shot_renders[s001_wide_hero]"] == ["production_config", "characters/Hero", "locations/Stage"]
    assert graph["manifest"] == ["exports/web"]


def test_a_fresh_engine_plans_reports_progress_and_estimates(tiny_production: Path, dagster_home: Path) -> None:
    config = pa.load_production(tiny_production)
    engine = pa.ExecutionEngine(config, read_only=True)
    eta = engine.estimate_remaining_time()
    assert isinstance(eta, float) and eta > 0
    progress = engine.get_progress()
    assert isinstance(progress, dict)
    assert list(progress["phases"]) == list(pa.EXECUTION_PHASES) == [
        "validate", "prepare", "characters", "locations", "shots", "post_process", "export", "finalize"
    ]  # fmt: skip
    assert {phase["state"] for phase in progress["phases"].values()} == {"pending"}
    assert (progress["frames_done"], progress["frames_total"], progress["shots_total"]) == (0, 4, 2)
    assert progress["eta_seconds"] == round(eta, 1)
    state = engine.state()
    assert isinstance(state, pa.ExecutionState) and [shot.status for shot in state.shots] == ["missing", "missing"]

    executor = pa.ParallelExecutor(pa.ParallelConfig(max_workers=2))
    work = executor.plan(SHOT_IDS, dict.fromkeys(SHOT_IDS, 2))
    assert (work.batches, work.slots) == ([[SHOT_IDS[0]], [SHOT_IDS[1]]], 2)
    one_slot = pa.ParallelExecutor(pa.ParallelConfig(max_workers=1, chunk_size=1))
    assert one_slot.plan(SHOT_IDS, dict.fromkeys(SHOT_IDS, 2)).slots == 1


def test_an_engine_runs_a_loaded_config_and_nothing_else(tiny_production: Path, dagster_home: Path) -> None:
    with pytest.raises(pa.ProductionError, match="built in Python"):
        pa.ExecutionEngine(pa.ProductionConfig(title="Nowhere"))
    edited = pa.load_production(tiny_production)
    edited.render_settings.samples = 32
    with pytest.raises(pa.ProductionError, match="differs from"):
        pa.ExecutionEngine(edited)
    assert pa.ExecutionEngine(tiny_production / "production.yaml", read_only=True).production.title == "Tiny"


def test_a_checkpoint_round_trips(tiny_production: Path, dagster_home: Path, tmp_path: Path) -> None:
    engine = pa.ExecutionEngine(tiny_production, pa.RunOptions(only=[SHOT_IDS[1]]), read_only=True)
    path = engine.save_checkpoint(tmp_path / "state" / "checkpoint.json")
    loaded = pa.ExecutionEngine.load_checkpoint(path)
    assert loaded == engine.checkpoint
    assert loaded.selection == [SHOT_IDS[1]] and [shot.shot_id for shot in loaded.shots] == [SHOT_IDS[1]]


def test_one_run_through_the_api(tiny_production: Path, dagster_home: Path, tmp_path: Path) -> None:
    config = pa.load_production(tiny_production)
    engine = pa.ExecutionEngine(config, pa.RunOptions(parallel=pa.ParallelConfig(max_workers=2)))
    result = engine.execute()

    assert isinstance(result, pa.ProductionResult) and result.success, result
    assert (result.shots_completed, result.shots_failed, result.shots_skipped) == (2, 0, 0)
    assert sorted(result.completed_shot_ids) == sorted(SHOT_IDS) and result.failed_shots == []
    assert result.frames_rendered == 4
    assert list(result.phases) == list(pa.EXECUTION_PHASES)
    assert {report.state for report in result.phases.values()} == {"done"}
    for phase, report in result.phases.items():
        assert 0 <= report.seconds <= result.total_time, (phase, report)
        assert report.step, phase
        if phase != "validate":
            assert report.seconds > 0, (phase, report)
    assert result.phases["shots"].seconds > result.phases["post_process"].seconds, "rendering takes longer than grading"
    assert all("departments step" in result.phases[phase].step for phase in ("characters", "locations"))
    assert all("shots step" in result.phases[phase].step for phase in ("shots", "post_process"))
    dumped = json.loads(result.model_dump_json())
    assert (dumped["shots_completed"], dumped["shots_failed"]) == (2, 0)
    assert dumped["phases"]["post_process"]["state"] == "done"

    assert engine.estimate_remaining_time() == 0.0
    progress = engine.get_progress()
    assert progress["eta_seconds"] == 0 and progress["frames_done"] == progress["frames_total"] == 4
    assert {phase["state"] for phase in progress["phases"].values()} == {"done"}

    checkpoint = engine.last_checkpoint()
    assert checkpoint is not None and checkpoint.run_outcome == "succeeded" and checkpoint.run_ids == result.run_ids
    assert pa.ExecutionEngine.load_checkpoint(engine.save_checkpoint(tmp_path / "copy.json")) == checkpoint

    executor = pa.ParallelExecutor(pa.ParallelConfig(max_workers=1))
    events: list[str] = []
    outcomes = executor.execute(engine.production, SHOT_IDS[:1], on_event=lambda _, e: events.append(e.event))
    assert outcomes == {SHOT_IDS[0]: ""} and len(executor.run_ids) == 1 and list(executor.started) == [SHOT_IDS[0]]
    assert events == ["run", "start", "end", "run_end"]

    again = pa.ExecutionEngine(tiny_production, pa.RunOptions(resume=True)).execute()
    assert again.success and (again.shots_completed, again.shots_skipped) == (0, 2)
    assert again.phases["shots"].state == "skipped" and again.phases["export"].note == "up to date"

    path = tiny_production / "production.yaml"
    close_up = "template: close_up, scene: 1, character: Hero, duration: "
    path.write_text(path.read_text().replace(close_up + "2", close_up + "3"))
    with pytest.raises(pa.ProductionError, match=r"s001_close_up_hero changed .*nothing was run"):
        pa.ExecutionEngine(tiny_production, pa.RunOptions(resume=True)).execute()
    left = pa.ExecutionEngine(tiny_production, read_only=True).last_checkpoint()
    assert left is not None and left.run_ids == again.run_ids, "a refused resume leaves the checkpoint alone"
    renders = tiny_production / "build" / "shots" / SHOT_IDS[1] / "renders"
    assert len([version for version in renders.iterdir() if version.is_dir()]) == 1, "nothing was rendered"
