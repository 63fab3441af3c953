from __future__ import annotations

from pathlib import Path

import pytest

from production_assets.errors import ConfigError
from production_assets.loading.production_file import SchemaError, load_production
from production_assets_tests.conftest import TINY_PRODUCTION, write_production


def test_loads_a_valid_production_with_positions(tiny_production: Path) -> None:
    config = load_production(tiny_production)
    assert config.title == "Tiny"
    assert [s.template for s in config.shots] == ["wide", "close_up"]
    assert config.source is not None
    location = config.source.locate(("production", "shots", 1, "template"))
    assert location is not None and (location.line, location.column) == (11, 18)


def test_file_and_folder_load_the_same(tiny_production: Path) -> None:
    assert load_production(tiny_production / "production.yaml").shots == load_production(tiny_production).shots


def test_wrong_type_reports_line_and_column(tmp_path: Path) -> None:
    path = write_production(tmp_path, TINY_PRODUCTION.replace("samples: 1", "samples: many"))
    with pytest.raises(SchemaError) as caught:
        load_production(path)
    (issue,) = caught.value.result.issues
    assert issue.path == "render_settings.samples"
    assert (issue.line, issue.column) == (12, 46)
    assert "valid integer" in issue.message


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    path = write_production(tmp_path, TINY_PRODUCTION.replace("  style:", "  stlye:"))
    with pytest.raises(SchemaError) as caught:
        load_production(path)
    (issue,) = caught.value.result.issues
    assert issue.message == "unknown key 'stlye'"
    assert issue.suggestion == "did you mean 'style'?"
    assert (issue.line, issue.column) == (4, 3)


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("", "is empty"),
        ("production: [unclosed\n", "not valid YAML"),
        ("- a\n- b\n", "must be a mapping"),
        ("title: x\n", "no `production:` key"),
        ("production: !!python/object:os.system {}\n", "unsupported YAML tag"),
        ("production:\n  title: !!binary aGVsbG8=\n", "unsupported YAML tag"),
    ],
)
def test_unreadable_documents_are_config_errors(tmp_path: Path, text: str, pattern: str) -> None:
    path = write_production(tmp_path, text)
    with pytest.raises(ConfigError, match=pattern):
        load_production(path)


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    path = write_production(tmp_path, "\n".join(lines) + "\nproduction: {title: t, description: *a8}\n")
    with pytest.raises(ConfigError, match="alias bomb"):
        load_production(path)


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = write_production(tmp_path, "production: " + "[" * 200 + "]" * 200 + "\n")
    with pytest.raises(ConfigError, match="nested deeper"):
        load_production(path)


def test_binary_and_bad_encoding_are_refused(tmp_path: Path) -> None:
    (tmp_path / "bin.yaml").write_bytes(b"production:\x00\x01")
    with pytest.raises(ConfigError, match="binary"):
        load_production(tmp_path / "bin.yaml")
    (tmp_path / "latin.yaml").write_bytes(b"production:\n  title: caf\xe9\n")
    with pytest.raises(ConfigError, match=r"not valid UTF-8") as caught:
        load_production(tmp_path / "latin.yaml")
    assert caught.value.location is not None and caught.value.location.line == 2


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(ConfigError, match="MiB"):
        load_production(path)


def test_directory_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="holds no production.yaml"):
        load_production(tmp_path)
    with pytest.raises(ConfigError, match="does not exist"):
        load_production(tmp_path / "nope.yaml")


def test_folder_merges_sections_and_shot_list(tmp_path: Path) -> None:
    folder = tmp_path / "film"
    write_production(
        folder,
        TINY_PRODUCTION.replace(
            "  style: {preset: cinematic}\n", '  style: {preset: cinematic}\n  shot_list: "more_shots.yaml"\n'
        ),
    )
    (folder / "more_shots.yaml").write_text("- {template: medium, scene: 1, character: Hero, duration: 2}\n")
    (folder / "characters").mkdir()
    (folder / "characters" / "villain.yaml").write_text("- {name: Villain}\n")
    config = load_production(folder)
    assert [c.name for c in config.characters] == ["Hero", "Villain"]
    assert [s.template for s in config.shots] == ["wide", "close_up", "medium"]
    assert config.source is not None
    merged = config.source.locate(("production", "characters", 1, "name"))
    assert merged is not None and merged.file.endswith("villain.yaml") and merged.line == 1
