from pathlib import Path

import numpy as np
import pytest

from production_assets.export import burn_in
from production_assets.export.burn_in import SubtitleBurner, burned_frames, frame_time
from production_assets.export.dialogue import DialogueCue

CUES = [
    DialogueCue(
        start=1.0, end=3.0, speaker="Jo", text="Where were you last night? I waited for an hour.", character="Jo"
    ),
    DialogueCue(start=2.0, end=2.5, speaker="Intercom", text="Platform nine.", off_screen=True),
]


def grey_frame(width: int, height: int, channels: int = 3) -> np.ndarray:
    frame = np.full((height, width, channels), 128, dtype=np.uint8)
    if channels == 4:
        frame[:, :, 3] = 0
    return frame


def changed_box(before: np.ndarray, after: np.ndarray) -> tuple[int, int, int, int]:
    rows, columns = np.nonzero((before != after).any(axis=2))
    return int(rows.min()), int(rows.max()), int(columns.min()), int(columns.max())


@pytest.mark.parametrize("size", [(64, 36), (160, 90), (1920, 1080), (4096, 2160)])
def test_text_is_drawn_bottom_centre_inside_the_frame_in_white_and_black(size: tuple[int, int]):
    width, height = size
    frame = grey_frame(width, height)
    burned = SubtitleBurner(CUES).burn(frame, 1.5)
    assert burned is not frame and burned.shape == frame.shape and burned.dtype == np.uint8
    top, bottom, left, right = changed_box(frame, burned)
    # Only a band at the bottom changed, centred, clear of the bottom edge.
    assert top > height * 0.4 and bottom < height - 1
    assert abs((left + right) / 2 - width / 2) <= max(2, width * 0.02)
    text = burned[top : bottom + 1, left : right + 1]
    assert (text.min(axis=2) > 230).sum() > 10 and (text.max(axis=2) < 40).sum() > 10
    assert np.array_equal(burned[:top], frame[:top]) and np.array_equal(burned[bottom + 1 :], frame[bottom + 1 :])


def test_a_frame_without_a_cue_is_returned_as_is():
    frame = grey_frame(64, 36)
    burner = SubtitleBurner(CUES)
    assert burner.burn(frame, 0.5) is frame
    assert burner.burn(frame, 3.0) is frame  # the end is exclusive
    assert burner.burn(frame, 1.0) is not frame


def test_overlapping_cues_are_stacked_the_earlier_on_top():
    frame = grey_frame(640, 360)
    burner = SubtitleBurner(CUES)
    alone = changed_box(frame, burner.burn(frame, 1.5))
    both = changed_box(frame, burner.burn(frame, 2.2))
    assert [subtitle.speaker for subtitle in burner.active(640, 360, 2.2)] == ["Jo", "Intercom"]
    assert both[0] < alone[0] and both[1] == pytest.approx(alone[1], abs=2)


def test_lines_fit_the_frame_width_and_small_frames_get_fewer_words():
    burner = SubtitleBurner(CUES)
    small = [line for subtitle in burner.subtitles(64, 36) for line in subtitle.lines]
    large = [line for subtitle in burner.subtitles(1920, 1080) for line in subtitle.lines]
    assert len(small) > len(large)
    assert sorted(" ".join(small).split()) == sorted(" ".join(large).split())
    frame = grey_frame(64, 36)
    for seconds in np.arange(1.0, 3.0, 0.05):
        burned = burner.burn(frame, float(seconds))
        changed = (burned != frame).any(axis=2)
        assert not changed[:, 0].any() and not changed[:, -1].any()


def test_rgba_frames_become_opaque_under_the_text_only():
    frame = grey_frame(160, 90, channels=4)
    burned = SubtitleBurner(CUES).burn(frame, 1.5)
    assert burned.shape == (90, 160, 4)
    assert burned[:, :, 3].max() == 255 and burned[:40, :, 3].max() == 0


def test_text_is_rendered_once_per_subtitle_and_size(monkeypatch: pytest.MonkeyPatch):
    renders = []
    original = burn_in._render
    monkeypatch.setattr(burn_in, "_render", lambda *args: renders.append(args) or original(*args))
    burner = SubtitleBurner(CUES[:1])
    frame = grey_frame(320, 180)
    first = burner.burn(frame, 1.2)
    for seconds in (1.3, 1.4, 1.5):
        assert np.array_equal(burner.burn(frame, seconds), first)
    assert len(renders) == 1


def test_burned_frames_use_each_frames_middle():
    frames = [grey_frame(64, 36) for _ in range(5)]
    cue = DialogueCue(start=0.2, end=0.3, speaker="Jo", text="Hi")
    out = list(burned_frames(frames, SubtitleBurner([cue]), fps=10, first_frame=0))
    assert [shown is not original for shown, original in zip(out, frames, strict=True)] == [
        False,
        False,
        True,
        False,
        False,
    ]
    later = list(burned_frames(frames[:2], SubtitleBurner([cue]), fps=10, first_frame=1))
    assert [shown is not original for shown, original in zip(later, frames[:2], strict=True)] == [False, True]
    assert frame_time(0, 23.976) == pytest.approx(0.5 * 1001 / 24000)


def test_pillows_own_font_is_used_when_debians_is_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setattr(burn_in, "FONT_FILES", {False: tmp_path / "none.ttf", True: tmp_path / "none-italic.ttf"})
    burn_in.subtitle_font.cache_clear()
    try:
        assert burn_in.subtitle_font(20, True)[1] is False  # not italic by itself: the text is slanted instead
        frame = grey_frame(320, 180)
        burned = SubtitleBurner(CUES).burn(frame, 2.2)
        top, bottom, left, right = changed_box(frame, burned)
        text = burned[top : bottom + 1, left : right + 1]
        assert top > 90 and (text.min(axis=2) > 230).sum() > 10 and (text.max(axis=2) < 40).sum() > 10
    finally:
        burn_in.subtitle_font.cache_clear()
