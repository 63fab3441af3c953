"""A resolved shot's acting: the YAML's action/blocking/look_at, and talk, listen and verbs from the script."""

from __future__ import annotations

from pathlib import Path

import pytest

from production_assets.acting.shot_acting import stage_resolved_shot
from production_assets.loading.production_file import load_production
from production_assets.loading.resolve import resolve_production
from production_assets.validation.validators import validate_production
from production_assets_tests.conftest import write_production

SCRIPT = """\
INT. OFFICE - DAY

Mike sits. Jo points at Mike.

MIKE
You're late again, and I noticed.

JO
Traffic.
"""

PRODUCTION = """\
production:
  title: "Acting"
  script: "film.fountain"
  script_coverage: true
  coverage: master_only
  characters:
    - {name: Mike}
    - {name: Jo, model: "builtin:mannequin_female"}
  locations:
    - {name: Office}
  render_settings: {samples: 1, resolution: [64, 36]}
  outputs: []
"""


def _production(tmp_path: Path, text: str = PRODUCTION):
    folder = tmp_path / "acting"
    write_production(folder, text)
    (folder / "film.fountain").write_text(SCRIPT)
    return load_production(folder)


def test_the_speaker_talks_the_other_listens_and_the_verbs_act_between_the_lines(tmp_path: Path) -> None:
    config = _production(tmp_path)
    assert validate_production(config).is_valid()
    production = resolve_production(config)
    (master,) = production.shots
    staged = stage_resolved_shot(master, production.characters, production.locations["Office"].preset.marks, 24)
    mike = [(clip.name, clip.start_frame) for clip in staged["Mike"].actions]
    jo = [(clip.name, clip.start_frame) for clip in staged["Jo"].actions]
    assert [name for name, _ in mike] == ["sit", "talk", "listen"]
    assert [name for name, _ in jo] == ["point", "listen", "talk"]
    assert staged["Jo"].actions[0].to is not None, "Jo points at Mike"
    # They share dialogue, so they face each other and look at each other.
    assert staged["Mike"].look_at is not None and staged["Jo"].look_at is not None


def test_a_named_mark_of_the_set_places_the_character(tmp_path: Path) -> None:
    text = PRODUCTION.replace("script_coverage: true", "script_coverage: false") + (
        "  shots:\n    - {template: wide, scene: 1, character: Mike, duration: 2, blocking: {Mike: {mark: desk}}}\n"
    )
    config = _production(tmp_path, text)
    production = resolve_production(config)
    (shot,) = production.shots
    marks = production.locations["Office"].preset.marks
    staged = stage_resolved_shot(shot, production.characters, marks, 24)
    assert staged["Mike"].position[:2] == pytest.approx((marks["desk"].x, marks["desk"].y))


@pytest.mark.parametrize(
    ("acting", "path", "message"),
    [
        ("action: {Mike: dnace}", "shots[0].action", "unknown action 'dnace'"),
        ("blocking: {Mike: {mark: dsek}}", "shots[0].blocking", "unknown mark 'dsek'"),
        ("look_at: {Mike: Bob}", "shots[0].look_at", "look_at"),
        ("action: {Mike: walk}", "shots[0].action", "needs 'to'"),
    ],
)
def test_acting_that_cannot_be_staged_is_a_validate_error(tmp_path: Path, acting: str, path: str, message: str) -> None:
    text = PRODUCTION.replace("script_coverage: true", "script_coverage: false") + (
        f"  shots:\n    - {{template: wide, scene: 1, character: Mike, duration: 2, {acting}}}\n"
    )
    errors = [issue for issue in validate_production(_production(tmp_path, text)).issues if issue.severity == "error"]
    assert [(issue.path, message in issue.message) for issue in errors] == [(path, True)], [e.format() for e in errors]
