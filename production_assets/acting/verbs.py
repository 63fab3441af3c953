"""Screenplay action lines to actions: "HERO walks to the window." -> (Hero, walk) (no bpy).

:data:`ACTION_VERBS` lists, per action, the verb phrases that trigger it
(present tense, as screenplays are written, plus the -ing form). A phrase
matches whole words, case-insensitively, the longest phrase first ("turns
around" before "turns"; "stands" alone, as in "stands by the door", is no
action, "stands up" is). Negated verbs ("Jo does not sit"), nouns ("two steps
below") and phrases that look like actions but are none ("says nothing",
"crosses out", "sits up") play nothing.

Who does it: the character named closest before the verb in the same
sentence; else, when the sentence starts with he/she/they, the character of
the previous sentence (the last who acted in it, or the first named in it);
else the first character named after the verb.
A different character named after the verb in the same sentence is the
action's ``target`` ("HERO walks to VILLAIN": walk toward Villain). Sentences
end at . ! ? ; and line breaks between paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

ACTION_VERBS: dict[str, tuple[str, ...]] = {
    "walk": ("enters", "walks", "walking", "walks in", "crosses", "strides", "strolls", "steps", "approaches",
             "heads", "wanders", "paces", "exits", "leaves"),
    "run": ("runs", "running", "rushes", "sprints", "dashes", "races", "hurries", "flees", "bolts", "charges"),
    "sit": ("sits", "sits down", "sitting", "sitting down", "takes a seat", "sinks into", "perches"),
    "stand_up": ("stands up", "standing up", "gets up", "getting up", "rises", "jumps up", "gets to his feet",
                 "gets to her feet", "gets to their feet"),
    "turn": ("turns", "turns around", "turns away", "turning", "spins", "spins around", "whirls", "wheels around"),
    "point": ("points", "pointing", "points at"),
    "wave": ("waves", "waving", "waves at"),
    "look_around": ("looks around", "looking around", "glances around", "peers around", "scans"),
    "fall": ("falls", "falls down", "falling", "collapses", "trips", "faints", "topples", "tumbles"),
    "talk": ("talks", "talking", "speaks", "speaking", "says", "shouts", "whispers", "explains"),
    "listen": ("listens", "listening", "nods", "nodding"),
}  # fmt: skip
NOT_ACTIONS = ("says nothing", "crosses out", "crosses off", "sits up", "standing up straight")
"""Phrases that look like a verb of ACTION_VERBS but play nothing ("sits up" in bed is no sitting down)."""
NOT_A_VERB_AFTER = frozenset(
    {"not", "never", "doesn't", "don't", "won't", "can't", "cannot", "nearly", "almost",  # negated
     "a", "an", "the", "his", "her", "their", "its", "my", "your", "our", "of", "few", "two", "three",
     "several", "some", "many", "those", "these", "sleeps"}  # a noun ("two steps below") or a manner
)  # fmt: skip
PRONOUNS = frozenset({"he", "she", "they"})
_SENTENCE_END = re.compile(r"[.!?;]+(?=\s|$)|\n\s*\n")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_PHRASES: list[tuple[tuple[str, ...], str | None]] = sorted(
    [(tuple(phrase.split()), action) for action, phrases in ACTION_VERBS.items() for phrase in phrases]
    + [(tuple(phrase.split()), None) for phrase in NOT_ACTIONS],
    key=lambda item: -len(item[0]),
)


@dataclass(frozen=True)
class ScriptAction:
    """One action found in an action paragraph: who does what, toward whom, in which sentence (0-based)."""

    character: str
    action: str
    verb: str
    sentence: int
    target: str | None = None


def sentences(paragraph: str) -> list[str]:
    """The paragraph cut into sentences (empty pieces dropped)."""
    return [piece.strip() for piece in _SENTENCE_END.split(paragraph) if piece.strip()]


def _words(sentence: str) -> list[str]:
    return [word.lower().removesuffix("'s") for word in _WORD.findall(sentence)]


def _name_positions(words: list[str], characters: Sequence[str]) -> list[tuple[int, str]]:
    """(word index, character) for every mention of a character, multi-word names included."""
    found = []
    for name in characters:
        parts = name.lower().split()
        for index in range(len(words) - len(parts) + 1):
            if words[index : index + len(parts)] == parts:
                found.append((index, name))
    return sorted(found)


def _verb_positions(words: list[str]) -> list[tuple[int, int, str, str]]:
    """(start, length, phrase, action) of each verb phrase, longest match first, no overlaps; a phrase of
    NOT_ACTIONS, or one after a negation, an article or a number (NOT_A_VERB_AFTER), is no action."""
    taken: set[int] = set()
    found = []
    for phrase, action in _PHRASES:
        for index in range(len(words) - len(phrase) + 1):
            span = set(range(index, index + len(phrase)))
            if words[index : index + len(phrase)] == list(phrase) and not span & taken:
                taken |= span
                if action is not None and (index == 0 or words[index - 1] not in NOT_A_VERB_AFTER):
                    found.append((index, len(phrase), " ".join(phrase), action))
    return sorted(found)


def actions_in_paragraph(paragraph: str, characters: Sequence[str]) -> list[ScriptAction]:
    """Every (character, action) an action paragraph describes, in reading order."""
    actions: list[ScriptAction] = []
    last_actor: str | None = None
    for number, sentence in enumerate(sentences(paragraph)):
        words = _words(sentence)
        names = _name_positions(words, characters)
        previous = last_actor
        for start, length, phrase, action in _verb_positions(words):
            before = [name for index, name in names if index < start]
            after = [name for index, name in names if index >= start + length]
            if before:
                actor = before[-1]
            elif words and words[0] in PRONOUNS and previous is not None:
                actor = previous
            elif after:
                actor = after[0]
            else:
                continue
            target = next((name for name in after if name != actor), None)
            actions.append(ScriptAction(actor, action, phrase, number, target))
            last_actor = actor
        if not any(action.sentence == number for action in actions) and names:
            last_actor = names[0][1]
    return actions
