import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from production_assets.export.dialogue import DialogueCue
from production_assets.export.subtitles import srt_text, subtitle_files, timestamp, vtt_text

SRT_TIME = re.compile(r"^(\d\d):(\d\d):(\d\d),(\d\d\d) --> (\d\d):(\d\d):(\d\d),(\d\d\d)$")
VTT_TIME = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d\d\d) --> (\d\d):(\d\d):(\d\d)\.(\d\d\d)$")


def _milliseconds(parts: tuple[str, ...]) -> int:
    hours, minutes, seconds, millis = (int(part) for part in parts)
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def parse_srt(text: str) -> list[tuple[int, int, list[str]]]:
    """A SubRip reader written for the test: numbered blocks separated by one blank line."""
    assert not text.startswith("\n") and "\n\n\n" not in text
    entries = []
    for number, block in enumerate(text.strip("\n").split("\n\n"), start=1):
        index, times, *lines = block.split("\n")
        assert index == str(number)
        match = SRT_TIME.match(times)
        assert match, times
        assert lines and all(line.strip() for line in lines)
        entries.append((_milliseconds(match.groups()[:4]), _milliseconds(match.groups()[4:]), lines))
    return entries


def parse_vtt(text: str) -> list[tuple[int, int, list[str]]]:
    """A WebVTT reader written for the test: the header, then blank-line separated cues with an id line."""
    header, *blocks = text.strip("\n").split("\n\n")
    assert header == "WEBVTT"
    entries = []
    for block in blocks:
        _, times, *lines = block.split("\n")
        match = VTT_TIME.match(times)
        assert match, times
        assert lines and all(line.strip() and "-->" not in line for line in lines)
        entries.append((_milliseconds(match.groups()[:4]), _milliseconds(match.groups()[4:]), lines))
    return entries


