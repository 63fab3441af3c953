from __future__ import annotations

from pathlib import Path

from production_assets.loading.production_file import load_production
from production_assets.validation.validators import validate_file, validate_production
from production_assets_tests.conftest import TINY_PRODUCTION, write_production


def _issues(tmp_path: Path, text: str) -> list:
    return validate_production(load_production(write_production(tmp_path, text))).issues


def test_tiny_production_is_valid(tiny_production: Path) -> None:
    result = validate_production(load_production(tiny_production))
    assert result.is_valid(strict=True), [i.format() for i in result.issues]


def test_unknown_character_is_reported_with_position_and_suggestion(tmp_path: Path) -> None:
    text = TINY_PRODUCTION.replace("close_up, scene: 1, character: Hero", "close_up, scene: 1, character: Heor")
    (issue,) = [i for i in _issues(tmp_path, text) if i.severity == "error"]
    assert issue.path == "shots[1].character"
    assert issue.message == "unknown character 'Heor'"
    assert issue.suggestion == "did you mean 'Hero'?"
    assert (issue.line, issue.column) == (11, 49)
    assert issue.format().startswith(f"{tmp_path / 'production.yaml'}:11:49: error: unknown character 'Heor'")


def test_all_issues_in_one_pass(tmp_path: Path) -> None:
    text = (
        TINY_PRODUCTION.replace("template: wide", "template: wdie")
        .replace("preset: studio", "preset: stduio")
        .replace("format: streaming_1080p", "format: streaming_4k")
        .replace("preset: cinematic", "preset: cinematc")
    )
    errors = {i.path: i for i in _issues(tmp_path, text) if i.severity == "error"}
    assert set(errors) == {"shots[0].template", "locations[0].preset", "outputs[0].format", "style.preset"}
    assert errors["shots[0].template"].suggestion == "did you mean 'wide'?"
    assert errors["style.preset"].suggestion == "did you mean 'cinematic'?"


def test_missing_model_file_and_escaping_paths(tmp_path: Path) -> None:
    text = TINY_PRODUCTION.replace('model: "builtin:mannequin"', 'model: "assets/hero.blend"').replace(
        'path: "output/web/"', 'path: "../../etc/"'
    )
    errors = {i.path: i.message for i in _issues(tmp_path, text) if i.severity == "error"}
    assert errors["characters[0].model"] == "file 'assets/hero.blend' does not exist"
    assert errors["outputs[0].path"] == "output path '../../etc/' leaves the production folder"


def test_model_path_that_is_a_folder_or_outside(tmp_path: Path) -> None:
    (tmp_path / "hero.blend").mkdir()
    text = TINY_PRODUCTION.replace('model: "builtin:mannequin"', 'model: "hero.blend"')
    errors = {i.path: i.message for i in _issues(tmp_path, text) if i.severity == "error"}
    assert errors["characters[0].model"] == "'hero.blend' is a folder, expected a file"
    escaping = TINY_PRODUCTION.replace('model: "builtin:mannequin"', 'model: "../../outside.blend"')
    errors = {i.path: i.message for i in _issues(tmp_path / "sub", escaping) if i.severity == "error"}
    assert "points outside the production folder" in errors["characters[0].model"]


def test_duplicate_names(tmp_path: Path) -> None:
    text = TINY_PRODUCTION.replace(
        "    - {name: Stage, preset: studio}\n",
        "    - {name: Stage, preset: studio}\n    - {name: Stage, preset: interior}\n",
    )
    errors = {i.path: i.message for i in _issues(tmp_path, text) if i.severity == "error"}
    assert errors["locations[1].name"] == "duplicate location name 'Stage'"


def test_wardrobe_overlap_and_gap(tmp_path: Path) -> None:
    text = TINY_PRODUCTION.replace("{scenes_1_end: hero_casual}", "{scenes_2_5: hero_casual, scenes_4_8: hero_formal}")
    issues = _issues(tmp_path, text)
    messages = {i.message for i in issues}
    assert "wardrobe ranges scenes_2_5 and scenes_4_8 overlap" in messages
    assert any("appears in scene 1 but no wardrobe range covers it" in m for m in messages)


