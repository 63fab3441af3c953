from fractions import Fraction
from pathlib import Path

import numpy as np
import opentimelineio as otio
import pytest
from otio_cmx3600_adapter import cmx_3600

from production_assets.errors import ExportError
from production_assets.export.dialogue import DialogueCue
from production_assets.export.editorial import (
    EditorialClip,
    build_timeline,
    editorial_files,
    edl_texts,
)
from production_assets.export.probe import probe_media
from production_assets.export.video import encode_film_and_clips
from production_assets.media.rates import edl_timecode_rate, frame_rate_fraction

CUES = [
    DialogueCue(start=0.05, end=0.4, speaker="Jo", text="Where were you?", character="Jo", line=12),
    DialogueCue(start=0.1, end=0.3, speaker="Intercom", text="Platform nine & ten.", off_screen=True, line=13),
    DialogueCue(start=0.9, end=1.2, speaker="Locke", text="LOC: not a locator.", character="Locke", line=20),
]
RATES = [1, 7.5, 12, 15, 23.976, 24, 25, 29.97, 30, 48, 50, 59.94, 60, 120, 240]
EDL_RATES = {
    1: 24,
    7.5: 30,
    12: 24,
    15: 30,
    23.976: Fraction(24000, 1001),
    24: 24,
    25: 25,
    29.97: Fraction(30000, 1001),
    30: 30,
    48: 48,
    50: 50,
    59.94: Fraction(60000, 1001),
    60: 60,
    120: None,
    240: None,
}


def test_the_edl_timecode_rate_of_every_frame_rate():
    assert {fps: edl_timecode_rate(fps) for fps in RATES} == {
        fps: None if rate is None else float(rate) for fps, rate in EDL_RATES.items()
    }
    assert edl_timecode_rate(12.5) == 25.0 and edl_timecode_rate(11.988) == float(Fraction(24000, 1001))
    assert edl_timecode_rate(7.3) is None


def two_shots(folder: Path, frames: tuple[int, int] = (3, 9)) -> list[EditorialClip]:
    return [
        EditorialClip("s001_wide_jo", folder / "film.mp4", frames[0]),
        EditorialClip("s002_close_up_jo", folder / "film.mp4", frames[1], source_start=frames[0]),
    ]


def test_dialogue_is_a_marker_per_cue_on_the_timeline(tmp_path: Path):
    timeline = build_timeline("Film", two_shots(tmp_path), 24, tmp_path, CUES)
    markers = list(timeline.tracks.markers)
    assert [(m.name, m.comment) for m in markers] == [(c.speaker, c.text) for c in CUES]
    for marker, cue in zip(markers, CUES, strict=True):
        assert marker.marked_range.start_time.to_seconds() == pytest.approx(cue.start)
        assert marker.marked_range.duration.to_seconds() == pytest.approx(cue.end - cue.start)
        dialogue = marker.metadata["production_assets"]["dialogue"]
        assert (dialogue["line"], dialogue["off_screen"], dialogue["character"]) == (
            cue.line,
            cue.off_screen,
            cue.character,
        )
    assert [m.color for m in markers] == ["GREEN", "BLUE", "GREEN"]
    written = otio.adapters.read_from_string(otio.adapters.write_to_string(timeline, "otio_json"), "otio_json")
    assert [m.comment for m in written.tracks.markers] == [c.text for c in CUES]
    assert [clip.name for clip in written.find_clips()] == ["s001_wide_jo", "s002_close_up_jo"]


def test_dialogue_comments_follow_the_event_each_cue_starts_in(tmp_path: Path):
    timeline = build_timeline("Film", two_shots(tmp_path), 24, tmp_path, CUES)
    [text] = edl_texts(timeline, 24, CUES)
    assert text.startswith("TITLE: Film\nFCM: NON-DROP FRAME\n\n001  ")
    lines = text.splitlines()
    second_event = next(n for n, line in enumerate(lines) if line.startswith("002"))
    assert lines.index("* DIALOGUE 00:00:00:01 JO: Where were you?") < second_event
    assert lines.index("* DIALOGUE 00:00:00:02 INTERCOM (O.S.): Platform nine & ten.") < second_event
    assert lines.index("* DIALOGUE 00:00:00:21 LOCKE: LOC: not a locator.") > second_event
    events = list(cmx_3600.read_from_string(text, rate=24).find_clips())
    assert [list(clip.metadata["cmx_3600"].get("comments", [])) for clip in events] == [
        ["DIALOGUE 00:00:00:01 JO: Where were you?", "DIALOGUE 00:00:00:02 INTERCOM (O.S.): Platform nine & ten."],
        ["DIALOGUE 00:00:00:21 LOCKE: LOC: not a locator."],
    ]
    assert not any(clip.markers for clip in events)
    assert not list(timeline.find_clips())[0].metadata["cmx_3600"].get("comments")  # the timeline is not changed


