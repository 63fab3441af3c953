"""`priority:` on the production and on shots: farm scheduling that never changes what a shot looks like."""

from __future__ import annotations

from pathlib import Path

import pytest

from production_assets.engine.runner import ExecutionEngine, ParallelConfig, RunOptions
from production_assets.loading.production_file import load_production
from production_assets.loading.resolve import resolve_production
from production_assets.planning.production_loader import load_validated
from production_assets.planning.versions import ShotVersions
from production_assets.validation.validators import validate_file
from production_assets_tests.conftest import TINY_PRODUCTION, write_production

CLOSE_UP = "{template: close_up, scene: 1, character: Hero, duration: 2}"


def with_priorities(production: int | str | None, close_up: int | str | None) -> str:
    text = TINY_PRODUCTION
    if production is not None:
        text = text.replace('  version: "1.0"', f'  version: "1.0"\n  priority: {production}')
    if close_up is not None:
        text = text.replace(CLOSE_UP, CLOSE_UP.replace("duration: 2}", f"duration: 2, priority: {close_up}}}"))
    return text


def test_a_shot_takes_the_production_s_priority_unless_it_sets_its_own(tmp_path: Path) -> None:
    unset = resolve_production(load_production(write_production(tmp_path / "unset", TINY_PRODUCTION)))
    assert [shot.priority for shot in unset.shots] == [0, 0]
    resolved = resolve_production(load_production(write_production(tmp_path / "set", with_priorities(3, 9))))
    assert {shot.id: shot.priority for shot in resolved.shots} == {"s001_wide_hero": 3, "s001_close_up_hero": 9}
    zero = resolve_production(load_production(write_production(tmp_path / "zero", with_priorities(3, 0))))
    assert zero.shot("s001_close_up_hero").priority == 0


@pytest.mark.parametrize(
    ("production", "close_up", "path", "line", "column", "message"),
    [
        (-1, None, "priority", 4, 13, "priority = -1: Input should be greater than or equal to 0"),
        ("1.5", None, "priority", 4, 13, "priority = 1.5: Input should be a valid integer"),
        ('"high"', None, "priority", 4, 13, "priority = 'high': Input should be a valid integer"),
        (None, -4, "shots[1].priority", 11, 78, "shots[1].priority = -4: Input should be greater than or equal to 0"),
        (None, "true", "shots[1].priority", 11, 78, "shots[1].priority = True: Input should be a valid integer"),
    ],
)
def test_a_priority_that_is_not_a_whole_number_from_0_is_an_error_at_its_position(
    tmp_path: Path, production: object, close_up: object, path: str, line: int, column: int, message: str
) -> None:
    file = write_production(tmp_path, with_priorities(production, close_up))  # type: ignore[arg-type]
    result, config = validate_file(file)
    assert config is None
    [issue] = [issue for issue in result.issues if issue.severity == "error"]
    assert (issue.path, issue.message, issue.line, issue.column) == (path, message, line, column)
    assert issue.format().startswith(f"{file}:{line}:{column}: error: {message}")


def test_changing_priorities_keeps_every_data_version_and_re_renders_nothing(
    tmp_path: Path, dagster_home: Path
) -> None:
    folder = write_production(tmp_path / "tiny", TINY_PRODUCTION).parent
    options = RunOptions(parallel=ParallelConfig(max_workers=1))
    assert ExecutionEngine(folder, options).execute().success
    before = load_validated(folder).require_resolved()
    frames = {
        path: path.stat().st_mtime_ns
        for path in sorted((folder / "build" / "shots").glob("*/renders/*/frames/frame_*.png"))
    }
    assert len(frames) == 4

    (folder / "production.yaml").write_text(with_priorities(5, 8))
    after = load_validated(folder).require_resolved()
    assert [shot.priority for shot in after.shots] == [5, 8]
    assert {shot.id: ShotVersions(after).version(shot.id) for shot in after.shots} == {
        shot.id: ShotVersions(before).version(shot.id) for shot in before.shots
    }
    plan = ExecutionEngine(folder, read_only=True).plan()
    assert [shot.status for shot in plan.shots] == ["up_to_date", "up_to_date"] and not plan.deliver
    result = ExecutionEngine(folder, options).execute()
    assert result.success and result.completed_shot_ids == []
    assert {path: path.stat().st_mtime_ns for path in frames} == frames, "a frame was rendered again"