def _unmarked(lines: list[str]) -> str:
    text = " ".join(lines)
    text = re.sub(r"</?i>", "", text)
    text = re.sub(r"^<v [^>]*>|</v>$", "", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


CUES = [
    DialogueCue(start=1.0, end=2.5, speaker="Jo", text="Where were you?", character="Jo", line=12),
    DialogueCue(start=2.0, end=3.25, speaker="Sam", text="Out.", character="Sam", line=14),  # dual dialogue
    DialogueCue(start=4.0006, end=5.9994, speaker="Intercom", text="Platform nine <now> & then.", off_screen=True),
]


def test_srt_has_every_cue_with_exact_millisecond_times_and_optional_speakers():
    entries = parse_srt(srt_text(CUES, speakers=True))
    assert [(start, end) for start, end, _ in entries] == [(1000, 2500), (2000, 3250), (4001, 5999)]
    assert [lines for _, _, lines in entries] == [
        ["JO: Where were you?"],
        ["SAM: Out."],
        ["<i>INTERCOM: Platform nine <now> & then.</i>"],
    ]
    plain = parse_srt(srt_text(CUES, speakers=False, mark_off_screen=False))
    assert [lines for _, _, lines in plain] == [["Where were you?"], ["Out."], ["Platform nine <now> & then."]]


def test_vtt_escapes_text_and_names_voices():
    text = vtt_text(CUES, speakers=True)
    assert text.startswith("WEBVTT\n\n")
    entries = parse_vtt(text)
    assert [(start, end) for start, end, _ in entries] == [(1000, 2500), (2000, 3250), (4001, 5999)]
    assert entries[0][2] == ["<v Jo>Where were you?</v>"]
    assert entries[2][2] == ["<v Intercom><i>Platform nine &lt;now&gt; &amp; then.</i></v>"]
    assert [_unmarked(lines) for _, _, lines in entries] == [cue.text for cue in CUES]


def test_overlapping_cues_stay_separate_in_start_order():
    late_first = [CUES[1], CUES[0]]
    for parse, text in ((parse_srt, srt_text(late_first)), (parse_vtt, vtt_text(late_first))):
        entries = parse(text)
        assert [(start, end, _unmarked(lines)) for start, end, lines in entries] == [
            (1000, 2500, "Where were you?"),
            (2000, 3250, "Out."),
        ]


LONG = (
    "I told you a hundred times that the last train leaves at nine, and still you stood there on the platform "
    "arguing with the conductor about a ticket you never bought."
)


def test_a_long_line_becomes_consecutive_subtitles_of_two_short_lines_timed_by_words():
    cue = DialogueCue(start=10.0, end=17.5, speaker="Jo", text=LONG)
    entries = parse_srt(srt_text([cue]))
    assert len(entries) >= 2
    assert all(len(lines) <= 2 and all(len(line) <= 42 for line in lines) for _, _, lines in entries)
    assert " ".join(" ".join(lines) for _, _, lines in entries) == LONG
    assert entries[0][0] == 10_000 and entries[-1][1] == 17_500
    assert all(entries[n][1] == entries[n + 1][0] for n in range(len(entries) - 1))
    words = len(LONG.split())
    elapsed = 0
    for _, end, lines in entries:
        elapsed += len(" ".join(lines).split())
        assert end == 10_000 + 7_500 * elapsed // words


def test_the_speaker_label_counts_towards_the_line_length():
    cue = DialogueCue(start=0, end=2, speaker="Bartholomew", text="a" * 30 + " " + "b" * 30)
    (first, *rest) = parse_srt(srt_text([cue], speakers=True))
    assert first[2][0].startswith("BARTHOLOMEW:") and all(len(line) <= 42 for line in first[2])
    assert " ".join(" ".join(lines) for _, _, lines in [first, *rest]) == "BARTHOLOMEW: " + cue.text


def test_text_is_one_line_of_words_and_cues_must_end_after_they_start():
    cue = DialogueCue(start=0, end=1, speaker="Jo", text="  two\n\nparagraphs\tof  words ")
    assert cue.text == "two paragraphs of words"
    assert "\n\n" not in srt_text([cue]).strip("\n")
    with pytest.raises(ValidationError, match="a cue must end after it starts"):
        DialogueCue(start=2, end=2, speaker="Jo", text="Hi")
    with pytest.raises(ValidationError):
        DialogueCue(start=0, end=1, speaker="Jo", text=" \n ")


def test_timestamps_beyond_an_hour():
    assert timestamp(3_723_004, ",") == "01:02:03,004"
    assert timestamp(0, ".") == "00:00:00.000"


def test_sidecar_files_sit_beside_the_film(tmp_path: Path):
    files = subtitle_files(tmp_path / "film.mp4", CUES)
    assert sorted(path.name for path in files) == ["film.srt", "film.vtt"]
    assert parse_srt(files[tmp_path / "film.srt"].decode())[0][:2] == (1000, 2500)


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz&<>'?!,.", min_size=1, max_size=14)
cues_strategy = st.lists(
    st.tuples(
        st.integers(0, 3_600_000), st.integers(1, 20_000), st.lists(words, min_size=1, max_size=40), st.booleans()
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(cues_strategy)
def test_every_cue_round_trips_through_both_formats(drawn: list[tuple[int, int, list[str], bool]]):
    cues = [
        DialogueCue(
            start=start / 1000, end=(start + length) / 1000, speaker=f"S{n}", text=" ".join(text), off_screen=off
        )
        for n, (start, length, text, off) in enumerate(drawn)
    ]
    srt = [(start, end, _unmarked(lines), lines) for start, end, lines in parse_srt(srt_text(cues))]
    vtt = [(start, end, _unmarked(lines)) for start, end, lines in parse_vtt(vtt_text(cues))]
    voiced = parse_vtt(vtt_text(cues, speakers=True))
    assert [entry[:3] for entry in srt] == vtt == [(start, end, _unmarked(lines)) for start, end, lines in voiced]
    assert [start for start, *_ in srt] == sorted(start for start, *_ in srt)
    assert all(len(lines) <= 2 and all(len(_unmarked([line])) <= 42 for line in lines) for *_, lines in srt)
    for cue in cues:
        pieces = [entry for entry in voiced if entry[2][0].startswith(f"<v {cue.speaker}>")]
        times = [(start, end) for start, end, _ in pieces]
        # Consecutive subtitles that meet exactly, span the cue's rounded time and say its words.
        assert times[0][0] == round(cue.start * 1000) and times[-1][1] == round(cue.end * 1000)
        assert all(times[n][1] == times[n + 1][0] for n in range(len(times) - 1))
        assert " ".join(_unmarked(lines) for _, _, lines in pieces) == cue.text
        italic = all(line.count("<i>") == 1 for _, _, lines in pieces for line in lines)
        assert italic == cue.off_screen
