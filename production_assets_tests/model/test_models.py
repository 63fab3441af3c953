"""Every field of the production file is modelled; results round-trip through JSON."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from production_assets.loading.production_file import load_production
from production_assets.loading.resolve import resolve_production
from production_assets.model.production import RenderSettings, Shot
from production_assets.model.results import (
    ExecutionState,
    ProductionResult,
    ShotFailure,
    ShotState,
    ValidationIssue,
    ValidationResult,
)
from production_assets.validation.validators import validate_production
from production_assets_tests.conftest import write_production

FULL_PRODUCTION = """\
production:
  title: "Every Field"
  version: "2.1"
  author: "Jo Director"
  description: "Uses every key."
  created: "2026-01-01T00:00:00+00:00"
  modified: "2026-01-02T00:00:00+00:00"
  script: "scripts/film.fountain"
  script_coverage: true
  style: {preset: noir, era: 1940s, mood: tense}
  characters:
    - name: Hero
      model: "builtin:mannequin"
      wardrobe: {scenes_1_1: hero_casual, scene_2: hero_formal, scenes_3_end: villain_coat}
      scale: 1.1
      height: 1.75
    - {name: Villain, model: "assets/villain.obj"}
  locations:
    - {name: Office, preset: interior, hdri: "assets/night.hdr", set_file: "assets/office.blend"}
    - {name: Street, preset: exterior}
  shot_list: "more_shots.yaml"
  shots:
    - {id: opening, template: establishing_wide, scene: 1, location: Office, duration: "1s", notes: "slow push"}
    - {template: two_shot, scene: 2, characters: [Hero, Villain], duration: 12,
       camera: {lens: 40, angle: 5, height: 0.2, yaw: 10, move: orbit}}
  render_settings:
    engine: workbench
    samples: 4
    resolution: [320, 180]
    resolution_percentage: 50
    quality: final
    frame_rate: 25
    max_frames_per_shot: 6
    threads: 2
    seed: 7
  outputs:
    - {name: master, format: cinema_2k, codec: prores_4444, resolution: [1024, 540], frame_rate: 25, fit: crop, path: "out/master/"}
    - {name: gb, format: gameboy, retro: {palette: "assets/custom.hex", dither: none, colors: 4, pixel_scale: 2}, path: "out/gb/"}
"""
SCRIPT = """\
Title: Film

INT. OFFICE - NIGHT

HERO
Who's there?

VILLAIN
Nobody.

EXT. STREET - DAY

HERO
Fresh air.
"""


@pytest.fixture
def full(tmp_path: Path) -> Path:
    folder = tmp_path / "full"
    write_production(folder, FULL_PRODUCTION)
    (folder / "scripts").mkdir()
    (folder / "scripts" / "film.fountain").write_text(SCRIPT)
    (folder / "assets").mkdir()
    (folder / "assets" / "villain.obj").write_text("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n")
    (folder / "assets" / "night.hdr").write_bytes(b"#?RADIANCE\n")
    (folder / "assets" / "office.blend").write_bytes(b"BLENDER-v300" + bytes(64) + b"ENDB" + bytes(20))
    (folder / "assets" / "custom.hex").write_text("0f380f\n306230\n8bac0f\n9bbc0f\n")
    (folder / "more_shots.yaml").write_text("- {template: medium, scene: 2, character: Hero, duration: 8}\n")
    return folder


def test_every_field_loads_validates_and_resolves(full: Path) -> None:
    config = load_production(full)
    result = validate_production(config)
    assert result.is_valid(), [i.format() for i in result.errors]
    resolved = resolve_production(config)
    assert resolved.render.resolution == (160, 90) and resolved.render.engine == "workbench"
    ids = [shot.id for shot in resolved.shots]
    assert "opening" in ids and "s002_medium_hero" in ids
    generated = [s for s in resolved.shots if s.template_name == "close_up" and s.scene == 1]
    assert {s.subjects[0] for s in generated} == {"Hero", "Villain"}, "script coverage: a close-up per speaker"
    street = [s for s in resolved.shots if s.scene == 2 and s.template_name == "establishing_wide"]
    assert street and street[0].location == "Street", "the scene heading picks the location"
    assert all(s.frame_count <= 6 for s in resolved.shots), "max_frames_per_shot"
    two_shot = next(s for s in resolved.shots if s.template_name == "two_shot")
    assert (two_shot.camera.lens, two_shot.camera.move) == (40, "orbit")
    assert two_shot.looks == {"Hero": "hero_formal", "Villain": "default"}
    master, gb = resolved.outputs
    assert (master.codec, master.resolution, master.fit) == ("prores_4444", (1024, 540), "crop")
    assert gb.palette == str(full / "assets" / "custom.hex") and gb.dither == "none"
    assert resolved.locations["Office"].preset.world.kind == "hdri"


def test_render_settings_quality() -> None:
    preview = RenderSettings(quality="preview", samples=64, resolution=(1920, 1080))
    assert preview.effective_resolution() == (480, 270) and preview.effective_samples() == 16
    assert RenderSettings(resolution_percentage=50, resolution=(101, 51)).effective_resolution() == (50, 26)


@pytest.mark.parametrize("duration", [0, -5, 10**9, "0s", "-2s", "soon", True])
def test_bad_durations(duration: object) -> None:
    with pytest.raises(ValidationError):
        Shot(template="wide", duration=duration)


def test_results_round_trip_through_json() -> None:
    issue = ValidationIssue(path="shots[0].character", message="m", suggestion="s", file="f.yaml", line=1, column=2)
    for value in (
        issue,
        ValidationResult(production="p", issues=[issue]),
        ProductionResult(
            production="p",
            success=False,
            failed_shots=[ShotFailure(shot_id="a", message="boom")],
            deliverables={"web": "x.mp4"},
        ),
        ExecutionState(production="p", shots=[ShotState(shot_id="a", status="stale", reason="duration 1 -> 2")]),
    ):
        assert type(value).model_validate_json(value.model_dump_json()) == value


def test_duplicate_across_folder_files_points_at_each_file(tmp_path: Path) -> None:
    folder = tmp_path / "split"
    write_production(
        folder,
        FULL_PRODUCTION.replace('  shot_list: "more_shots.yaml"\n', "").replace(
            '  script: "scripts/film.fountain"\n  script_coverage: true\n', ""
        ),
    )
    (folder / "characters").mkdir()
    (folder / "characters" / "extra.yaml").write_text("- {name: Hero}\n")
    result = validate_production(load_production(folder))
    duplicate = next(i for i in result.errors if i.message == "duplicate character name 'Hero'")
    assert duplicate.file is not None and duplicate.file.endswith("extra.yaml") and duplicate.line == 1
