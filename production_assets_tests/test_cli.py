"""The `production` command: output format, JSON, exit codes, nothing written on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from production_assets.cli import cli
from production_assets.model.schema import production_file_schema
from production_assets.planning.production_loader import load_validated
from production_assets.planning.versions import render_job
from production_assets_tests.conftest import TINY_PRODUCTION, write_production

REPO = Path(__file__).resolve().parents[1]


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*")}


def test_validate_prints_one_line_per_issue_and_exits_1(tmp_path: Path) -> None:
    path = write_production(
        tmp_path, TINY_PRODUCTION.replace("character: Hero, duration: 2}", "character: Heor, duration: 2}", 1)
    )
    code, out, err = _run("validate", str(tmp_path))
    assert code == 1
    assert f"{path}:10:" in out and "error: unknown character 'Heor' [shots[0].character] (did you mean 'Hero'?)" in out
    assert "invalid: 1 error(s)" in err


def test_validate_json_is_one_document(tmp_path: Path) -> None:
    write_production(tmp_path, TINY_PRODUCTION.replace("format: streaming_1080p", "format: streaming_8k"))
    code, out, _ = _run("validate", str(tmp_path), "--json")
    document = json.loads(out)
    assert code == 1 and document["valid"] is False
    (error,) = [i for i in document["issues"] if i["severity"] == "error"]
    assert error["path"] == "outputs[0].format" and error["line"] == 14


def test_strict_fails_on_warnings(tmp_path: Path) -> None:
    write_production(
        tmp_path,
        TINY_PRODUCTION.replace("{name: Stage, preset: studio}", "{name: Stage, preset: studio, hdri: nowhere}"),
    )
    assert _run("validate", str(tmp_path))[0] == 0
    assert _run("validate", str(tmp_path), "--strict")[0] == 1


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (b"", 2, "is empty"),
        (b"production: [", 2, "not valid YAML"),
        (b"- 1\n- 2\n", 2, "must be a mapping"),
        (b"\x00\x01\x02binary", 2, "binary file"),
        (TINY_PRODUCTION.replace("duration: 2}", "duration: -5}", 1).encode(), 1, "out of range"),
        (
            TINY_PRODUCTION.replace("resolution: [64, 36]", "resolution: [1000000000, 36]").encode(),
            1,
            "less than or equal to 16384",
        ),
        (TINY_PRODUCTION.replace("scenes_1_end", "scenes_10_1").encode(), 1, "ends before it starts"),
        (
            TINY_PRODUCTION.replace('path: "output/web/"', 'path: "../../etc/passwd"').encode(),
            1,
            "leaves the production folder",
        ),
    ],
)
def test_bad_input_clear_error_nothing_written(tmp_path: Path, content: bytes, code: int, message: str) -> None:
    (tmp_path / "production.yaml").write_bytes(content)
    before = _files(tmp_path)
    for command in (["validate", str(tmp_path)], ["run", str(tmp_path)]):
        exit_code, out, err = _run(*command)
        assert exit_code == code, (command, out, err)
        assert message in out + err
        assert "Traceback" not in out + err
    assert _files(tmp_path) == before


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = _run("info", str(tmp_path / "nowhere"))
    assert code == 2 and "does not exist" in err


def test_info_and_list(tiny_production: Path) -> None:
    code, out, _ = _run("info", str(tiny_production), "--json")
    info = json.loads(out)
    assert code == 0 and [s["id"] for s in info["shots"]] == ["s001_wide_hero", "s001_close_up_hero"]
    code, out, _ = _run("list", str(tiny_production.parent), "--json")
    (row,) = json.loads(out)
    assert code == 0 and row["title"] == "Tiny" and row["valid"] is True


def test_dry_run_plans_and_changes_nothing(
    tiny_production: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "never_created"))
    before = _files(tiny_production)
    code, out, _ = _run("run", str(tiny_production), "--dry-run", "--json")
    plan = json.loads(out)
    assert code == 0
    assert [s["status"] for s in plan["shots"]] == ["missing", "missing"]
    assert plan["frames_to_render"] == 4 and plan["deliver"] is True
    assert plan["groups"][0] == ["production_config"]
    assert _files(tiny_production) == before
    assert not (tmp_path / "never_created").exists()


def test_unknown_only_shot_is_a_usage_error(tiny_production: Path) -> None:
    code, _, err = _run("run", str(tiny_production), "--only", "nope")
    assert code == 2 and "unknown shot id(s): nope" in err


@pytest.mark.parametrize("template", ["short_film", "commercial", "game_assets"])
def test_create_copies_a_template_that_validates_clean(tmp_path: Path, template: str) -> None:
    target = tmp_path / f"my_{template}"
    code, out, _ = _run("create", str(target), "--template", template)
    assert code == 0, out
    code, out, err = _run("validate", str(target), "--strict")
    assert code == 0, out + err
    assert "# " in (target / "production.yaml").read_text(), "comments are kept"
    assert _run("create", str(target))[0] == 2, "an existing folder is never overwritten"


def test_created_production_runs(tmp_path: Path, dagster_home: Path) -> None:
    target = tmp_path / "spot"
    assert _run("create", str(target), "--template", "game_assets")[0] == 0
    path = target / "production.yaml"
    path.write_text(
        path.read_text()
        .replace("resolution: [640, 640]", "resolution: [64, 64]")
        .replace("quality: preview", "quality: final")
        .replace("samples: 8", "samples: 1")
        .replace("duration: 12", "duration: 2")
    )
    env = {**os.environ, "DAGSTER_HOME": str(dagster_home)}
    done = subprocess.run(
        [sys.executable, "-m", "production_assets", "run", str(target), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert (
        result["success"] and result["completed_shot_ids"] == ["knight_turnaround"] and result["shots_completed"] == 1
    )
    assert (target / "output" / "gameboy" / "knight_turnaround" / "knight_turnaround.gif").is_file()


def test_published_schema_is_current() -> None:
    published = json.loads((REPO / "configs" / "production.schema.json").read_text())
    assert published == production_file_schema(), "run: production schema > configs/production.schema.json"


def test_clean_removes_shots_no_longer_in_the_yaml_and_superseded_versions(
    tiny_production: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shots = tiny_production / "build" / "shots"
    production = load_validated(tiny_production).require_resolved()
    wanted = {shot.id: render_job(production, shot.id).data_version for shot in production.shots}
    for shot_id, version in [*wanted.items(), ("s001_wide_hero", "0ld0ld0ld0ld0ld0"), ("s009_gone_shot", "abc")]:
        frames = shots / shot_id / "renders" / version / "frames"
        frames.mkdir(parents=True)
        (frames / "frame_0001.png").write_bytes(b"x" * 1000)
    (shots / "notes.txt").write_text("not a shot folder")
    code, out, _ = _run("clean", str(tiny_production), "--dry-run", "--json", env={"DAGSTER_HOME": str(home)})
    assert code == 0 and json.loads(out)["removed"] == [
        "shots/s009_gone_shot",
        "shots/s001_wide_hero/renders/0ld0ld0ld0ld0ld0",
    ]
    assert (shots / "s009_gone_shot").is_dir()
    code, out, _ = _run("clean", str(tiny_production), env={"DAGSTER_HOME": str(home)})
    assert code == 0 and "removed build/shots/s009_gone_shot/" in out
    assert sorted(p.name for p in shots.iterdir()) == ["notes.txt", "s001_close_up_hero", "s001_wide_hero"]
    assert sorted(p.name for p in (shots / "s001_wide_hero" / "renders").iterdir()) == [wanted["s001_wide_hero"]]
