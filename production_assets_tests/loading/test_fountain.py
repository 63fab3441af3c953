"""The Fountain parser: every element of the syntax, line numbers, encodings and hostile input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from production_assets.errors import ConfigError
from production_assets.loading.fountain import (
    Dialogue,
    Screenplay,
    ScriptElement,
    Section,
    count_words,
    decode_screenplay,
    load_fountain,
    parse_fountain,
    plain_text,
)

SCREENPLAYS = Path(__file__).parent / "screenplays"


def parse(text: str) -> Screenplay:
    return parse_fountain(text, Path("film.fountain"))


def action(line: int, text: str, column: int = 1) -> ScriptElement:
    return ScriptElement(kind="action", line=line, column=column, text=text)


def line_of(kind: str, line: int, text: str) -> ScriptElement:
    return ScriptElement(kind=kind, line=line, column=1, text=text)  # type: ignore[arg-type]


def dialogue(line: int, cue: str, character: str, text: str, **fields: object) -> Dialogue:
    values: dict[str, object] = {
        "extensions": [],
        "parentheticals": [],
        "dual": False,
        "off_screen": False,
        "column": 1,
    }
    values.update(fields)
    return Dialogue(kind="dialogue", line=line, cue=cue, character=character, text=text, **values)  # type: ignore[arg-type]


def test_every_element_title_page_and_preamble() -> None:
    screenplay = load_fountain(SCREENPLAYS / "every_element.fountain")
    assert screenplay.encoding == "utf-8"
    assert screenplay.title_page == {
        "title": "THE LIGHTHOUSE\nA short film",
        "credit": "Written by",
        "author": "Jo Director",
        "draft date": "2 January 2026",
        "contact": "Jo Director\njo@example.com",
    }
    assert screenplay.preamble == [
        Section(kind="section", line=11, column=1, text="ACT ONE", level=1),
        line_of("synopsis", 13, "The keeper hears a voice in the storm."),
        line_of("transition", 15, "FADE IN:"),
    ]


def test_every_element_scene_headings() -> None:
    scenes = load_fountain(SCREENPLAYS / "every_element.fountain").scenes
    summary = [
        (s.number, s.line, s.heading, s.place, s.scene_number, s.interior, s.time_of_day, s.time_of_day_text)
        for s in scenes
    ]
    assert summary == [
        (1, 17, "INT. LIGHTHOUSE - LAMP ROOM - NIGHT", "LIGHTHOUSE", "1", True, "night", "NIGHT"),
        (2, 39, "EXT. CLIFF PATH - SUNRISE", "CLIFF PATH", "1A", False, "dawn", "SUNRISE"),
        (3, 69, "FLASHBACK - 1980", "FLASHBACK", "2", None, None, "1980"),
        (4, 77, "INT./EXT. CAR - MOMENTS LATER", "CAR", None, None, "continuous", "MOMENTS LATER"),
        (5, 82, "I/E. BOAT - DUSK", "BOAT", None, None, "dusk", "DUSK"),
        (6, 87, "EST. HARBOUR - LATE AFTERNOON", "HARBOUR", None, False, "day", "LATE AFTERNOON"),
    ]
    assert [s.speakers for s in scenes] == [["Mara", "Tom"], ["Mcclane", "Brick", "Steel"], [], ["Radio"], ["Tom"], []]


def test_every_element_scene_one_action_dialogue_and_transition() -> None:
    scene = load_fountain(SCREENPLAYS / "every_element.fountain").scene(1)
    assert scene is not None
    assert scene.elements == [
        action(19, "The lamp turns. Rain hammers the glass.\nThe floor *creaks*."),
        dialogue(22, "MARA (V.O.)", "Mara", "Every night the light goes round.", extensions=["V.O."], off_screen=True),
        dialogue(25, "MARA", "Mara", "Forty years of this. Forty years.", parentheticals=["to herself"]),
        dialogue(31, "TOM (O.S.)", "Tom", "Mara? Are you up there?", extensions=["O.S."], off_screen=True),
        dialogue(34, "MARA (cont'd)", "Mara", "Where else would I be?", extensions=["CONT'D"]),
        line_of("transition", 37, "CUT TO:"),
    ]
    assert [element.words for element in scene.elements] == [10, 6, 6, 5, 5, 2]


def test_every_element_forced_dual_lyrics_notes_boneyard() -> None:
    screenplay = load_fountain(SCREENPLAYS / "every_element.fountain")
    assert screenplay.scenes[1].elements == [
        action(41, "THE WIND. It never stops."),
        dialogue(43, "@McCLANE", "Mcclane", "Yippee ki-yay."),
        dialogue(46, "BRICK", "Brick", "Screw retirement."),
        dialogue(49, "STEEL ^", "Steel", "Screw retirement.", dual=True),
        line_of("lyrics", 52, "Row, row, row your boat\nGently down the stream"),
        action(58, "...and the gulls scream."),
        line_of("transition", 67, "SMASH CUT TO:"),
    ]
    assert screenplay.scenes[2].elements == [
        Section(kind="section", line=71, column=1, text="The old days", level=2),
        line_of("centered", 73, "THE END"),
        line_of("page_break", 75, ""),
    ]
    assert screenplay.scenes[3].elements == [
        dialogue(
            79,
            "RADIO (ON RADIO) (V.O.)",
            "Radio",
            "Storm warning for the coast.",
            extensions=["ON RADIO", "V.O."],
            off_screen=True,
        )
    ]
    assert screenplay.scenes[4].elements == [
        dialogue(84, "TOM (INTERCOM)", "Tom", "Mara, do you copy?", extensions=["INTERCOM"], off_screen=True)
    ]
    assert screenplay.scenes[5].elements == [action(89, "Boats rock at their moorings.")]


def test_crlf_tabs_and_bom_read_like_plain_text() -> None:
    screenplay = load_fountain(SCREENPLAYS / "crlf_tabs_bom.fountain")
    assert screenplay.title_page == {"title": "Tabs", "author": "Jo Director"}
    assert [(s.line, s.heading, s.time_of_day, s.interior) for s in screenplay.scenes] == [
        (5, "INT. KITCHEN - MORNING", "morning", True),
        (18, "EXT. GARDEN - EVENING", "evening", False),
    ]
    assert screenplay.scenes[0].elements == [
        action(7, "Steam rises from a pot.", column=2),
        dialogue(9, "MARA", "Mara", "Is it ready? It smells ready.", parentheticals=["quietly"], column=2),
        dialogue(15, "TOM (O.S.)", "Tom", "Not yet!", extensions=["O.S."], off_screen=True, column=2),
    ]
    assert screenplay.scenes[1].elements == [action(20, "The sun sets.", column=2)]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_numbers_do_not_depend_on_line_endings(newline: str) -> None:
    text = newline.join(["Title: X", "", "INT. A - DAY", "", "BOB", "Hi.", "", "EXT. B - NIGHT", "", "Rain.", ""])
    screenplay = parse(text)
    assert [scene.line for scene in screenplay.scenes] == [3, 8]
    assert [element.line for scene in screenplay.scenes for element in scene.elements] == [5, 10]


def test_realistic_short_speakers_voices_and_times_of_day() -> None:
    screenplay = load_fountain(SCREENPLAYS / "night_shift.fountain")
    assert screenplay.title_page["title"] == "NIGHT SHIFT"
    assert screenplay.preamble == [line_of("transition", 6, "FADE IN:")]
    assert [(s.place, s.interior, s.time_of_day) for s in screenplay.scenes] == [
        ("HARBOUR WAREHOUSE", False, "night"),
        ("HARBOUR WAREHOUSE", True, "continuous"),
        ("CONTAINER STACKS", False, "night"),
        ("BAY SEVEN", True, "night"),
        ("HARBOUR WAREHOUSE", False, "dawn"),
    ]
    assert [s.speakers for s in screenplay.scenes] == [
        ["Nina"],
        ["Nina", "Oscar", "Dispatch"],
        ["Oscar", "Nina"],
        ["Nina", "Girl", "Oscar"],
        ["Oscar", "Nina"],
    ]
    lines = [e for s in screenplay.scenes for e in s.elements if isinstance(e, Dialogue)]
    assert len(lines) == 23
    assert [(e.line, e.character, e.extensions) for e in lines if e.off_screen] == [
        (12, "Nina", ["V.O."]),
        (52, "Dispatch", ["INTERCOM"]),
        (60, "Dispatch", ["INTERCOM"]),
        (102, "Nina", ["V.O."]),
    ]
    assert screenplay.scenes[-1].elements[-1] == line_of("transition", 117, "FADE OUT.")


@pytest.mark.parametrize(
    ("heading", "place", "interior", "time_of_day", "time_text"),
    [
        ("INT. HOUSE - DAY", "HOUSE", True, "day", "DAY"),
        ("ext. park - night", "park", False, "night", "night"),
        ("INT/EXT CAR - SUNSET", "CAR", None, "dusk", "SUNSET"),
        ("EXT./INT. SHED -- MIDNIGHT", "SHED", None, "night", "MIDNIGHT"),
        ("I/E HALL – SAME", "HALL", None, "continuous", "SAME"),
        ("INT. HOUSE - KITCHEN - LATER", "HOUSE", True, "continuous", "LATER"),
        ("INT. HOUSE - DAY (FLASHBACK)", "HOUSE", True, "day", "DAY (FLASHBACK)"),
        ("INT. HOUSE - NIGHT - CONTINUOUS", "HOUSE", True, "continuous", "CONTINUOUS"),
        ("EXT. BEACH - EARLY MORNING", "BEACH", False, "morning", "EARLY MORNING"),
        ("EXT. BEACH - MAGIC HOUR", "BEACH", False, "dusk", "MAGIC HOUR"),
        ("EXT. FIELD - DAYBREAK", "FIELD", False, "dawn", "DAYBREAK"),
        ("INT. BAR - EVENING", "BAR", True, "evening", "EVENING"),
        ("INT. HOUSE - KITCHEN", "HOUSE", True, None, "KITCHEN"),
        ("INT. HOUSE", "HOUSE", True, None, None),
        (".DREAM SEQUENCE", "DREAM SEQUENCE", None, None, None),
        ("EST. **TOWN** - DUSK #12-B#", "TOWN", False, "dusk", "DUSK"),
    ],
)
def test_scene_heading_place_and_time_of_day(
    heading: str, place: str, interior: bool | None, time_of_day: str | None, time_text: str | None
) -> None:
    scene = parse(f"{heading}\n\nSomething happens.\n").scenes[0]
    assert (scene.place, scene.interior, scene.time_of_day, scene.time_of_day_text) == (
        place,
        interior,
        time_of_day,
        time_text,
    )


def test_scene_numbers_and_what_is_not_a_heading() -> None:
    text = "INT. A - DAY #1A#\n\n..INT is short for interior.\n\nShe reads:\nINT. B - NIGHT\n\n.5 seconds pass.\n"
    screenplay = parse(text)
    assert [(s.heading, s.scene_number) for s in screenplay.scenes] == [
        ("INT. A - DAY", "1A"),
        ("5 seconds pass.", None),
    ]
    assert screenplay.scenes[0].elements == [
        action(3, "..INT is short for interior."),
        action(5, "She reads:\nINT. B - NIGHT"),
    ]


def test_character_cues_need_a_blank_line_before_and_dialogue_after() -> None:
    text = (
        "INT. A - DAY\n\nHAL 9000 (V.O.) (CONT'D)\nGood morning.\n\nBANG.\n\n"
        "Mary\nNot a cue.\n\nCUT TO:\n\nFADE IN:\nThe sun."
    )
    elements = parse(text).scenes[0].elements
    assert elements == [
        dialogue(
            3, "HAL 9000 (V.O.) (CONT'D)", "Hal 9000", "Good morning.", extensions=["V.O.", "CONT'D"], off_screen=True
        ),
        action(6, "BANG."),
        action(8, "Mary\nNot a cue."),
        line_of("transition", 11, "CUT TO:"),
        action(13, "FADE IN:\nThe sun."),
    ]


@pytest.mark.parametrize(
    ("cue", "character", "extensions", "off_screen"),
    [
        ("O'NEIL (ON PHONE)", "O'Neil", ["ON PHONE"], True),
        ("JOHN'S MOTHER (PRE-LAP)", "John's Mother", ["PRE-LAP"], True),
        ("DR. JONES (O. S.)", "Dr. Jones", ["O. S."], True),
        ("ROBOT (FILTERED)", "Robot", ["FILTERED"], True),
        ("ANNA (OFF)", "Anna", ["OFF"], True),
        ("ANNA (INTO PHONE)", "Anna", ["INTO PHONE"], True),
        ("ANNA (CONT'D)", "Anna", ["CONT'D"], False),
        ("ANNA (laughing)", "Anna", ["LAUGHING"], False),
        ("@van Helsing", "Van Helsing", [], False),
    ],
)
def test_cue_names_extensions_and_off_screen_voices(
    cue: str, character: str, extensions: list[str], off_screen: bool
) -> None:
    line = parse(f"INT. A - DAY\n\n{cue}\nHello.\n").scenes[0].elements[0]
    assert isinstance(line, Dialogue)
    assert (line.cue, line.character, line.extensions, line.off_screen) == (cue, character, extensions, off_screen)


def test_dual_dialogue_only_follows_dialogue() -> None:
    elements = parse("INT. A - DAY\n\nBOB ^\nFirst.\n\nANN ^\nSecond.\n\nBOB\nThird.\n").scenes[0].elements
    assert [(e.character, e.dual) for e in elements if isinstance(e, Dialogue)] == [
        ("Bob", False),
        ("Ann", True),
        ("Bob", False),
    ]


def test_sung_lines_in_dialogue_and_two_space_lines_in_action() -> None:
    text = (
        "INT. A - DAY\n\nMARA\n~Row, row, row\n~your boat.\n\n"
        "She stops.\n  \nShe sighs.\n\nNo spacer.\n \nJust blank.\n"
    )
    assert parse(text).scenes[0].elements == [
        dialogue(3, "MARA", "Mara", "Row, row, row your boat."),
        action(7, "She stops.\n\nShe sighs."),
        action(11, "No spacer."),
        action(13, "Just blank."),
    ]


def test_notes_and_boneyard_are_removed_and_keep_line_numbers() -> None:
    text = (
        "INT. A - DAY\n\nMARA\nHello [[a note]] there.\n[[A note\non two lines.]]\nStill me.\n\n"
        "/* a cut scene\n\nINT. CUT - DAY\n\nGone.\n*/\nTom [[not closed\n\nwaits.]]\n\nBOB\nA /* stray opener.\n"
    )
    screenplay = parse(text)
    assert len(screenplay.scenes) == 1
    assert screenplay.scenes[0].elements == [
        dialogue(3, "MARA", "Mara", "Hello there. Still me."),
        action(15, "Tom [[not closed"),
        action(17, "waits.]]"),
        dialogue(19, "BOB", "Bob", "A /* stray opener."),
    ]


@pytest.mark.parametrize(
    ("marked", "plain"),
    [
        ("*italic* and **bold** and ***both***", "italic and bold and both"),
        ("_underlined_ and _**mixed**_", "underlined and mixed"),
        (r"escaped \*stars\* and \_lines\_", "escaped *stars* and _lines_"),
        ("5 * 3 = 15, snake_case stays", "5 * 3 = 15, snake_case stays"),
        ("an *unclosed star", "an unclosed star"),
    ],
)
def test_emphasis_markers_are_stripped(marked: str, plain: str) -> None:
    assert plain_text(marked) == plain


@pytest.mark.parametrize(
    ("text", "words"),
    [("Forty years of this.", 4), ("Don't -- stop... twenty-two!", 3), ("... -- !", 0), ("", 0), ("R2D2 beeps", 2)],
)
def test_word_counts(text: str, words: int) -> None:
    assert count_words(text) == words


@pytest.mark.parametrize(
    "text",
    [
        "Night falls: rain on the roof.\n\nINT. A - DAY\n",
        "FADE IN:\n\nINT. A - DAY\n",
        "INT. A - DAY\n\nTitle: not a title page\n",
    ],
)
def test_title_page_only_with_a_known_first_key(text: str) -> None:
    screenplay = parse(text)
    assert screenplay.title_page == {}
    assert len(screenplay.scenes) == 1


def test_title_page_may_start_indented() -> None:
    screenplay = parse("  Title: Indented\n    and continued\n\nINT. A - DAY\n")
    assert screenplay.title_page == {"title": "Indented\nand continued"}
    assert [scene.line for scene in screenplay.scenes] == [4]


def test_title_page_values_keys_and_emphasis() -> None:
    text = (
        "\n\nTITLE: **Big**\n  Film\nDraft  Date: today\nNotes:\n\tone\n\ttwo\nSource: a\nSource: b\n\nINT. A - DAY\n"
    )
    screenplay = parse(text)
    assert screenplay.title_page == {"title": "Big\nFilm", "draft date": "today", "notes": "one\ntwo", "source": "a\nb"}
    assert screenplay.scenes[0].line == 12


def test_scene_lookup_by_number() -> None:
    screenplay = parse("INT. A - DAY\n\nEXT. B - DAY\n")
    assert [getattr(screenplay.scene(n), "place", None) for n in (0, 1, 2, 3)] == [None, "A", "B", None]


def test_unreadable_and_binary_files_are_config_errors(tmp_path: Path) -> None:
    missing = tmp_path / "missing.fountain"
    with pytest.raises(ConfigError, match=rf"^error: script {re.escape(str(missing))} cannot be read: No such file"):
        load_fountain(missing)
    with pytest.raises(ConfigError, match=rf"^error: script {re.escape(str(tmp_path))} cannot be read: Is a directory"):
        load_fountain(tmp_path)
    binary = tmp_path / "film.fountain"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ConfigError, match=rf"^error: script {re.escape(str(binary))} is a binary file"):
        load_fountain(binary)


@pytest.mark.parametrize(
    ("data", "encoding", "line"),
    [
        ("INT. CAFÉ - DAY\n\nNOËL\n“Hi.”\n".encode(), "utf-8", "“Hi.”"),
        ("\ufeffINT. CAFÉ - DAY\n\nNOËL\n“Hi.”\n".encode(), "utf-8", "“Hi.”"),
        ("INT. CAFÉ - DAY\n\nNOËL\n“Hi.”\n".encode("cp1252"), "cp1252", "“Hi.”"),
        ("INT. CAFÉ - DAY\n\nNOËL\nHi\x81.\n".encode("latin-1"), "latin-1", "Hi\x81."),
        ("\ufeffINT. CAFÉ - DAY\r\n\r\nNOËL\r\n“Hi.”\r\n".encode("utf-16-le"), "utf-16", "“Hi.”"),
    ],
)
def test_encodings(tmp_path: Path, data: bytes, encoding: str, line: str) -> None:
    path = tmp_path / "film.fountain"
    path.write_bytes(data)
    screenplay = load_fountain(path)
    assert screenplay.encoding == encoding
    assert screenplay.scenes[0].place == "CAFÉ"
    assert screenplay.scenes[0].elements == [dialogue(3, "NOËL", "Noël", line)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("*a " * 300_000, "a " * 299_999 + "a"),
        ("[[a " * 300_000, "[[a " * 299_999 + "[[a"),
        ("/*a " * 300_000, "/*a " * 299_999 + "/*a"),
        ("]]*/" * 300_000, "]]*/" * 300_000),
        ("BOB " + "(" * 1_000_000 + "\nHi.", "BOB " + "(" * 1_000_000 + "\nHi."),
    ],
    ids=["stars", "open notes", "open boneyards", "closers", "cue parentheses"],
)
def test_pathological_lines_parse_in_one_pass(body: str, expected: str) -> None:
    assert parse("INT. A - DAY\n\n" + body).scenes[0].elements == [action(3, expected)]


def test_pathological_structures_parse_in_one_pass() -> None:
    notes = parse("INT. A - DAY\n\n" + "[[a\n\n" * 50_000 + "]]")
    assert len(notes.scenes[0].elements) == 50_001
    cue = parse("INT. A - DAY\n\nBOB" + " (V.O.)" * 200_000 + "\nHi.").scenes[0].elements[0]
    assert isinstance(cue, Dialogue) and len(cue.extensions) == 200_000
    speakers = parse("INT. A - DAY\n\n" + "".join(f"N{n}\nHi.\n\n" for n in range(100_000))).scenes[0].speakers
    assert (len(speakers), speakers[-1]) == (100_000, "N99999")
    heading = parse("INT. A" + " - DAY" * 200_000 + "\n").scenes[0]
    assert (heading.place, heading.time_of_day) == ("A", "day")


FOUNTAIN_PIECES = st.sampled_from(
    ["\n", "\n\n", "\r", "\r\n", "  ", "\t", "\ufeff", "Title:", "Author: x", "INT. ", "EXT ", "I/E.", ".", ".."]
    + ["#1A#", " - NIGHT", "MARA", "@Tom", " (V.O.)", "(", ")", "^", "~", ">", "<", "CUT TO:", "!", "=", "===", "#"]
    + ["[[", "]]", "/*", "*/", "*", "**", "_", "\\", "words", " "]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(st.one_of(FOUNTAIN_PIECES, st.text(max_size=3)), max_size=60).map("".join)))
def test_any_text_parses(text: str) -> None:
    screenplay = parse(text)
    assert all(scene.number == index for index, scene in enumerate(screenplay.scenes, 1))


@settings(max_examples=200, deadline=None)
@given(st.binary())
def test_any_bytes_decode_or_are_config_errors(data: bytes) -> None:
    try:
        text, encoding = decode_screenplay(data, Path("film.fountain"))
    except ConfigError as error:
        assert "film.fountain" in str(error)
    else:
        assert encoding in ("utf-8", "utf-16", "cp1252", "latin-1")
        parse(text)


WORDS = st.sampled_from(["the", "rain", "falls", "she", "waits", "door", "light", "why", "now", "never"])
NAMES = st.sampled_from(["MARA", "TOM", "DR. OKAFOR", "HAL 9000", "O'NEIL"])
EXTENSIONS = st.sampled_from(["", " (V.O.)", " (O.S.)", " (CONT'D)", " (ON PHONE)"])
TIMES = st.sampled_from(["DAY", "NIGHT", "DUSK", "LATER", "CONTINUOUS"])


@st.composite
def sentences(draw: st.DrawFn) -> str:
    words = draw(st.lists(WORDS, min_size=1, max_size=12))
    return " ".join(words).capitalize() + "."


@st.composite
def scenes(draw: st.DrawFn) -> tuple[str, int]:
    heading = f"{draw(st.sampled_from(['INT.', 'EXT.', 'I/E']))} {draw(WORDS).upper()} - {draw(TIMES)}"
    blocks, cues = [heading], 0
    for is_dialogue in draw(st.lists(st.booleans(), max_size=8)):
        if is_dialogue:
            lines = draw(st.lists(sentences(), min_size=1, max_size=3))
            blocks.append("\n".join([draw(NAMES) + draw(EXTENSIONS), *lines]))
            cues += 1
        else:
            blocks.append("\n".join(draw(st.lists(sentences(), min_size=1, max_size=3))))
    return "\n\n".join(blocks), cues


@settings(max_examples=150, deadline=None)
@given(st.lists(scenes(), max_size=6), st.sampled_from(["\n", "\r\n"]))
def test_well_formed_screenplays_keep_their_scenes_and_cues(drawn: list[tuple[str, int]], newline: str) -> None:
    text = "Title: Generated\n\n" + "\n\n".join(scene for scene, _ in drawn) + "\n"
    screenplay = parse(text.replace("\n", newline))
    assert len(screenplay.scenes) == len(drawn)
    assert [sum(isinstance(e, Dialogue) for e in s.elements) for s in screenplay.scenes] == [c for _, c in drawn]
