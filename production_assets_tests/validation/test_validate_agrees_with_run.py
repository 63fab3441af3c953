"""One rule for validation: `production validate` exits 0 exactly when `info` and `run --dry-run` can start.

Productions are generated with hypothesis: characters, locations (declared or only named by the
script), screenplays with dual dialogue, CRLF endings, forced headings and voices that are not
characters, script coverage on or off, shots with known and unknown names, frame rates with and without
an EDL. Whatever comes out, validate and the commands that plan a run agree.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from production_assets.cli import cli

CHARACTERS = ["Mike", "Jo", "Ana"]
PLACES = ["OFFICE", "MAIN STREET", "KITCHEN", "SNIPER SCOPE POV", "MIKE'S CAR"]
TEMPLATES = ["wide", "close_up", "two_shot", "establishing_wide", "over_the_shoulder"]
PROPERTY = settings(
    max_examples=100,
    deadline=timedelta(seconds=20),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)


def rarely(draw: st.DrawFn, valid: st.SearchStrategy, invalid: object) -> object:
    """A valid value most of the time, ``invalid`` about one time in ten."""
    return invalid if draw(st.integers(0, 9)) == 7 else draw(valid)


@st.composite
def screenplays(draw: st.DrawFn) -> str:
    lines: list[str] = ["Title: Generated", ""]
    for number in range(draw(st.integers(1, 4))):
        place = draw(st.sampled_from(PLACES))
        forced = draw(st.booleans())
        time = draw(st.sampled_from(["DAY", "NIGHT", "CONTINUOUS", "DUSK"]))
        lines += [f".{place}" if forced else f"INT. {place} - {time}", "", "Someone moves.", ""]
        for _ in range(draw(st.integers(0, 4))):
            speaker = draw(st.sampled_from([*CHARACTERS, "INTERCOM", "PRINTER"])).upper()
            extension = draw(st.sampled_from(["", " (V.O.)", " (O.S.)", " (CONT'D)"]))
            dual = " ^" if draw(st.integers(0, 5)) == 0 else ""
            lines += [
                f"{speaker}{extension}{dual}",
                draw(st.sampled_from(["Hello.", "We need to talk now.", "No."])),
                "",
            ]
        if number and draw(st.booleans()):
            lines += ["CUT TO:", ""]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines)


@st.composite
def productions(draw: st.DrawFn) -> tuple[dict, str | None]:
    characters = draw(st.lists(st.sampled_from(CHARACTERS), max_size=3, unique=True))
    declared = draw(st.lists(st.sampled_from(["Office", "Main Street", "Stage"]), max_size=3, unique=True))
    script = draw(st.none() | screenplays())
    shots = []
    for _ in range(draw(st.integers(0 if script else 1, 3))):
        shot = {"template": rarely(draw, st.sampled_from(TEMPLATES), "closeup"), "scene": draw(st.integers(1, 5))}
        shot["duration"] = 2
        subject = draw(st.none() | st.sampled_from(characters or CHARACTERS))
        if subject:
            shot["character"] = rarely(draw, st.just(subject), "Villain")
        if declared and draw(st.integers(0, 3)) == 0:
            shot["location"] = rarely(draw, st.sampled_from(declared), "Moon")
        shots.append(shot)
    production = {
        "title": "Generated",
        "characters": [{"name": name} for name in characters],
        "locations": [
            {"name": name, "preset": rarely(draw, st.sampled_from(["studio", "interior"]), "studoi")}
            for name in declared
        ],
        "shots": shots,
        "render_settings": {"samples": 1, "resolution": [64, 36], "frame_rate": draw(st.sampled_from([24, 12, 120]))},
        "outputs": [
            {
                "name": "web",
                "format": rarely(draw, st.sampled_from(["streaming_1080p", "cinema_4k"]), "dvd"),
                "path": "out/",
            }
        ],
    }
    if script:
        production["script"] = "film.fountain"
        production["script_coverage"] = draw(st.booleans())
        production["coverage"] = draw(st.sampled_from(["singles", "over_the_shoulder", "master_only"]))
    return {"production": production}, script


def _exit_code(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@PROPERTY
@given(case=productions())
def test_validate_passes_exactly_when_info_and_dry_run_can_start(
    case: tuple[dict, str | None], tmp_path_factory
) -> None:
    document, script = case
    folder = tmp_path_factory.mktemp("generated")
    (folder / "production.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    if script is not None:
        (folder / "film.fountain").write_bytes(script.encode())
    os.environ["DAGSTER_HOME"] = str(folder / "no_instance")  # read-only commands: an empty instance
    validate, report = _exit_code("validate", str(folder))
    info, info_out = _exit_code("info", str(folder))
    dry_run, dry_out = _exit_code("run", str(folder), "--dry-run")
    assert validate in (0, 1), report
    if validate == 0:
        assert info == 0, f"validate passed, info failed:\n{report}\n{info_out}"
        assert dry_run == 0, f"validate passed, the dry run failed:\n{report}\n{dry_out}"
    else:
        assert info != 0 and dry_run != 0, f"validate failed, yet info/dry-run ran:\n{report}"
    assert "Traceback" not in report + info_out + dry_out
    assert not (folder / "build").exists() and not (folder / "out").exists(), "a read-only command wrote files"


def test_a_published_style_screenplay_with_two_declared_places_validates_and_plans(tmp_path: Path) -> None:
    """Case 3 of the trust issue: validate said valid and the dry run stopped on a scene without a location."""
    script = "\r\n".join(
        [
            "Title: Brick & Steel",
            "",
            "EXT. BRICK'S PATIO - DAY",
            "",
            "A gorgeous day. STEEL lounges.",
            "",
            "STEEL",
            "Beer's ready!",
            "",
            "BRICK ^",
            "Are they cold?",
            "",
            ".SNIPER SCOPE POV",
            "",
            "From what seems like only INCHES AWAY.",
            "",
            "> CUT TO:",
            "",
            "INT. GARAGE - NIGHT",
            "",
            "INTERCOM (V.O.)",
            "Package for Mr. Brick.",
        ]
    )
    (tmp_path / "brick.fountain").write_bytes(script.encode())
    document = {
        "production": {
            "title": "Brick",
            "script": "brick.fountain",
            "script_coverage": True,
            "characters": [{"name": "Brick"}, {"name": "Steel"}],
            "locations": [{"name": "Brick's Patio", "preset": "exterior"}, {"name": "Garage", "preset": "industrial"}],
            "render_settings": {"samples": 1, "resolution": [64, 36]},
            "outputs": [{"name": "web", "format": "streaming_1080p", "path": "out/"}],
        }
    }
    (tmp_path / "production.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    os.environ["DAGSTER_HOME"] = str(tmp_path / "no_instance")
    code, report = _exit_code("validate", str(tmp_path))
    assert code == 0, report
    assert "brick.fountain:13:1: warning: scene 2 takes place in 'SNIPER SCOPE POV'" in report
    assert "brick.fountain:21:1: info: Intercom is not a character" in report
    assert _exit_code("info", str(tmp_path))[0] == 0
    assert _exit_code("run", str(tmp_path), "--dry-run")[0] == 0
