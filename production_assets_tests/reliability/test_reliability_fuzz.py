"""Property-based fuzzing of the loader, the validators and `production validate`.

Whatever the YAML (random documents, raw text or bytes, mutations of a valid
production), loading + validating ends in a ValidationResult or a clean
ProductionError, in bounded time, and writes no file.
"""

from __future__ import annotations

import copy
import os
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_support import tree

from production_assets.cli import cli
from production_assets.errors import ProductionError
from production_assets.loading.presets import load_presets
from production_assets.loading.production_file import load_production
from production_assets.model.results import ValidationResult
from production_assets.validation.validators import validate_production
from production_assets_tests.conftest import TINY_PRODUCTION

SECONDS_PER_EXAMPLE = 2.0
FUZZ = settings(
    max_examples=400,
    deadline=timedelta(seconds=SECONDS_PER_EXAMPLE),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)
KNOWN_KEYS = (
    "production",
    "title",
    "characters",
    "locations",
    "shots",
    "outputs",
    "render_settings",
    "style",
    "name",
    "model",
    "wardrobe",
    "preset",
    "hdri",
    "set_file",
    "template",
    "scene",
    "character",
    "location",
    "duration",
    "id",
    "camera",
    "path",
    "format",
    "codec",
    "resolution",
    "retro",
    "palette",
    "script",
    "shot_list",
    "samples",
    "frame_rate",
    "quality",
    "max_frames_per_shot",
    "threads",
    "seed",
    "script_coverage",
)
HOSTILE_TEXT = (
    "..",
    "../../..",
    "/etc/passwd",
    "/dev/zero",
    "~root",
    "a/../../b.blend",
    "$(touch pwned)",
    "`id`",
    "; rm -rf ~",
    "a\nb",
    "\x00",
    "C:\\Windows",
    "builtin:",
    "builtin:mannequin",
    "nul.blend",
    "../outside.yaml",
    "%s%n",
    "\u202e",
    "scenes_1_end",
    "s001_wide_hero",
    "cinematic",
    "studio",
    "streaming_1080p",
    "Hero",
    "Stage",
    "2s",
    "1e9s",
)
EXTREME_NUMBERS = (0, -1, 1, 2**31, 2**63, -(2**63), 10**30, 1e308, -1e308, float("inf"), float("nan"), 1e-320, 0.5)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=16)
    | st.sampled_from(HOSTILE_TEXT)
    | st.sampled_from(EXTREME_NUMBERS)
)
keys = st.sampled_from(KNOWN_KEYS) | st.text(max_size=10)
documents = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5),
    max_leaves=24,
)
VALID = yaml.safe_load(TINY_PRODUCTION)


@pytest.fixture(scope="module", autouse=True)
def warm_presets() -> None:
    """Presets are read once per process; read them before timing examples."""
    load_presets()


def check_load_and_validate(folder: Path, name: str = "production.yaml") -> ValidationResult | ProductionError:
    """Load + validate ``folder/name``: a ValidationResult or a ProductionError, quickly, nothing written."""
    before = tree(folder)
    started = time.monotonic()
    try:
        outcome: ValidationResult | ProductionError = validate_production(load_production(folder / name))
    except ProductionError as error:
        outcome = error
        assert str(error)
    assert time.monotonic() - started < SECONDS_PER_EXAMPLE
    assert tree(folder) == before, "loading or validating wrote a file"
    return outcome


def fuzz_folder(tmp_path: Path) -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(dir=tmp_path)


@FUZZ
@given(document=documents, wrap=st.booleans())
def test_any_yaml_document_gives_a_result_or_a_clean_error(tmp_path: Path, figures, document: Any, wrap: bool) -> None:
    figures.add("fuzz_examples")
    with fuzz_folder(tmp_path) as folder:
        path = Path(folder) / "production.yaml"
        path.write_text(yaml.safe_dump({"production": document} if wrap else document, allow_unicode=True))
        check_load_and_validate(Path(folder))