def test_drop_frame_rates_say_so(tmp_path: Path):
    [text] = edl_texts(build_timeline("Film", two_shots(tmp_path), 29.97, tmp_path), 29.97)
    assert "FCM: DROP FRAME" in text and "00:00:00;03" in text


def test_a_rate_without_edl_timecode_gets_only_the_timeline(tmp_path: Path):
    files = editorial_files("Film", tmp_path / "film.mp4", two_shots(tmp_path), 120, CUES)
    assert list(files) == [tmp_path / "film.otio"]
    with pytest.raises(ExportError, match=r"^error: a film at 120 fps cannot be described by a CMX 3600 EDL"):
        edl_texts(build_timeline("Film", two_shots(tmp_path), 120, tmp_path), 120)



def test_a_film_of_more_than_999_shots_gets_its_edl_in_parts_whose_timecode_runs_on(tmp_path: Path):
    clips = [EditorialClip(f"shot{index:04d}", tmp_path / "film.mp4", 2, source_start=2 * index) for index in range(2100)]
    cue = DialogueCue(start=1000 * 2 / 24 + 0.01, end=1000 * 2 / 24 + 0.05, speaker="Jo", text="Late.", line=3)
    files = editorial_files("Film", tmp_path / "film.mp4", clips, 24, [cue])
    parts = [tmp_path / f"film_part0{number}.edl" for number in (1, 2, 3)]
    assert sorted(files) == sorted([tmp_path / "film.otio", *parts])
    read = [list(cmx_3600.read_from_string(files[part].decode(), rate=24).find_clips()) for part in parts]
    assert [len(events) for events in read] == [999, 999, 102], "CMX 3600 numbers events 001-999"
    second = files[parts[1]].decode()
    assert second.startswith("TITLE: Film (part 2 of 3)\nFCM: NON-DROP FRAME\n\n001  ")
    assert "00:01:23:06 00:01:23:08" in second.splitlines()[3], "record timecode runs on: frame 1998 of the film"
    assert [clip.name for clip in read[1][:2]] == ["shot0999", "shot1000"]
    assert list(read[1][1].metadata["cmx_3600"]["comments"]) == ["DIALOGUE 00:01:23:08 JO: Late."]


@pytest.mark.parametrize("fps", RATES)
def test_every_frame_rate_delivers_film_clips_timeline_and_edl_when_it_can(tmp_path: Path, fps: float):
    shots = two_shots(tmp_path, frames=(2, 3))
    clips = {shot.shot_id: tmp_path / "shots" / f"{shot.shot_id}.mp4" for shot in shots}
    editorial = [EditorialClip(shot.shot_id, clips[shot.shot_id], shot.frames) for shot in shots]
    seconds_per_frame = 1 / float(frame_rate_fraction(fps))
    cues = [
        cue.model_copy(update={"start": n * seconds_per_frame, "end": (n + 1) * seconds_per_frame})
        for n, cue in enumerate(CUES)
    ]
    companions = editorial_files("Film", tmp_path / "film.mp4", editorial, fps, cues)
    frames = [np.full((36, 64, 3), 40 * n, dtype=np.uint8) for n in range(5)]
    counts = encode_film_and_clips(
        [("s001_wide_jo", frames[:2]), ("s002_close_up_jo", frames[2:])],
        tmp_path / "film.mp4",
        clips,
        "h264",
        fps,
        companions=companions,
    )
    assert counts == {"s001_wide_jo": 2, "s002_close_up_jo": 3}
    film = probe_media(tmp_path / "film.mp4")
    assert film.frames == 5 and film.audio is not None
    assert abs(film.audio.duration - film.duration) <= seconds_per_frame
    assert [probe_media(clips[shot.shot_id]).frames for shot in shots] == [2, 3]

    timeline = otio.adapters.read_from_file(str(tmp_path / "film.otio"))
    assert [clip.source_range.duration.to_frames() for clip in timeline.find_clips()] == [2, 3]
    assert [marker.comment for marker in timeline.tracks.markers] == [cue.text for cue in CUES]

    edl = tmp_path / "film.edl"
    rate = edl_timecode_rate(fps)
    assert edl.is_file() == (rate is not None) == (EDL_RATES[fps] is not None)
    if rate is not None:
        events = list(cmx_3600.read_from_string(edl.read_text(), rate=rate).find_clips())
        durations = [clip.source_range.duration.to_seconds() for clip in events]
        assert durations == pytest.approx([2 * seconds_per_frame, 3 * seconds_per_frame])
        comments = [comment for clip in events for comment in clip.metadata["cmx_3600"].get("comments", [])]
        assert [comment.split(": ", 1)[1] for comment in comments] == [cue.text for cue in CUES]