def test_unknown_hdri_is_a_warning_not_an_error(tmp_path: Path) -> None:
    text = TINY_PRODUCTION.replace("{name: Stage, preset: studio}", "{name: Stage, preset: studio, hdri: nowhere_4k}")
    issues = _issues(tmp_path, text)
    assert [i.severity for i in issues if i.path == "locations[0].hdri"] == ["warning"]
    assert not [i for i in issues if i.severity == "error"]


def test_a_schema_error_does_not_hide_the_errors_of_the_parts_that_parsed(tmp_path: Path) -> None:
    """A typo in one shot and an unknown character in the next come out in one run, each at its own line."""
    text = (
        TINY_PRODUCTION.replace(
            "{template: wide, scene: 1, character: Hero, duration: 2}",
            "{template: wide, scene: 1, character: Hero, duraton: 2}",
        )
        .replace("close_up, scene: 1, character: Hero", "close_up, scene: 1, character: Heor")
        .replace("    - {name: Stage, preset: studio}", "    - {name: Stage, preset: studio}\n    - {preset: studio}")
    )
    path = write_production(tmp_path, text)
    result, config = validate_file(path)
    assert config is None
    found = {(issue.path, issue.line, issue.message) for issue in result.errors}
    assert found == {
        ("shots[0].duraton", 11, "unknown key 'duraton'"),
        ("locations[1].name", 9, "locations[1].name is required"),
        ("shots[1].character", 12, "unknown character 'Heor'"),
    }, [issue.format() for issue in result.issues]


def test_a_short_or_empty_pair_is_reported_with_the_rest_of_the_production(tmp_path: Path) -> None:
    """Found by the fuzz suite: `resolution: [null]` gives two errors on one tuple, and the partial
    production behind the other families must survive both."""
    for written, expected in (
        ("[null]", {"render_settings.resolution[0]", "render_settings.resolution"}),
        ("[64]", {"render_settings.resolution"}),
    ):
        text = TINY_PRODUCTION.replace("resolution: [64, 36], frame_rate: 24", f"resolution: {written}, frame_rate: 24")
        text = text.replace("character: Hero, duration: 2}", "character: Heor, duration: 2}", 1)
        result, _ = validate_file(write_production(tmp_path / written.strip("[]"), text))
        messages = {issue.path: issue.message for issue in result.errors}
        assert set(messages) == expected | {"shots[0].character"}, messages
        assert messages["render_settings.resolution"] == (
            "render_settings.resolution has too few values: value 2 is missing"
        )


def test_a_dropped_list_item_keeps_the_paths_and_lines_of_the_items_after_it(tmp_path: Path) -> None:
    text = TINY_PRODUCTION.replace(
        "{template: wide, scene: 1, character: Hero, duration: 2}", "{scene: 1, character: Hero, duration: 2}"
    ).replace("close_up, scene: 1, character: Hero", "close_up, scene: 1, character: Heor")
    result, _ = validate_file(write_production(tmp_path, text))
    assert {(i.path, i.line) for i in result.errors} == {("shots[0].template", 10), ("shots[1].character", 11)}


def test_a_corrupt_model_file_is_an_error_at_its_model_line(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "hero.glb").write_bytes(bytes(range(256)) * 8)
    text = TINY_PRODUCTION.replace('model: "builtin:mannequin"', 'model: "assets/hero.glb"').replace(
        ", wardrobe: {scenes_1_end: hero_casual}", ""
    )
    (issue,) = [i for i in _issues(tmp_path, text) if i.severity == "error"]
    assert (issue.path, issue.line) == ("characters[0].model", 6)
    assert issue.message == "'assets/hero.glb' is not a binary glTF file (no glTF header)"
