"""Screenplay action lines to (character, action) (no bpy)."""

from __future__ import annotations

from production_assets.acting.registry import ACTIONS
from production_assets.acting.verbs import ACTION_VERBS, actions_in_paragraph, sentences

CAST = ["Hero", "Villain", "Old Man"]


def found(text: str) -> list[tuple[str, str]]:
    return [(action.character, action.action) for action in actions_in_paragraph(text, CAST)]


def test_every_verb_maps_to_a_library_action() -> None:
    assert set(ACTION_VERBS) <= set(ACTIONS)
    for verb in ("enters", "walks", "runs", "sits", "stands up", "turns", "points", "waves", "looks around", "falls"):
        assert any(verb in phrases for phrases in ACTION_VERBS.values()), verb


def test_the_character_named_before_the_verb_does_it() -> None:
    assert found("HERO enters the warehouse. Villain waves.") == [("Hero", "walk"), ("Villain", "wave")]
    assert found("Hero shoves Villain, who falls.") == [("Villain", "fall")]
    assert found("The Old Man sits down and looks around.") == [("Old Man", "sit"), ("Old Man", "look_around")]


def test_pronouns_refer_to_the_last_actor_and_later_names_are_targets() -> None:
    actions = actions_in_paragraph("HERO stands up. He walks to VILLAIN.", CAST)
    assert [(a.character, a.action, a.target) for a in actions] == [
        ("Hero", "stand_up", None),
        ("Hero", "walk", "Villain"),
    ]
    assert found("Suddenly, runs in Villain!") == [("Villain", "run")]


def test_longest_phrase_wins_and_bare_verbs_without_a_character_are_skipped() -> None:
    assert found("Hero turns around.") == [("Hero", "turn")]
    assert found("Hero stands by the door.") == []
    assert found("The door falls off its hinges.") == []
    assert [a.verb for a in actions_in_paragraph("Hero's knees buckle; she falls down.", CAST)] == ["falls down"]


def test_sentences_split_on_stops_and_blank_lines() -> None:
    assert sentences("A walks. B runs!\n\nC sits; D waves?") == ["A walks", "B runs", "C sits", "D waves"]


def test_negations_nouns_and_look_alike_phrases_play_nothing() -> None:
    for paragraph in (
        "Hero says nothing.",
        "Hero stops two steps below Villain.",
        "Hero sits up in bed.",
        "Hero never turns.",
        "Villain crosses out a line.",
        "Hero gives a wave of the hand.",
    ):
        assert actions_in_paragraph(paragraph, CAST) == [], paragraph
    (kept,) = actions_in_paragraph("Hero says nothing. Hero sits.", CAST)
    assert (kept.character, kept.action, kept.sentence) == ("Hero", "sit", 1)
