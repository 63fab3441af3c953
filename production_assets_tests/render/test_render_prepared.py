"""Prepared characters and locations: built once into .blend files, reused by shots, published atomically."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pydantic import ValidationError
from render_jobs import WORKER_TIMEOUT_S, load_presets, make_job, run_worker, worker_env, write_job

from production_assets.model.layout import Layout
from production_assets.model.presets import LocationPreset, WardrobeLook
from production_assets.render.prepare_contract import (
    PREPARE_METADATA_KEYS,
    PrepareJob,
    character_prepare_job,
    location_prepare_job,
)

GREEN = (0.05, 0.8, 0.05)
GREEN_LOOK = WardrobeLook(primary_color=GREEN, secondary_color=GREEN, skin_color=GREEN)


def run_prepare(cwd: Path, *jobs: PrepareJob, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "production_assets.render.prepare"]
    for index, job in enumerate(jobs):
        path = cwd / f"prepare_{index}.json"
        path.write_text(job.model_dump_json(), encoding="utf-8")
        command += ["--job", str(path)]
    return subprocess.run(
        command, cwd=cwd, env={**worker_env(), **(env or {})}, capture_output=True, text=True, timeout=WORKER_TIMEOUT_S
    )


def location(name: str) -> LocationPreset:
    return LocationPreset.model_validate(load_presets("locations")[name])


def read_image(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"), dtype=np.float64)


def green_fraction(image: np.ndarray) -> float:
    red, green, blue = image[..., 0], image[..., 1], image[..., 2]
    return float(np.mean((green > red + 25) & (green > blue + 25)))


def test_shots_from_prepared_files_match_shots_built_in_process(tmp_path: Path) -> None:
    casual = WardrobeLook.model_validate(load_presets("wardrobes")["hero_casual"])
    character_blend = Layout(tmp_path).prepared_blend("character", "Actor0")
    location_blend = Layout(tmp_path).prepared_blend("location", "Warehouse")
    prepare_character = character_prepare_job(
        "Actor0", "builtin:mannequin", {"hero_casual": casual, "green": GREEN_LOOK}, character_blend, "char-v1"
    )
    prepare_location = location_prepare_job("Warehouse", location("industrial"), location_blend, "loc-v1")

    prepared = run_prepare(tmp_path, prepare_character, prepare_location)

    assert prepared.returncode == 0, prepared.stderr
    reports = [json.loads(line) for line in prepared.stdout.splitlines()]
    assert [set(report) for report in reports] == [set(PREPARE_METADATA_KEYS)] * 2
    assert [(r["kind"], r["name"], r["data_version"]) for r in reports] == [
        ("character", "Actor0", "char-v1"),
        ("location", "Warehouse", "loc-v1"),
    ]
    assert reports[0]["looks"] == ["hero_casual", "green"]
    assert reports[0]["materials"] >= 10
    assert reports[1]["objects"] >= 5
    assert all(report["bytes"] == Path(report["output_blend"]).stat().st_size > 0 for report in reports)
    built = make_job(tmp_path / "built", "medium", samples=2)
    built.characters[0].look_name = "hero_casual"
    from_files = built.model_copy(
        update={
            "frames_dir": str(tmp_path / "from_files" / "frames"),
            "staging_dir": str(tmp_path / "from_files" / "staging"),
            "location_name": "Warehouse",
            "characters": [built.characters[0].model_copy(update={"prepared_blend": str(character_blend)})],
        }
    )
    green_by_name = from_files.model_copy(
        update={
            "frames_dir": str(tmp_path / "green" / "frames"),
            "staging_dir": str(tmp_path / "green" / "staging"),
            "characters": [from_files.characters[0].model_copy(update={"look_name": "green"})],
        }
    )
    green_unprepared = green_by_name.model_copy(
        update={
            "frames_dir": str(tmp_path / "unprepared" / "frames"),
            "staging_dir": str(tmp_path / "unprepared" / "staging"),
            "characters": [
                from_files.characters[0].model_copy(update={"look_name": "not_prepared", "look": GREEN_LOOK})
            ],
        }
    )
    job_paths = [write_job(job) for job in (built, from_files, green_by_name, green_unprepared)]

    rendered = run_worker(tmp_path, *job_paths, "--location-blend", f"Warehouse={location_blend}")

    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stderr.count(f"location from {location_blend}") == 3
    jobs = (built, from_files, green_by_name, green_unprepared)
    images = [read_image(Path(job.frames_dir) / "frame_0001.png") for job in jobs]
    assert images[0].std() > 10
    assert np.abs(images[0] - images[1]).mean() < 1.0
    assert green_fraction(images[0]) == 0.0
    assert green_fraction(images[2]) > 0.02
    assert green_fraction(images[3]) > 0.02
    assert "look 'not_prepared' is not in" in (Path(green_unprepared.frames_dir).parent / "render.log").read_text()


def test_a_crash_while_publishing_keeps_the_previous_file(tmp_path: Path) -> None:
    output = tmp_path / "build" / "locations" / "Set.blend"
    first = run_prepare(tmp_path, location_prepare_job("Set", location("studio"), output, "v1"))
    assert first.returncode == 0, first.stderr
    original = output.read_bytes()

    crashed = run_prepare(
        tmp_path,
        location_prepare_job("Set", location("industrial"), output, "v2"),
        env={"PRODUCTION_PREPARE_CRASH_BEFORE_PUBLISH": "1"},
    )

    assert crashed.returncode == -signal.SIGABRT
    assert output.read_bytes() == original
    assert sorted(path.name for path in output.parent.iterdir() if not path.name.startswith(".")) == ["Set.blend"]

    again = run_prepare(tmp_path, location_prepare_job("Set", location("industrial"), output, "v2"))

    assert again.returncode == 0, again.stderr
    assert output.read_bytes() != original
    assert [path.name for path in output.parent.iterdir()] == ["Set.blend"]


def test_a_missing_model_fails_with_one_line_and_publishes_nothing(tmp_path: Path) -> None:
    output = tmp_path / "build" / "characters" / "Ghost.blend"
    job = character_prepare_job("Ghost", str(tmp_path / "ghost.glb"), {"default": WardrobeLook()}, output, "v1")

    result = run_prepare(tmp_path, job)

    assert result.returncode == 1
    expected = r"prepare: error: character 'Ghost' failed: CharacterLoadError: .*ghost\.glb.*\n"
    assert re.fullmatch(expected, result.stderr)
    assert not output.exists()


def test_an_invalid_prepare_job_file_exits_2(tmp_path: Path) -> None:
    job_path = tmp_path / "prepare.json"
    job_path.write_text('{"kind": "character", "name": "Hero"}', encoding="utf-8")
    command = [sys.executable, "-m", "production_assets.render.prepare", "--job", str(job_path)]

    result = subprocess.run(command, env=worker_env(), capture_output=True, text=True, timeout=WORKER_TIMEOUT_S)

    assert result.returncode == 2
    assert re.fullmatch(r"prepare: error: job file .* is not a valid prepare job \(.+\)\n", result.stderr)


def test_prepare_contract_checks_kind_payload_and_path() -> None:
    looks = {"default": WardrobeLook()}
    with pytest.raises(ValidationError, match="absolute path ending in .blend"):
        character_prepare_job("Hero", "builtin:mannequin", looks, "relative/Hero.blend", "v1")
    with pytest.raises(ValidationError, match="a location job needs 'location'"):
        PrepareJob(kind="location", name="Set", data_version="v1", output_blend="/tmp/Set.blend")
    with pytest.raises(ValidationError, match="looks"):
        character_prepare_job("Hero", "builtin:mannequin", {}, "/tmp/Hero.blend", "v1")


def test_prepare_contract_imports_without_bpy() -> None:
    code = "import sys, production_assets.render.prepare_contract, production_assets.render.shot_log; "
    code += "assert 'bpy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, env=worker_env(), timeout=60)
