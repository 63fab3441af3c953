"""Fountain screenplays (https://fountain.io/syntax): the title page, scenes and their elements, with source lines.

Read in one pass over the lines, after notes ``[[ ]]`` and boneyard ``/* */`` are cut out (their
lines keep their numbers; a line they emptied is skipped, so a note does not split a paragraph;
an unclosed one is plain text). Every element knows its 1-based line and column. Text is plain:
emphasis markers go, ``\\*`` and ``\\_`` stay as literal characters. Linear time on any input:
no regex nests repetitions, every search only moves forward, and pathological lines are tested.

Choices where the spec is loose: a scene heading needs a blank line before it, not after; a
character cue needs a blank line before it and a line of dialogue right after; a title page must
start with a known key (``Title:``, ``Author:``, ...), so an opening ``Night falls: rain.`` stays
action; ``FADE IN:``, ``FADE OUT.``, ``FADE TO BLACK.`` and ``CUT TO BLACK.`` are transitions
like any upper-case line ending in ``TO:``; a blank line inside dialogue or action is exactly
two spaces; ``~`` lines inside dialogue are sung and count as the character's words.
Files are decoded as UTF-8 (a BOM is dropped), UTF-16 when they start with its BOM, else cp1252,
else latin-1 (which never fails); ``Screenplay.encoding`` says which. A file with NUL bytes is
binary and a ConfigError.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from production_assets.errors import ConfigError
from production_assets.model.script import TimeOfDay

ElementKind = Literal["action", "dialogue", "transition", "centered", "lyrics", "section", "synopsis", "page_break"]

TITLE_PAGE_KEYS = frozenset(
    ("title", "credit", "author", "authors", "source", "draft date", "date", "contact", "contact info", "notes")
    + ("copyright", "revision", "watermark", "font", "tl", "tc", "tr", "cc", "bl", "br", "header", "footer")
)
TRANSITIONS = frozenset({"FADE IN:", "FADE OUT.", "FADE OUT:", "FADE TO BLACK.", "CUT TO BLACK."})
# Words of a cue extension that mean the voice is heard without the speaker in the frame.
OFF_SCREEN_WORDS = frozenset(
    "VO OS OC OFF OFFSCREEN OFFCAMERA PHONE TELEPHONE INTERCOM RADIO FILTERED SPEAKER SPEAKERPHONE "
    "TV TELEVISION PRELAP WALKIE VOICEMAIL RECORDING PA".split()
)
TIME_OF_DAY_PHRASES: dict[str, TimeOfDay] = {
    "MAGIC HOUR": "dusk", "GOLDEN HOUR": "dusk", "BLUE HOUR": "dusk", "FIRST LIGHT": "dawn", "HIGH NOON": "day",
}  # fmt: skip
TIME_OF_DAY_WORDS: dict[str, TimeOfDay] = {
    "DAY": "day", "DAYTIME": "day", "AFTERNOON": "day", "NOON": "day", "MIDDAY": "day",
    "NIGHT": "night", "NIGHTTIME": "night", "MIDNIGHT": "night",
    "DUSK": "dusk", "SUNSET": "dusk", "TWILIGHT": "dusk", "SUNDOWN": "dusk", "NIGHTFALL": "dusk",
    "DAWN": "dawn", "SUNRISE": "dawn", "DAYBREAK": "dawn", "SUNUP": "dawn",
    "MORNING": "morning", "EVENING": "evening",
    "CONTINUOUS": "continuous", "LATER": "continuous", "SAME": "continuous",
}  # fmt: skip

_HEADING_PREFIX = re.compile(r"(int\.?/ext|ext\.?/int|i/e|e/i|int|ext|est)[.\s]", re.IGNORECASE)
_HEADING_SEPARATOR = re.compile(r" [-–—]{1,2} ")
_TITLE_KEY = re.compile(r"([A-Za-z][A-Za-z0-9 _-]{0,39}):(.*)")
_EXTENSION = re.compile(r"\s*\(([^()]*)\)")
_PARENTHESISED = re.compile(r"\([^()]*\)")
_PAGE_BREAK = re.compile(r"={3,}")
_COMMENT_OPENER = re.compile(r"\[\[|/\*")
_MARKUP = re.compile(r"\\([*_])|\*+|_+")
_ALPHANUMERIC = re.compile(r"[^\W_]")
_WORD_CHARACTERS = re.compile(r"[^\W_]+")
_SPACER = "  "


def count_words(text: str) -> int:
    """Words of plain text: whitespace-separated tokens holding a letter or a digit ("--" is none)."""
    return sum(1 for token in text.split() if _ALPHANUMERIC.search(token))


@dataclass(frozen=True, slots=True, kw_only=True)
class ScriptElement:
    """One element of a screenplay: its kind, 1-based line and column, and its plain text."""

    kind: ElementKind
    line: int
    column: int
    text: str

    @property
    def words(self) -> int:
        """The words seen or heard: the spoken text for dialogue, the visible text otherwise."""
        return count_words(self.text)


@dataclass(frozen=True, slots=True, kw_only=True)
class Section(ScriptElement):
    """A ``#`` section; ``level`` is the number of ``#``."""

    level: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Dialogue(ScriptElement):
    """A character's line: ``text`` is what is spoken (parentheticals, emphasis and notes removed)."""

    character: str
    cue: str
    extensions: list[str]
    parentheticals: list[str]
    dual: bool
    off_screen: bool


