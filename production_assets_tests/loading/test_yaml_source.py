"""Safe YAML reading: the same refusal, message and position on every PyYAML version.

PyYAML 6.0.4's wheels bundle libyaml 0.2.6, which stops nesting at 1000 levels with its own
wording; older wheels have no limit. The user must see the project's message either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from production_assets.errors import ConfigError
from production_assets.loading import yaml_source
from production_assets.loading.yaml_source import MAX_DEPTH, MAX_VALUES, load_yaml

PREFIX = "production: "
# `production:` opens level 1, so bracket number MAX_DEPTH opens the first level too deep (1-based column).
TOO_DEEP_COLUMN = len(PREFIX) + MAX_DEPTH


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "production.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def refusal(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_yaml(path)
    return caught.value


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 999, 1000, 100_000])
def test_flow_nesting_is_refused_at_the_first_level_too_deep(tmp_path: Path, levels: int) -> None:
    path = write(tmp_path, PREFIX + "[" * levels + "]" * levels + "\n")
    error = refusal(path)
    assert error.message == f"the document is nested deeper than {MAX_DEPTH} levels"
    assert error.location is not None
    assert (error.location.file, error.location.line, error.location.column) == (
        str(path),
        1,
        TOO_DEEP_COLUMN,
    )
    assert str(error).startswith(f"{path}:1:{TOO_DEEP_COLUMN}: error: the document is nested deeper")


@pytest.mark.parametrize(
    "text",
    [
        "".join(" " * level + f"k{level}:\n" for level in range(1100)) + " " * 1100 + "leaf\n",
        "".join(" " * level + "-\n" for level in range(1100)),
        "a: " + "{a: " * 1100 + "1" + "}" * 1100 + "\n",
        "a: " + "[\n" * 1100 + "]\n" * 1100,
    ],
    ids=["block_mapping", "block_sequence", "flow_mapping", "flow_sequence_per_line"],
)
def test_every_kind_of_deep_nesting_gets_the_project_message(tmp_path: Path, text: str) -> None:
    error = refusal(write(tmp_path, text))
    assert error.message == f"the document is nested deeper than {MAX_DEPTH} levels"
    assert error.location is not None and error.location.line <= MAX_DEPTH + 2


def test_a_self_containing_alias_is_refused_as_too_deep(tmp_path: Path) -> None:
    error = refusal(write(tmp_path, "production: &p\n  title: x\n  shots: [*p]\n"))
    assert error.message == f"the document is nested deeper than {MAX_DEPTH} levels"
    assert error.location is not None and error.location.file.endswith("production.yaml")


def test_an_alias_bomb_is_refused_without_expanding_it(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    error = refusal(write(tmp_path, "production:\n" + "".join(f"  {line}\n" for line in lines)))
    assert error.message == f"the document expands to more than {MAX_VALUES:,} values (an alias bomb?)"
    assert error.location is not None and error.location.line == 1


def test_nesting_at_the_limit_loads(tmp_path: Path) -> None:
    data, source = load_yaml(write(tmp_path, PREFIX + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"))
    depth, value = 0, data["production"]
    while isinstance(value, list) and value:
        depth, value = depth + 1, value[0]
    assert depth == MAX_DEPTH - 2 and value == []
    assert source.locate(("production",)) is not None


def test_the_installed_parser_words_its_own_limit_as_we_map_it() -> None:
    """Catches the next wording change: libyaml either parses 1001 levels or stops with the text we map."""
    levels = 1001
    try:
        depth = max_depth_of(yaml.parse(PREFIX + "[" * levels + "]" * levels, Loader=yaml_source._Loader))
    except yaml.MarkedYAMLError as error:
        assert error.problem == yaml_source._PARSER_NESTING_PROBLEM, f"PyYAML {yaml.__version__}: {error}"
        assert error.problem_mark is not None and error.problem_mark.index < len(PREFIX) + levels
    else:
        assert depth == levels + 1


def max_depth_of(events: Iterator[yaml.Event]) -> int:
    depth = deepest = 0
    for event in events:
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
    return deepest


def parser_with_a_nesting_limit(limit: int) -> Callable[..., Iterator[yaml.Event]]:
    """``yaml.parse`` as libyaml 0.2.6 behaves on a line of brackets: it reads ahead, then stops at `limit`.

    Lets the mapping be checked where the installed PyYAML has no limit of its own; where it has one,
    the real parser runs the same path in the tests above.
    """
    real_parse = yaml.parse

    def parse(text: str, Loader: Any = yaml_source._Loader) -> Iterator[yaml.Event]:  # noqa: N803 (yaml's name)
        depth = 0
        for index, char in enumerate(text):  # noqa: B007 (the index where the loop stops is the mark)
            depth += char in "[{"
            depth -= char in "]}"
            if depth == limit:
                break
        else:
            yield from real_parse(text, Loader=Loader)
            return
        line = text.count("\n", 0, index)
        mark = yaml.Mark("<unicode string>", index, line, index - (text.rfind("\n", 0, index) + 1), None, None)
        raise yaml.scanner.ScannerError("while increasing flow level", mark, yaml_source._PARSER_NESTING_PROBLEM, mark)

    return parse


@pytest.mark.parametrize("levels", [1000, 5000])
def test_the_parser_limit_is_reported_as_the_project_error_at_the_same_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, levels: int
) -> None:
    text = 'title: "é€"\r\n' + PREFIX + "[" * levels + "]" * levels + "\n"
    path = write(tmp_path, text)
    monkeypatch.setattr(yaml, "parse", parser_with_a_nesting_limit(1000))
    error = refusal(path)
    assert error.message == f"the document is nested deeper than {MAX_DEPTH} levels"
    assert error.location is not None
    assert (error.location.line, error.location.column) == (2, TOO_DEEP_COLUMN)
