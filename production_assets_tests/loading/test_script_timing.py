"""Screenplay timing: beat durations from word counts, pauses, dual dialogue, cues, and the timing model."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from production_assets.loading.fountain import load_fountain, parse_fountain
from production_assets.loading.script_timing import ScriptCue, ScriptTimeline, milliseconds, time_screenplay
from production_assets.model.script import ScriptTiming

SCREENPLAYS = Path(__file__).parent / "screenplays"
LONG_PARAGRAPH = " ".join(["word"] * 150)
SCRIPT = f"""\
FADE IN:

Before the first heading.

INT. KITCHEN - NIGHT

The kettle boils over.

MARA
Tea?

TOM
Yes please, two sugars.

MARA ^
We are out of sugar entirely, sorry.

CUT TO:

= The song.

~La la la la

TOM (V.O.)
Never again.

!Ok.

{LONG_PARAGRAPH}

>THE END<

EXT. YARD - DAY

MARA
(waves)

MARA
Bye.
"""


def timeline(text: str = SCRIPT, timing: ScriptTiming | None = None) -> ScriptTimeline:
    return time_screenplay(parse_fountain(text, Path("film.fountain")), timing or ScriptTiming())


def beat_rows(result: ScriptTimeline, scene: int) -> list[tuple[object, ...]]:
    return [
        (b.kind, b.line, b.words, b.speaker, b.off_screen, b.dual, b.start_ms, b.duration_ms, b.pause_ms)
        for b in result.beats(scene)
    ]


def test_beats_take_their_duration_from_words() -> None:
    result = timeline()
    assert beat_rows(result, 1) == [
        ("heading", 5, 3, None, False, False, 0, 2000, 0),  # heading_seconds
        ("action", 7, 4, None, False, False, 2000, 1300, 0),  # 4 / 5 + 0.5
        ("dialogue", 9, 1, "Mara", False, False, 3300, 1300, 0),  # 1 * 0.3 + 1
        ("dialogue", 12, 4, "Tom", False, False, 4600, 3350, 250),  # pause + max(4 * 0.3 + 1, 7 * 0.3 + 1)
        ("dialogue", 15, 7, "Mara", False, True, 4600, 3350, 250),  # dual: starts with Tom, same slot
        ("lyrics", 22, 4, None, False, False, 7950, 2200, 0),  # 4 * 0.3 + 1; transition, synopsis: no time
        ("dialogue", 24, 2, "Tom", True, False, 10150, 1600, 0),  # after lyrics: no speaker pause
        ("action", 27, 1, None, False, False, 11750, 1000, 0),  # 0.7 s raised to min_beat_seconds
        ("action", 29, 150, None, False, False, 12750, 20000, 0),  # 30.5 s capped at max_beat_seconds
    ]
    assert beat_rows(result, 2) == [
        ("heading", 33, 3, None, False, False, 0, 2000, 0),
        ("dialogue", 35, 0, "Mara", False, False, 2000, 1000, 0),  # a silent reaction still takes the pad
        ("dialogue", 38, 1, "Mara", False, False, 3000, 1300, 0),
    ]
    assert [(s.number, s.line, s.heading, s.start_ms, s.duration_ms) for s in result.scenes] == [
        (1, 5, "INT. KITCHEN - NIGHT", 0, 32750),
        (2, 33, "EXT. YARD - DAY", 32750, 4300),
    ]
    assert (result.duration_ms, result.duration) == (37050, 37.05)
    assert result.beats(3) == [] and result.scene(0) is None


def test_beats_tile_each_scene_and_sum_to_its_duration() -> None:
    for result in (timeline(), time_screenplay(load_fountain(SCREENPLAYS / "every_element.fountain"), ScriptTiming())):
        for scene in result.scenes:
            slots = [beat for beat in scene.beats if not beat.dual]
            assert sum(beat.duration_ms for beat in slots) == scene.duration_ms
            assert round(sum(beat.duration for beat in slots), 3) == scene.duration
            assert [beat.start_ms for beat in slots] == [
                sum(b.duration_ms for b in slots[:i]) for i in range(len(slots))
            ]
        assert [s.start_ms for s in result.scenes] == [
            sum(s.duration_ms for s in result.scenes[:i]) for i in range(len(result.scenes))
        ]


def test_dialogue_cues_for_subtitles_and_scratch_audio() -> None:
    assert timeline().dialogue_cues() == [
        ScriptCue(scene=1, line=9, speaker="Mara", text="Tea?", off_screen=False, start_ms=3300, end_ms=4600),
        ScriptCue(
            scene=1,
            line=12,
            speaker="Tom",
            text="Yes please, two sugars.",
            off_screen=False,
            start_ms=4850,
            end_ms=7950,
        ),
        ScriptCue(
            scene=1,
            line=15,
            speaker="Mara",
            text="We are out of sugar entirely, sorry.",
            off_screen=False,
            start_ms=4850,
            end_ms=7950,
        ),
        ScriptCue(scene=1, line=24, speaker="Tom", text="Never again.", off_screen=True, start_ms=10150, end_ms=11750),
        ScriptCue(scene=2, line=38, speaker="Mara", text="Bye.", off_screen=False, start_ms=35750, end_ms=37050),
    ]
    assert timeline().dialogue_cues()[1].start == 4.85


def test_custom_timing_and_millisecond_rounding() -> None:
    timing = ScriptTiming(
        dialogue_words_per_second=3,
        dialogue_pad_seconds=0,
        action_words_per_second=3,
        action_pad_seconds=0,
        heading_seconds=0,
        min_beat_seconds=0,
        speaker_pause_seconds=0.0005,
    )
    result = timeline("INT. A - DAY\n\nBOB\nHi.\n\nANN\nHi there you.\n\nShe waves.\n", timing)
    assert [(b.kind, b.start_ms, b.duration_ms, b.pause_ms) for b in result.beats(1)] == [
        ("dialogue", 0, 333, 0),  # 1/3 s
        ("dialogue", 333, 1001, 1),  # a 0.5 ms pause rounds up to 1 ms; 3/3 s
        ("action", 1334, 667, 0),  # 2/3 s rounds half up
    ]
    assert [milliseconds(s) for s in (0.0005, 0.0015, 2.0004, 1 / 3)] == [1, 2, 2000, 333]


def test_timing_is_deterministic_and_realistic_for_a_short() -> None:
    screenplay = load_fountain(SCREENPLAYS / "night_shift.fountain")
    first, second = time_screenplay(screenplay, ScriptTiming()), time_screenplay(screenplay, ScriptTiming())
    assert first == second
    assert [scene.duration_ms for scene in first.scenes] == [20000, 55700, 28350, 32400, 19350]
    assert first.duration_ms == 155800  # about 2.6 pages: close to the one-page-a-minute rule
    assert len(first.dialogue_cues()) == 23
    assert [(c.speaker, c.off_screen) for c in first.dialogue_cues() if c.off_screen] == [
        ("Nina", True),
        ("Dispatch", True),
        ("Dispatch", True),
        ("Nina", True),
    ]


def test_script_timing_defaults_follow_storyboarder() -> None:
    timing = ScriptTiming()
    assert round(1 / timing.dialogue_words_per_second, 6) == 0.3
    assert (timing.dialogue_pad_seconds, 1 / timing.action_words_per_second, timing.action_pad_seconds) == (1, 0.2, 0.5)
    assert (timing.heading_seconds, timing.min_beat_seconds, timing.max_beat_seconds) == (2, 1, 20)
    assert timing.speaker_pause_seconds == 0.25
    schema = ScriptTiming.model_json_schema()["properties"]
    assert all(field.get("description") for field in schema.values())


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"dialogue_words_per_second": 0}, r"dialogue_words_per_second\n  Input should be greater than 0"),
        ({"action_pad_seconds": -1}, r"action_pad_seconds\n  Input should be greater than or equal to 0"),
        ({"max_beat_seconds": 1000}, r"max_beat_seconds\n  Input should be less than or equal to 600"),
        ({"min_beat_seconds": 5, "max_beat_seconds": 2}, r"max_beat_seconds \(2\.0\) is below min_beat_seconds"),
        ({"words_per_minute": 180}, r"words_per_minute\n  Extra inputs are not permitted"),
    ],
)
def test_script_timing_rejects_bad_values(values: dict[str, float], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ScriptTiming.model_validate(values)


NAMES = st.sampled_from(["MARA", "TOM", "ANN"])
BLOCKS = st.one_of(
    st.builds(lambda n: "She waits. " * n, st.integers(1, 120)),
    st.builds(
        lambda name, dual, n: f"{name}{' ^' if dual else ''}\n" + "Yes. " * n, NAMES, st.booleans(), st.integers(0, 80)
    ),
    st.sampled_from(["CUT TO:", "# Part", "= Synopsis", "===", ">CENTERED<", "~La la"]),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(BLOCKS, max_size=10), min_size=1, max_size=5),
    st.floats(0, 5),
    st.floats(0, 3),
    st.floats(0.001, 57),
)
def test_any_screenplay_times_into_tiling_beats(
    scenes: list[list[str]], heading: float, minimum: float, extra: float
) -> None:
    text = "\n\n".join(f"INT. ROOM {n} - DAY\n\n" + "\n\n".join(blocks) for n, blocks in enumerate(scenes, 1))
    timing = ScriptTiming(heading_seconds=heading, min_beat_seconds=minimum, max_beat_seconds=minimum + extra)
    result = timeline(text, timing)
    assert len(result.scenes) == len(scenes)
    for scene in result.scenes:
        slots = [beat for beat in scene.beats if not beat.dual]
        assert sum(beat.duration_ms for beat in slots) == scene.duration_ms
        spoken = [beat.duration_ms - beat.pause_ms for beat in scene.beats if beat.kind != "heading"]
        assert all(milliseconds(minimum) <= own <= milliseconds(minimum + extra) for own in spoken)
    assert result.duration_ms == sum(scene.duration_ms for scene in result.scenes)
    assert all(cue.start_ms < cue.end_ms for cue in result.dialogue_cues())