@dataclass(frozen=True, slots=True)
class ScriptScene:
    """A scene: its heading, where and when it takes place, who speaks and its elements in order."""

    number: int
    heading: str
    place: str
    line: int
    speakers: list[str] = field(default_factory=list)
    scene_number: str | None = None
    interior: bool | None = None
    time_of_day: TimeOfDay | None = None
    time_of_day_text: str | None = None
    elements: list[ScriptElement] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Screenplay:
    """A parsed screenplay; ``preamble`` holds the elements before the first scene heading."""

    path: Path
    scenes: list[ScriptScene]
    title_page: dict[str, str] = field(default_factory=dict)
    preamble: list[ScriptElement] = field(default_factory=list)
    encoding: str | None = None

    def scene(self, number: int) -> ScriptScene | None:
        return self.scenes[number - 1] if 1 <= number <= len(self.scenes) else None


def plain_text(text: str) -> str:
    """Text without emphasis markers; a ``*`` or ``_`` between spaces, inside a word (``snake_case``) or
    touching a ``/`` (an unclosed ``/*``) stays."""
    return _MARKUP.sub(_unmark, text)


def _unmark(match: re.Match[str]) -> str:
    if match.group(1):
        return match.group(1)
    source, start, end = match.string, match.start(), match.end()
    before = source[start - 1] if start else " "
    after = source[end] if end < len(source) else " "
    inside_word = match.group()[0] == "_" and before.isalnum() and after.isalnum()
    comment_marker = match.group()[0] == "*" and "/" in (before, after)
    return match.group() if inside_word or comment_marker or (before.isspace() and after.isspace()) else ""


def _title_case(name: str) -> str:
    words = []
    for word in name.split():
        word = word.title()
        head, apostrophe, tail = word.partition("'")
        words.append(f"{head}'{tail.lower()}" if apostrophe and len(head) > 1 else word)
    return " ".join(words)


def _without_comments(text: str) -> tuple[str, set[int]]:
    """Text with notes and boneyard cut out (newlines kept), and the 0-based lines they touched."""
    pieces: list[str] = []
    touched: set[int] = set()
    found: dict[str, int] = {}
    position = line = 0

    def next_at(token: str, start: int) -> int:
        # Searches start ever further right, so a remembered hit at or after `start` is still the first one.
        if token not in found or 0 <= found[token] < start:
            found[token] = text.find(token, start)
        return found[token]

    while match := _COMMENT_OPENER.search(text, position):
        start = match.start()
        if match.group() == "[[":
            close, blank = next_at("]]", start + 2), next_at("\n\n", start + 2)
            end = close + 2 if close >= 0 and not 0 <= blank < close else -1
        else:
            close = next_at("*/", start + 2)
            end = close + 2 if close >= 0 else -1
        if end < 0:
            pieces.append(text[position : start + 2])
            line += text.count("\n", position, start + 2)
            position = start + 2
            continue
        pieces.append(text[position:start])
        line += text.count("\n", position, start)
        newlines = text.count("\n", start, end)
        touched.update(range(line, line + newlines + 1))
        pieces.append("\n" * newlines)
        line += newlines
        position = end
    pieces.append(text[position:])
    return "".join(pieces), touched


