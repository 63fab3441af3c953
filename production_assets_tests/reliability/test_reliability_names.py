"""Names with shell metacharacters and newlines never become paths outside build/ and the outputs."""

from __future__ import annotations

from pathlib import Path

from reliability_support import make_tiny, run_cli, tree

from production_assets_tests.conftest import TINY_PRODUCTION

HOSTILE_CHARACTER = "../../$(touch pwned); rm -rf ~\\nHero"
HOSTILE_LOCATION = "Stage `id` | ../../x"


def test_hostile_character_and_location_names_are_refused_or_sanitised(tmp_path: Path, home: Path, figures) -> None:
    figures.hostile_tried("hostile_names:run")
    text = (
        TINY_PRODUCTION.replace("name: Hero,", f'name: "{HOSTILE_CHARACTER}",')
        .replace("character: Hero", f'character: "{HOSTILE_CHARACTER}"')
        .replace("name: Stage,", f'name: "{HOSTILE_LOCATION}",')
    )
    production = make_tiny(tmp_path / "film" / "tiny", text)
    outside_before = {name for name in tree(tmp_path) if not name.startswith(("film/tiny/", "dagster_home"))}

    validated = run_cli(["validate", str(production)], home, tmp_path)
    result = run_cli(["run", str(production)], home, tmp_path)

    output = validated.stdout + validated.stderr + result.stdout + result.stderr
    assert "Traceback" not in output, output[-3000:]
    refused = validated.returncode == 1 and result.returncode == 1
    assert refused or result.returncode == 0, output[-3000:]
    created = {name for name in tree(production)} - {"production.yaml"}
    allowed = ("build", "output", "manifest.json", "report.html")
    assert all(name.split("/")[0] in allowed for name in created), sorted(created)
    outside_after = {name for name in tree(tmp_path) if not name.startswith(("film/tiny/", "dagster_home"))}
    assert outside_after - outside_before <= {"film/tiny"}
    assert not any(Path(name).name == "pwned" for name in tree(tmp_path)), "a shell ran a name"
    figures.hostile_refused("hostile_names:run")
