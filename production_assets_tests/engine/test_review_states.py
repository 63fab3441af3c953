"""Review states: an approved shot keeps its frames through edits until its status or --include-locked says
otherwise (real renders, tiny)."""

from __future__ import annotations

from pathlib import Path

from production_assets.engine.runner import ExecutionEngine, ParallelConfig, RunOptions
from production_assets.planning.production_loader import load_validated
from production_assets_tests.conftest import write_production

PRODUCTION = """\
production:
  title: "Review"
  style: {preset: cinematic}
  presets:
    wardrobes:
      coat: {primary_color: [0.7, 0.1, 0.1], secondary_color: [0.2, 0.2, 0.2]}
  characters:
    - {name: Hero, wardrobe: {scenes_1_end: coat}}
  locations:
    - {name: Stage, preset: studio}
  shots:
    - {template: close_up, scene: 1, character: Hero, duration: 2, status: approved, notes: "director's pick"}
    - {template: wide, scene: 1, character: Hero, duration: 2}
  render_settings: {engine: cycles, samples: 1, resolution: [64, 36], frame_rate: 24}
  outputs:
    - {name: web, format: streaming_1080p, resolution: [64, 36], path: "output/web/"}
"""
APPROVED = "s001_close_up_hero"


def _run(folder: Path, **options: object) -> object:
    return ExecutionEngine(folder, RunOptions(parallel=ParallelConfig(max_workers=1), **options)).execute()


def _published_frames(folder: Path) -> dict[str, tuple[int, int]]:
    production = load_validated(folder).require_resolved()
    engine = ExecutionEngine(folder, read_only=True)
    version = {shot.shot_id: shot.published_version for shot in engine.plan().shots}[APPROVED]
    frames = sorted(production.layout.frames_dir(APPROVED, version).glob("frame_*.png"))
    return {frame.name: (frame.stat().st_ino, frame.stat().st_mtime_ns) for frame in frames}


def test_an_approved_shot_is_held_through_edits_and_renders_again_when_asked(
    tmp_path: Path, dagster_home: Path
) -> None:
    folder = write_production(tmp_path / "review", PRODUCTION).parent
    assert _run(folder).success
    approved = _published_frames(folder)

    path = folder / "production.yaml"
    text = path.read_text().replace(
        "duration: 2, status: approved", "duration: 2, camera: {lens: 135}, status: approved"
    )
    path.write_text(text.replace("[0.7, 0.1, 0.1]", "[0.1, 0.1, 0.7]"))  # its own settings and a preset it uses
    plan = {shot.shot_id: shot for shot in ExecutionEngine(folder, read_only=True).plan().shots}
    assert plan[APPROVED].label == "stale (locked: approved)" and "lens" in plan[APPROVED].reason
    assert plan["s001_wide_hero"].status == "stale" and not plan["s001_wide_hero"].locked
    result = _run(folder)
    assert result.success and result.completed_shot_ids == ["s001_wide_hero"]
    assert _published_frames(folder) == approved, "the approved shot's frames were rendered again"

    result = _run(folder, include_locked=True)
    assert result.completed_shot_ids == [APPROVED]
    assert _published_frames(folder) != approved

    path.write_text(path.read_text().replace("lens: 135", "lens: 120").replace("status: approved", "status: wip"))
    assert _run(folder).completed_shot_ids == [APPROVED], "a shot back in wip follows its edits again"