@settings(FUZZ, max_examples=200)
@given(
    text=st.text(max_size=400)
    | st.sampled_from(("production:\n  title: *x\n", "production: !!str &a\n", "%YAML 9.9\n---\n"))
)
def test_any_text_gives_a_result_or_a_clean_error(tmp_path: Path, figures, text: str) -> None:
    figures.add("fuzz_examples")
    with fuzz_folder(tmp_path) as folder:
        (Path(folder) / "production.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
        check_load_and_validate(Path(folder))


@settings(FUZZ, max_examples=600)
@given(data=st.binary(max_size=400))
def test_any_bytes_give_a_result_or_a_clean_error(tmp_path: Path, figures, data: bytes) -> None:
    figures.add("fuzz_examples")
    with fuzz_folder(tmp_path) as folder:
        (Path(folder) / "production.yaml").write_bytes(data)
        check_load_and_validate(Path(folder))


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a nested dict/list, parents first."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, prefix + (key,)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, prefix + (index,)))
    return found


def _parent(document: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        document = document[part]
    return document


@st.composite
def mutated_productions(draw: st.DrawFn) -> str:
    """The tiny valid production with 1-4 mutations: drop, duplicate, retype, hostile strings, extreme numbers."""
    document = copy.deepcopy(VALID)
    duplicate_keys: list[str] = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = [path for path in _paths(document) if path]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, last = _parent(document, path), path[-1]
        action = draw(st.sampled_from(("drop", "duplicate", "retype", "hostile", "extreme", "rename")))
        if action == "drop":
            del parent[last]
        elif action == "duplicate":
            if isinstance(parent, list):
                parent.append(copy.deepcopy(parent[last]))
            else:
                duplicate_keys.append(str(last))
        elif action == "retype":
            parent[last] = draw(documents)
        elif action == "hostile":
            parent[last] = draw(st.sampled_from(HOSTILE_TEXT) | st.text(max_size=30))
        elif action == "extreme":
            parent[last] = draw(st.sampled_from(EXTREME_NUMBERS))
        elif isinstance(parent, dict):
            parent[draw(keys)] = parent.pop(last)
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    for key in duplicate_keys:
        text = text.replace(f"  {key}:", f"  {key}: null\n  {key}:", 1)
    return text


@settings(FUZZ, max_examples=600)
@given(text=mutated_productions())
def test_any_mutation_of_a_valid_production_gives_a_result_or_a_clean_error(tmp_path: Path, figures, text: str) -> None:
    figures.add("fuzz_examples")
    with fuzz_folder(tmp_path) as folder:
        (Path(folder) / "production.yaml").write_text(text, encoding="utf-8")
        check_load_and_validate(Path(folder))


@settings(FUZZ, max_examples=120)
@given(text=mutated_productions() | documents.map(lambda d: yaml.safe_dump({"production": d})))
def test_validate_command_never_crashes_or_writes(tmp_path: Path, figures, text: str) -> None:
    """`production validate` and `production info` through click: exit 0/1/2, no traceback, nothing written."""
    figures.add("fuzz_examples")
    with fuzz_folder(tmp_path) as folder:
        path = Path(folder) / "production.yaml"
        path.write_text(text, encoding="utf-8")
        before, cwd_before = tree(Path(folder)), sorted(os.listdir(Path.cwd()))
        for command in (["validate", str(path)], ["validate", "--json", folder], ["info", str(path)]):
            result = CliRunner().invoke(cli, command)
            assert result.exit_code in (0, 1, 2), result.output
            assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
            assert "Traceback" not in result.output
        assert tree(Path(folder)) == before
        assert sorted(os.listdir(Path.cwd())) == cwd_before


REFERENCE_FIELDS = (
    ("characters", 0, "model"),
    ("characters", 0, "name"),
    ("characters", 0, "wardrobe", "scenes_1_end"),
    ("locations", 0, "name"),
    ("locations", 0, "preset"),
    ("locations", 0, "hdri"),
    ("locations", 0, "set_file"),
    ("shots", 0, "template"),
    ("shots", 0, "character"),
    ("shots", 0, "location"),
    ("shots", 0, "id"),
    ("shots", 0, "duration"),
    ("outputs", 0, "path"),
    ("outputs", 0, "name"),
    ("outputs", 0, "format"),
    ("outputs", 0, "retro"),
    ("style", "preset"),
    ("script",),
    ("shot_list",),
)


def test_every_reference_field_with_every_hostile_string(tmp_path: Path, figures) -> None:
    """Each path/name/reference field set to each hostile string (``..``, /etc/passwd, NUL, newlines, ...)."""
    for field_path in REFERENCE_FIELDS:
        for value in (text for text in HOSTILE_TEXT if "\x00" not in text):
            figures.add("fuzz_examples")
            document = copy.deepcopy(VALID)
            target = document["production"]
            for part in field_path[:-1]:
                target = target[part]
            target[field_path[-1]] = {"palette": value} if field_path[-1] == "retro" else value
            with fuzz_folder(tmp_path) as folder:
                (Path(folder) / "production.yaml").write_text(yaml.safe_dump(document, allow_unicode=True))
                check_load_and_validate(Path(folder))


@pytest.mark.parametrize(
    "field_path", [("characters", 0, "model"), ("outputs", 0, "path"), ("script",), ("shot_list",)]
)
def test_a_nul_in_a_path_field_is_a_clean_error(tmp_path: Path, field_path: tuple) -> None:
    document = copy.deepcopy(VALID)
    target = document["production"]
    for part in field_path[:-1]:
        target = target[part]
    target[field_path[-1]] = "a\x00b.blend"
    (tmp_path / "production.yaml").write_text(yaml.safe_dump(document))
    check_load_and_validate(tmp_path)


def test_the_unmutated_production_is_valid(tmp_path: Path) -> None:
    """The fuzzers start from a production that is valid, so mutations are what makes it fail."""
    (tmp_path / "production.yaml").write_text(TINY_PRODUCTION)
    outcome = check_load_and_validate(tmp_path)
    assert isinstance(outcome, ValidationResult) and outcome.is_valid()
