"""A corpus of hostile production files, each through `production validate` AND `production run`.

Every one is refused: exit status 1 or 2, a clear message (with file:line:col
where the problem has a position), no traceback, in bounded time, and nothing
is written in the production folder or outside it. Messages are matched on the
project's own wording (our limits, the value's path and value), never on a
dependency's, so they hold on every PyYAML and pydantic version.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from reliability_support import run_cli, tree

from production_assets_tests.conftest import TINY_PRODUCTION, write_production

PRODUCTION_YAML = "production.yaml"
HUGE_BYTES = 100 * 2**20
MAX_SECONDS = 12.0


@dataclass(frozen=True)
class Hostile:
    name: str
    build: Callable[[Path, Path], None]
    message: str
    positioned: bool = True


def tiny(**replacements: str) -> str:
    text = TINY_PRODUCTION
    for old, new in replacements.items():
        assert old.replace("__", " ") in text or old in text
        text = text.replace(old.replace("__", " ") if old.replace("__", " ") in text else old, new)
    return text


def with_text(text: str) -> Callable[[Path, Path], None]:
    return lambda folder, outside: write_production(folder, text)


def with_bytes(data: bytes) -> Callable[[Path, Path], None]:
    def build(folder: Path, outside: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / PRODUCTION_YAML).write_bytes(data)

    return build


def billion_laughs(folder: Path, outside: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    write_production(folder, "production:\n  title: laughs\n" + "".join(f"  {line}\n" for line in lines))


def huge_file(folder: Path, outside: Path) -> None:
    """100 MB of YAML: a real header, the rest sparse (the size limit must refuse it before reading)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / PRODUCTION_YAML).open("wb") as handle:
        handle.write(TINY_PRODUCTION.encode() + b"# padding\n")
        handle.truncate(HUGE_BYTES)


def deep_nesting(levels: int) -> Callable[[Path, Path], None]:
    return with_text("production: " + "[" * levels + "]" * levels + "\n")


def python_object(folder: Path, outside: Path) -> None:
    marker = outside / "python_tag_ran"
    write_production(folder, f'production:\n  title: !!python/object/apply:os.system ["touch {marker}"]\n')


def with_outside_file(name: str, content: bytes, text: str) -> Callable[[Path, Path], None]:
    def build(folder: Path, outside: Path) -> None:
        (outside / name).write_bytes(content)
        write_production(folder, text)

    return build


def symlinked(link: str, target_name: str, content: bytes | None, text: str) -> Callable[[Path, Path], None]:
    """``folder/link`` is a symlink to ``outside/target_name`` (a file, or a folder when content is None)."""

    def build(folder: Path, outside: Path) -> None:
        target = outside / target_name
        if content is None:
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.write_bytes(content)
        write_production(folder, text)
        (folder / link).parent.mkdir(parents=True, exist_ok=True)
        (folder / link).symlink_to(target)

    return build


SHOTS_YAML = b"- {template: wide, scene: 1, character: Hero, duration: 2}\n"
MODEL_BLEND = b"BLENDER-v405 not really a blend"
PALETTE = b"GIMP Palette\nName: x\n#\n  0   0   0 black\n255 255 255 white\n"
RETRO_OUTPUT = '{name: snes, format: 16bit_game, path: "output/snes/", retro: {palette: "%s"}}'
WEB_OUTPUT = '    - {name: web, format: streaming_1080p, resolution: [64, 36], path: "output/web/"}'
NOT_YET_SAFE = "refused by the package? see the report"