def _rows(text: str) -> list[tuple[int, str]]:
    """(1-based line, text) for every line that is not emptied by a note or boneyard."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text, touched = _without_comments(text)
    return [(index + 1, raw) for index, raw in enumerate(text.split("\n")) if raw.strip() or index not in touched]


def _title_page(rows: list[tuple[int, str]]) -> tuple[dict[str, str], int]:
    """The title page and the index of the first body row (0 when there is no title page)."""
    first = next((index for index, (_, raw) in enumerate(rows) if raw.strip()), len(rows))
    match = _TITLE_KEY.match(rows[first][1].strip()) if first < len(rows) else None
    if not match or " ".join(match.group(1).lower().split()) not in TITLE_PAGE_KEYS:
        return {}, 0
    values: dict[str, list[str]] = {}
    key = ""
    index = first
    while index < len(rows) and rows[index][1].strip():
        raw = rows[index][1]
        match = _TITLE_KEY.match(raw.strip()) if index == first or not raw[:1].isspace() else None
        if match:
            key = " ".join(match.group(1).lower().split())
            values.setdefault(key, [])
            value = match.group(2).strip()
        else:
            value = raw.strip()
        if value:
            values[key].append(" ".join(plain_text(value).split()))
        index += 1
    return {name: "\n".join(lines) for name, lines in values.items()}, index


def _is_forced_heading(text: str) -> bool:
    return len(text) > 1 and text[0] == "." and text[1].isalnum()


def _time_of_day(part: str) -> TimeOfDay | None:
    words = _WORD_CHARACTERS.findall(_PARENTHESISED.sub(" ", part.upper()).replace("'", ""))
    phrase = " ".join(words)
    if phrase in TIME_OF_DAY_PHRASES:
        return TIME_OF_DAY_PHRASES[phrase]
    return next((TIME_OF_DAY_WORDS[word] for word in reversed(words) if word in TIME_OF_DAY_WORDS), None)


def _scene(number: int, line: int, text: str, elements: list[ScriptElement]) -> ScriptScene:
    forced = _is_forced_heading(text)
    body = text[1:].strip() if forced else text
    scene_number = None
    opening = body.rfind("#", 0, len(body) - 1) if body.endswith("#") else -1
    candidate = body[opening + 1 : -1] if opening >= 0 else ""
    if candidate and all(character.isalnum() or character in ".-" for character in candidate):
        scene_number, body = candidate, body[:opening]
    heading = " ".join(plain_text(body).split())
    prefix = None if forced else _HEADING_PREFIX.match(heading)
    interior = None
    if prefix:
        kind = prefix.group(1).upper()
        interior = True if kind == "INT" else False if kind in ("EXT", "EST") else None
    parts = _HEADING_SEPARATOR.split(heading[prefix.end() :].strip() if prefix else heading)
    time_of_day, time_text = None, (parts[-1].strip() if len(parts) > 1 else None)
    for part in reversed(parts[1:]):
        if found := _time_of_day(part):
            time_of_day, time_text = found, part.strip()
            break
    speakers = list(dict.fromkeys(element.character for element in elements if isinstance(element, Dialogue)))
    return ScriptScene(
        number, heading, parts[0].strip(), line, speakers, scene_number, interior, time_of_day, time_text, elements
    )


def _cue(text: str, forced: bool) -> tuple[str, list[str], bool] | None:
    """(name, extensions, dual) when ``text`` is a character cue."""
    body = text[1:] if forced else text
    dual = body.endswith("^")
    body = body.removesuffix("^").rstrip()
    opening = body.find("(")
    name = (body if opening < 0 else body[:opening]).strip()
    if not any(character.isalpha() for character in name):
        return None
    if not forced and (name != name.upper() or name.endswith(":")):
        return None
    extensions: list[str] = []
    position = opening if opening >= 0 else len(body)
    while position < len(body) and (match := _EXTENSION.match(body, position)):
        extensions.append(" ".join(match.group(1).upper().split()))
        position = match.end()
    return (name, extensions, dual) if not body[position:].strip() else None


def _is_off_screen(extensions: list[str]) -> bool:
    for extension in extensions:
        words = _WORD_CHARACTERS.findall(extension.replace(".", "").replace("'", ""))
        if OFF_SCREEN_WORDS.intersection(words) or "".join(words) in OFF_SCREEN_WORDS:
            return True
    return False


class _Body:
    """Walks the body rows once; each ``_read_*`` consumes one element and says if the next row starts fresh."""

    def __init__(self, rows: list[tuple[int, str]], start: int) -> None:
        self.rows, self.index = rows, start
        self.preamble: list[ScriptElement] = []
        self.headings: list[tuple[int, str, list[ScriptElement]]] = []
        self.elements = self.preamble

    def parse(self) -> tuple[list[ScriptElement], list[ScriptScene]]:
        fresh = True
        while self.index < len(self.rows):
            text = self.rows[self.index][1].strip()
            if not text:
                fresh, self.index = True, self.index + 1
            else:
                fresh = self._read(text, fresh)
        return self.preamble, [_scene(number, *heading) for number, heading in enumerate(self.headings, 1)]

    def _blank_at(self, index: int) -> bool:
        return index >= len(self.rows) or not self.rows[index][1].strip()

    def _add(self, kind: ElementKind, text: str, index: int | None = None) -> None:
        line, raw = self.rows[self.index if index is None else index]
        self.elements.append(ScriptElement(kind=kind, line=line, column=_column(raw), text=text))

    def _read(self, text: str, fresh: bool) -> bool:
        if _PAGE_BREAK.fullmatch(text):
            self._add("page_break", "")
        elif text[0] == "=":
            self._add("synopsis", _clean(text[1:]))
        elif text[0] == "#":
            level = len(text) - len(text.lstrip("#"))
            line, raw = self.rows[self.index]
            section = Section(kind="section", line=line, column=_column(raw), text=_clean(text[level:]), level=level)
            self.elements.append(section)
        elif text[0] == "~":
            return self._read_block("lyrics", lambda row: row[:1] == "~", lambda row: row[1:])
        elif _is_centered(text):
            return self._read_block("centered", _is_centered, lambda row: row[1:-1])
        elif text[0] == ">":
            self._add("transition", _clean(text[1:]))
        elif text[0] == "!":
            return self._read_action()
        elif text[0] == "@" and (cue := _cue(text, forced=True)) and not self._blank_at(self.index + 1):
            return self._read_dialogue(text, cue)
        elif fresh and (_HEADING_PREFIX.match(text) or _is_forced_heading(text)):
            self.elements = []
            self.headings.append((self.rows[self.index][0], text, self.elements))
        elif fresh and _is_transition(text) and self._blank_at(self.index + 1):
            self._add("transition", _clean(text))
        elif fresh and (cue := _cue(text, forced=False)) and not self._blank_at(self.index + 1):
            return self._read_dialogue(text, cue)
        else:
            return self._read_action()
        self.index += 1
        return True

    def _read_block(self, kind: ElementKind, belongs: Callable[[str], bool], inner: Callable[[str], str]) -> bool:
        start, lines = self.index, []
        while self.index < len(self.rows) and belongs(text := self.rows[self.index][1].strip()):
            lines.append(_clean(inner(text)))
            self.index += 1
        self._add(kind, "\n".join(lines), start)
        return False

    def _read_action(self) -> bool:
        start, lines = self.index, []
        while self.index < len(self.rows):
            raw = self.rows[self.index][1]
            text = raw.strip()
            if (not text and raw != _SPACER) or (self.index > start and _ends_paragraph(text)):
                break
            lines.append(_clean(text.removeprefix("!")))
            self.index += 1
        self._add("action", "\n".join(lines).strip("\n"), start)
        return False

    def _read_dialogue(self, cue_text: str, cue: tuple[str, list[str], bool]) -> bool:
        name, extensions, dual = cue
        line, raw = self.rows[self.index]
        spoken: list[str] = []
        parentheticals: list[str] = []
        self.index += 1
        while self.index < len(self.rows) and ((raw_row := self.rows[self.index][1]).strip() or raw_row == _SPACER):
            text = raw_row.strip()
            if text[:1] == "(" and text[-1:] == ")":
                parentheticals.append(_clean(text[1:-1]))
            elif text:
                spoken.append(_clean(text.removeprefix("~")))
            self.index += 1
        previous = self.elements[-1] if self.elements else None
        self.elements.append(
            Dialogue(
                kind="dialogue",
                line=line,
                column=_column(raw),
                text=" ".join(part for part in spoken if part),
                character=_title_case(name),
                cue=cue_text,
                extensions=extensions,
                parentheticals=parentheticals,
                dual=dual and isinstance(previous, Dialogue),
                off_screen=_is_off_screen(extensions),
            )
        )
        return False


def _column(raw: str) -> int:
    return len(raw) - len(raw.lstrip()) + 1


def _clean(text: str) -> str:
    return " ".join(plain_text(text).split())


def _is_centered(text: str) -> bool:
    return len(text) > 1 and text[0] == ">" and text[-1] == "<"


def _is_transition(text: str) -> bool:
    return text == text.upper() and any(c.isalpha() for c in text) and (text.endswith("TO:") or text in TRANSITIONS)


def _ends_paragraph(text: str) -> bool:
    return text[:1] in ("=", "#", "~", ">")


def parse_fountain(text: str, path: Path, encoding: str | None = None) -> Screenplay:
    """Parse Fountain text; never raises, whatever the text (anything unrecognised is action)."""
    rows = _rows(text)
    title_page, body_start = _title_page(rows)
    preamble, scenes = _Body(rows, body_start).parse()
    return Screenplay(path, scenes, title_page, preamble, encoding)


def decode_screenplay(data: bytes, path: Path) -> tuple[str, str]:
    """(text, encoding name) of a screenplay file's bytes; ConfigError when they are binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise ConfigError(f"script {path} starts like UTF-16 but is not: {error}") from None
    if b"\x00" in data:
        raise ConfigError(f"script {path} is a binary file, not a Fountain screenplay (it holds NUL bytes)")
    for codec, name in (("utf-8-sig", "utf-8"), ("cp1252", "cp1252")):
        try:
            return data.decode(codec), name
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def load_fountain(path: Path) -> Screenplay:
    """Read and parse a Fountain file; ConfigError (with the path) when it cannot be read or is binary."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"script {path} cannot be read: {error.strerror or error}") from None
    text, encoding = decode_screenplay(data, path)
    return parse_fountain(text, path, encoding)
