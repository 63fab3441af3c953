"""Pick a set for a place from its name: "MIKE'S OFFICE" -> office, "EXT. MAIN STREET - NIGHT" -> street.

Rules, in order:

1. The text is split at " - " into parts (a heading's time part is dropped);
   parts are tried from the last (the most specific: "HOUSE - KITCHEN") to the
   first; the location's name is tried before the screenplay place.
2. In a part, every set name and alias (lower case, possessives and
   punctuation removed, plurals folded) is looked for as whole words. The
   longest alias wins ("police station" before "station"), then the
   rightmost (the head noun in English: "OFFICE KITCHEN" is a kitchen).
3. INT./EXT. is respected: an EXT. place never gets an interior-only set and
   an INT. place never gets an exterior-only set, unless the part names it
   exactly ("EXT. GARAGE"). INT./EXT. and I/E headings allow both.
4. When nothing matches, the fallback is the ``studio`` preset for INT. or
   unknown places and the ``exterior`` preset for EXT. places.

The result says which set and why, for ``production info`` and validation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from production_assets.model.base import StrictModel
from production_assets.sets.conditions import time_of_day_from_heading
from production_assets.sets.library import FALLBACK_EXTERIOR, FALLBACK_INTERIOR, SETS

_PREFIX = re.compile(r"^\s*(INT\.?\s*/\s*EXT|EXT\.?\s*/\s*INT|I\s*/\s*E|INT|EXT|EST)[.\s]+", re.IGNORECASE)


class SetChoice(StrictModel):
    """The set chosen for a place, and the reason in words."""

    set_name: str
    reason: str
    matched: str | None = None
    fallback: bool = False


@dataclass(frozen=True)
class Heading:
    """A scene heading taken apart: the place, INT. (True) / EXT. (False) / both or unknown (None), the time."""

    place: str
    interior: bool | None
    time_of_day: str | None


def parse_heading(heading: str) -> Heading:
    """``"EXT. MAIN STREET - NIGHT"`` -> place "MAIN STREET", interior False, time "night"."""
    text = heading.strip().lstrip(".")
    interior: bool | None = None
    prefix = _PREFIX.match(text)
    if prefix:
        word = re.sub(r"[\s.]", "", prefix.group(1)).upper()
        interior = {"INT": True, "EXT": False, "EST": False}.get(word)
        text = text[prefix.end() :]
    time = time_of_day_from_heading(text)
    parts = [part.strip() for part in text.split(" - ") if part.strip()]
    if time is not None or (len(parts) > 1 and _is_time_word(parts[-1])):
        parts = parts[:-1] or parts
    return Heading(place=" - ".join(parts), interior=interior, time_of_day=time)


def _is_time_word(part: str) -> bool:
    return part.strip().upper() in {"CONTINUOUS", "LATER", "SAME", "MOMENTS LATER", "SAME TIME", "DAY", "NIGHT"}


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("s") and word[-2] not in "siu":
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """Lower-case words without possessives, punctuation or plural s: "MIKE'S OFFICES" -> ["mike", "office"]."""
    text = re.sub(r"['\u2019]s\b", "", text.lower())
    return [_singular(word) for word in re.sub(r"[^a-z0-9]+", " ", text).split()]


def _phrases() -> list[tuple[tuple[str, ...], str]]:
    table = []
    for definition in SETS.values():
        for alias in (definition.name.replace("_", " "), *definition.aliases):
            table.append((tuple(words(alias)), definition.name))
    return table


_PHRASES = _phrases()


def _allowed(set_name: str, interior: bool | None, exact: bool) -> bool:
    setting = SETS[set_name].setting
    if exact or interior is None or setting == "either":
        return True
    return setting == ("interior" if interior else "exterior")


def _best_in(part: str, interior: bool | None) -> tuple[str, str, list[str]] | None:
    """(set, alias) of the best allowed match in one part, and the sets skipped for INT./EXT."""
    tokens = words(part)
    found = []
    for phrase, set_name in _PHRASES:
        size = len(phrase)
        for start in range(len(tokens) - size + 1):
            if tuple(tokens[start : start + size]) == phrase:
                found.append((size, start + size, set_name, " ".join(phrase), tuple(tokens) == phrase))
    skipped = []
    for _size, _end, set_name, alias, exact in sorted(found, reverse=True):
        if _allowed(set_name, interior, exact):
            return set_name, alias, skipped
        skipped.append(f"{set_name} ({alias!r})")
    return None if not skipped else ("", "", skipped)


def match_set(name: str, place: str | None = None, interior: bool | None = None) -> SetChoice:
    """The set for a location ``name`` and/or a screenplay ``place``; ``interior`` from the heading's INT./EXT.

    ``name`` and ``place`` may be whole headings ("INT. KITCHEN - NIGHT"):
    their INT./EXT. is used when ``interior`` is not given.
    """
    sources = [(label, parse_heading(text)) for label, text in (("location", name), ("scene place", place)) if text]
    if interior is None:
        interior = next((heading.interior for _, heading in sources if heading.interior is not None), None)
    skipped: list[str] = []
    for label, heading in sources:
        for part in reversed(heading.place.split(" - ")):
            best = _best_in(part, interior)
            if best is None:
                continue
            set_name, alias, passed = best
            skipped += passed
            if set_name:
                kind = "is the set's name" if alias == set_name.replace("_", " ") else f"is an alias of {set_name}"
                note = f"; skipped {', '.join(passed)} for an {_side(interior)} place" if passed else ""
                return SetChoice(set_name=set_name, reason=f"{label} {part!r}: {alias!r} {kind}{note}", matched=alias)
    fallback = FALLBACK_EXTERIOR if interior is False else FALLBACK_INTERIOR
    texts = " / ".join(repr(heading.place) for _, heading in sources) or "''"
    why = f"no set matches {texts}"
    if skipped:
        why += f" ({', '.join(skipped)} skipped: {_side(interior)} place)"
    return SetChoice(
        set_name=fallback, reason=f"{why}; {fallback} is the fallback for {_side(interior)} places", fallback=True
    )


def _side(interior: bool | None) -> str:
    return {True: "INT.", False: "EXT.", None: "unknown"}[interior]
