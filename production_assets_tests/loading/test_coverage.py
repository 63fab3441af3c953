"""Script coverage: shots cut on the screenplay's beats, merged with the shots written by hand."""

from __future__ import annotations

from pathlib import Path

from production_assets.loading.fountain import parse_fountain
from production_assets.loading.shots import expand_shots, implicit_locations
from production_assets.model.production import ProductionConfig

SCRIPT = """\
Title: Coverage

INT. OFFICE - DAY

Mike types. Two coffees go cold on the desk.

MIKE
You're late again.

JO
Traffic. Same as every day this week.

INTERCOM (V.O.)
Mike, line two.

MIKE
Tell them I'm out.

EXT. MAIN STREET - NIGHT

Rain on the windows of parked cars.
"""


def _config(**fields: object) -> ProductionConfig:
    document = {
        "title": "t",
        "script_coverage": True,
        "characters": [{"name": "Mike"}, {"name": "Jo"}],
        "locations": [{"name": "Office"}],
        **fields,
    }
    return ProductionConfig.model_validate(document)


def _shots(config: ProductionConfig, script: str = SCRIPT) -> list:
    return expand_shots(config, parse_fountain(script, Path("film.fountain")))


def test_singles_cut_on_every_line_and_voices_play_over_the_shot_on_screen() -> None:
    shots = _shots(_config())
    cut = [(e.id, e.shot.template, e.shot.subjects(), e.location) for e in shots]
    assert cut == [
        ("s001_establishing_wide_office", "establishing_wide", [], "Office"),
        ("s001_close_up_mike", "close_up", ["Mike"], "Office"),
        ("s001_close_up_jo", "close_up", ["Jo"], "Office"),
        ("s001_close_up_mike_2", "close_up", ["Mike"], "Office"),
        ("s002_establishing_wide_main_street", "establishing_wide", [], "Main Street"),
    ]
    assert all(e.generated for e in shots) and shots[1].script_line == 7
    # Jo's single holds her 7 words (1 s + 7 x 0.3 s, after a 0.25 s pause) and the intercom's line after it.
    jo = shots[2].shot.frame_count(24)
    assert jo == round((0.25 + 1 + 7 * 0.3 + 0.25 + 1 + 3 * 0.3) * 24)


def test_the_cut_adds_up_to_the_script_timing() -> None:
    from production_assets.loading.script_timing import time_screenplay

    config = _config()
    timeline = time_screenplay(parse_fountain(SCRIPT, Path("film.fountain")))
    shots = _shots(config)
    for scene in timeline.scenes:
        covering = [e.shot.frame_count(24) for e in shots if e.shot.scene == scene.number]
        # Each shot is its beats rounded to whole frames on its own: at most half a frame off per shot.
        assert abs(sum(covering) - scene.duration_ms * 24 / 1000) <= len(covering) / 2


def test_editing_a_line_changes_the_length_of_the_shot_that_shows_it_and_no_other() -> None:
    before = {e.id: e.shot.duration for e in _shots(_config())}
    for words in ("Traffic.", "Traffic. Same as every day this week, and the week before."):
        after = {
            e.id: e.shot.duration
            for e in _shots(_config(), SCRIPT.replace("Traffic. Same as every day this week.", words))
        }
        assert {shot for shot in before if after[shot] != before[shot]} == {"s001_close_up_jo"}


def test_characters_who_act_without_a_word_are_in_the_master() -> None:
    script = SCRIPT.replace("Mike types. Two coffees go cold on the desk.", "Jo walks to Mike.") + (
        "\nJo sits on the hood of a car.\n"
    )
    cut = [(e.shot.template, e.shot.subjects()) for e in _shots(_config(), script)]
    # The opening action has Jo act (towards Mike): the master of both follows the establishing shot;
    # in scene 2 Jo never speaks but sits, so the street is not empty after its establishing shot.
    assert cut[:2] == [("establishing_wide", []), ("wide", ["Jo", "Mike"])]
    assert cut[-2:] == [("establishing_wide", []), ("wide", ["Jo"])]


def test_a_written_shot_replaces_the_generated_one_of_the_same_scene_template_and_subject() -> None:
    written = [
        {"template": "establishing_wide", "scene": 1, "duration": 30, "notes": "mine"},
        {"template": "close_up", "scene": 1, "character": "Jo", "duration": 40},
        {"template": "insert", "scene": 1, "duration": 12},
    ]
    shots = _shots(_config(shots=written))
    ids = [e.id for e in shots]
    assert ids == [
        "s001_establishing_wide_office",
        "s001_close_up_mike",
        "s001_close_up_jo",
        "s001_close_up_mike_2",
        "s001_insert_office",
        "s002_establishing_wide_main_street",
    ]
    assert [e.source_index for e in shots] == [0, None, 1, None, 2, None]
    assert shots[0].shot.notes == "mine" and shots[2].shot.frame_count(24) == 40


def test_over_the_shoulder_and_master_only() -> None:
    over = _shots(_config(coverage="over_the_shoulder"))
    assert [(e.shot.template, e.shot.subjects()) for e in over[1:4]] == [
        ("over_the_shoulder", ["Mike", "Jo"]),
        ("over_the_shoulder", ["Jo", "Mike"]),
        ("over_the_shoulder", ["Mike", "Jo"]),
    ]
    master = _shots(_config(coverage="master_only"))
    assert [(e.shot.template, e.shot.subjects()) for e in master] == [
        ("wide", ["Mike", "Jo"]),
        ("establishing_wide", []),
    ]


def test_generated_ids_survive_an_edit_of_the_words() -> None:
    before = [e.id for e in _shots(_config())]
    edited = SCRIPT.replace("Traffic. Same as every day this week.", "Traffic.")
    after = _shots(_config(), edited)
    assert [e.id for e in after] == before
    assert after[2].shot.frame_count(24) < _shots(_config())[2].shot.frame_count(24)


def test_a_place_no_location_names_becomes_a_stand_in_location() -> None:
    config = _config()
    screenplay = parse_fountain(SCRIPT, Path("film.fountain"))
    shots = expand_shots(config, screenplay)
    (stand_in,) = implicit_locations(config, screenplay, shots)
    assert (stand_in.name, stand_in.place, stand_in.scene, stand_in.line) == ("Main Street", "MAIN STREET", 2, 19)