CORPUS = [
    pytest.param(
        Hostile("billion_laughs", billion_laughs, r"more than 2,000,000 values \(an alias bomb\?\)"),
        id="billion_laughs",
    ),
    pytest.param(
        Hostile("yaml_100mb", huge_file, r"is 100 MiB; production files are limited to 16 MiB"), id="yaml_100mb"
    ),
    pytest.param(
        Hostile("deep_nesting_1000", deep_nesting(1000), r"nested deeper than 64 levels"), id="deep_nesting_1000"
    ),
    pytest.param(
        Hostile("deep_nesting_100000", deep_nesting(100_000), r"nested deeper than 64 levels"),
        id="deep_nesting_100000",
    ),
    pytest.param(
        Hostile(
            "nul_bytes", with_bytes(TINY_PRODUCTION.encode().replace(b"Tiny", b"Ti\0ny")), r"is a binary file, not YAML"
        ),
        id="nul_bytes",
    ),
    pytest.param(
        Hostile(
            "invalid_utf8",
            with_bytes(TINY_PRODUCTION.encode().replace(b"Tiny", b"Ti\xff\xfeny")),
            r"is not valid UTF-8 \(byte \d+\)",
        ),
        id="invalid_utf8",
    ),
    pytest.param(
        Hostile(
            "python_object_apply",
            python_object,
            r"unsupported YAML tag tag:yaml.org,2002:python/object/apply:os.system",
        ),
        id="python_object_apply",
    ),
    pytest.param(
        Hostile(
            "python_name",
            with_text("production:\n  title: !!python/name:os.system ''\n"),
            r"unsupported YAML tag tag:yaml.org,2002:python/name:os.system",
        ),
        id="python_name",
    ),
    pytest.param(
        Hostile(
            "binary_blob",
            with_text("production:\n  title: !!binary aGVsbG8gd29ybGQ=\n"),
            r"unsupported YAML tag tag:yaml.org,2002:binary",
        ),
        id="binary_blob",
    ),
    pytest.param(
        Hostile(
            "custom_tag_include",
            with_text("production:\n  title: !include /etc/passwd\n"),
            r"unsupported YAML tag !include",
        ),
        id="custom_tag_include",
    ),
    pytest.param(
        Hostile(
            "merge_key",
            with_text("base: &b {title: x}\nproduction:\n  <<: *b\n"),
            r"unknown top-level key 'base'|merge keys",
        ),
        id="merge_key",
    ),
    pytest.param(
        Hostile(
            "recursive_alias", with_text("production: &p\n  title: x\n  shots: [*p]\n"), r"nested deeper than 64 levels"
        ),
        id="recursive_alias",
    ),
    pytest.param(
        Hostile(
            "output_path_dotdot",
            with_text(tiny(**{'"output/web/"': '"../../escape/"'})),
            r"output path '../../escape/' leaves the production folder",
        ),
        id="output_path_dotdot",
    ),
    pytest.param(
        Hostile(
            "model_path_dotdot",
            with_outside_file("hero.blend", MODEL_BLEND, tiny(**{'"builtin:mannequin"': '"../outside/hero.blend"'})),
            r"'../outside/hero.blend' points outside the production folder",
        ),
        id="model_path_dotdot",
    ),
    pytest.param(
        Hostile(
            "script_dotdot",
            with_outside_file(
                "film.fountain",
                b"INT. STAGE - DAY\n",
                tiny(**{'version: "1.0"': 'version: "1.0"\n  script: "../outside/film.fountain"'}),
            ),
            r"'../outside/film.fountain' points outside the production folder",
        ),
        id="script_dotdot",
    ),
    pytest.param(
        Hostile(
            "shot_list_dotdot",
            with_outside_file(
                "shots.yaml",
                SHOTS_YAML,
                tiny(**{'version: "1.0"': 'version: "1.0"\n  shot_list: "../outside/shots.yaml"'}),
            ),
            r"points outside the production folder",
        ),
        id="shot_list_dotdot",
    ),
    pytest.param(
        Hostile(
            "model_etc_passwd",
            with_text(tiny(**{'"builtin:mannequin"': '"/etc/passwd"'})),
            r"'/etc/passwd' is not a supported file kind",
        ),
        id="model_etc_passwd",
    ),
    pytest.param(
        Hostile(
            "script_etc_passwd",
            with_text(tiny(**{'version: "1.0"': 'version: "1.0"\n  script: "/etc/passwd"'})),
            r"'/etc/passwd' is not a supported file kind",
        ),
        id="script_etc_passwd",
    ),
    pytest.param(
        Hostile(
            "symlink_model_outside",
            symlinked(
                "assets/hero.blend", "hero.blend", MODEL_BLEND, tiny(**{'"builtin:mannequin"': '"assets/hero.blend"'})
            ),
            r"'assets/hero.blend' points outside the production folder",
        ),
        id="symlink_model_outside",
    ),
    pytest.param(
        Hostile(
            "symlink_output_outside",
            symlinked("output", "elsewhere", None, TINY_PRODUCTION),
            r"output path 'output/web/' leaves the production folder",
        ),
        id="symlink_output_outside",
    ),
    pytest.param(
        Hostile(
            "symlink_shot_list_outside",
            symlinked(
                "shots.yaml",
                "shots.yaml",
                SHOTS_YAML,
                tiny(**{'version: "1.0"': 'version: "1.0"\n  shot_list: "shots.yaml"'}),
            ),
            r"points outside the production folder",
        ),
        id="symlink_shot_list_outside",
    ),
    pytest.param(
        Hostile(
            "palette_dotdot",
            with_outside_file(
                "p.gpl",
                PALETTE,
                tiny(**{WEB_OUTPUT: "    - " + RETRO_OUTPUT % "../outside/p.gpl"}),
            ),
            r"points outside the production folder|leaves the production folder",
        ),
        id="palette_dotdot",
    ),
    pytest.param(
        Hostile("model_path_nul", with_text(tiny(**{'"builtin:mannequin"': '"hero\\0.blend"'})), r"hero"),
        id="model_path_nul",
    ),
    pytest.param(
        Hostile("output_path_nul", with_text(tiny(**{'"output/web/"': '"output/w\\0eb/"'})), r"output"),
        id="output_path_nul",
    ),
    pytest.param(
        Hostile(
            "shot_list_nul",
            with_text(tiny(**{'version: "1.0"': 'version: "1.0"\n  shot_list: "shots\\0.yaml"'})),
            r"shot_list",
        ),
        id="shot_list_nul",
    ),
    pytest.param(
        Hostile(
            "output_name_shell",
            with_text(tiny(**{"name: web,": 'name: "web; touch pwned",'})),
            r"outputs\[0\]\.name = 'web; touch pwned': ",
        ),
        id="output_name_shell",
    ),
    pytest.param(
        Hostile(
            "output_name_newline",
            with_text(tiny(**{"name: web,": 'name: "web\\n../x",'})),
            r"outputs\[0\]\.name = 'web\\n\.\./x': ",
        ),
        id="output_name_newline",
    ),
    pytest.param(
        Hostile(
            "shot_id_shell",
            with_text(tiny(**{"duration: 2}": 'duration: 2, id: "$(touch pwned)"}'})),
            r"shots\[0\]\.id = '\$\(touch pwned\)': ",
        ),
        id="shot_id_shell",
    ),
    pytest.param(
        Hostile(
            "shot_id_traversal",
            with_text(tiny(**{"duration: 2}": 'duration: 2, id: "../../../escape"}'})),
            r"shots\[0\]\.id = '\.\./\.\./\.\./escape': ",
        ),
        id="shot_id_traversal",
    ),
    pytest.param(
        Hostile(
            "shot_id_newline",
            with_text(tiny(**{"duration: 2}": 'duration: 2, id: "a\\nb"}'})),
            r"shots\[0\]\.id = 'a\\nb': ",
        ),
        id="shot_id_newline",
    ),
]


def _message_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.search(r"\berror\b", line)]


@pytest.mark.parametrize("case", CORPUS)
def test_hostile_production_is_refused_cleanly(case: Hostile, tmp_path: Path, home: Path, figures) -> None:
    folder, outside = tmp_path / "film", tmp_path / "outside"
    outside.mkdir()
    case.build(folder, outside)
    before, outside_before = tree(folder), tree(outside)
    for command in ("validate", "run"):
        name = f"{case.name}:{command}"
        figures.hostile_tried(name)
        started = time.monotonic()
        result = run_cli([command, str(folder)], home, tmp_path, timeout=120)
        seconds = time.monotonic() - started
        output = result.stdout + result.stderr
        assert result.returncode in (1, 2), f"{command}: exit {result.returncode}\n{output[-2000:]}"
        assert "Traceback" not in output, output[-2000:]
        assert seconds < MAX_SECONDS, f"{command} took {seconds:.1f} s"
        errors = _message_lines(output)
        assert any(re.search(case.message, line) for line in errors), (
            f"{command}: no message like {case.message!r}:\n{output[-2000:]}"
        )
        if case.positioned:
            positioned = [line for line in errors if re.search(case.message, line)]
            assert any(re.match(rf"^{re.escape(str(folder))}/[^:]+:\d+:\d+: ", line) for line in positioned), positioned
        assert tree(folder) == before, f"{command} wrote into the production folder"
        assert tree(outside) == outside_before, f"{command} wrote outside the production folder"
        figures.hostile_refused(name)
    assert not (outside / "python_tag_ran").exists()


def test_huge_file_is_refused_without_being_read(tmp_path: Path, home: Path) -> None:
    huge_file(tmp_path / "film", tmp_path)
    started = time.monotonic()
    result = run_cli(["validate", str(tmp_path / "film")], home, tmp_path)
    assert result.returncode == 2
    assert time.monotonic() - started < 3.0
    assert (tmp_path / "film" / PRODUCTION_YAML).stat().st_blocks * 512 < 2**20, "the fixture must stay sparse"


def test_environment_is_untouched(tmp_path: Path) -> None:
    """The corpus never leaves a marker in the working directory (python tags did not run)."""
    assert not any(name.startswith(("pwned", "python_tag_ran")) for name in os.listdir(Path.cwd()))
