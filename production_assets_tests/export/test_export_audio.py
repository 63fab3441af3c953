import os
from pathlib import Path

import numpy as np
import pytest

from production_assets.errors import ProductionError
from production_assets.export import audio
from production_assets.export.audio import (
    CHARACTER_VARIANTS,
    LINE_PEAK,
    OTHER_VOICE_VARIANTS,
    ScratchAudioUnavailableError,
    Voice,
    cue_voice,
    dialogue_track,
    synthesize,
    voice_for,
)
from production_assets.export.dialogue import DialogueCue
from production_assets.media.speech import tts_engine

RATE = 48_000
needs_engine = pytest.mark.skipif(
    tts_engine() is None and not os.environ.get("CI"),
    reason="espeak-ng is not installed (scripts/install_test_deps.sh installs it; CI must have it)",
)


def cue(
    start: float, end: float, speaker: str, text: str, character: bool = True, off_screen: bool = False
) -> DialogueCue:
    return DialogueCue(
        start=start,
        end=end,
        speaker=speaker,
        text=text,
        character=speaker if character else None,
        off_screen=off_screen,
    )


def onset(track: np.ndarray, after: float = 0.0, level: float = 0.02) -> float:
    """Seconds of the first sample louder than ``level`` at or after ``after``."""
    first = int(after * RATE)
    return (first + int(np.argmax(np.abs(track[first:]) > level))) / RATE


def test_voices_are_chosen_from_the_name_the_same_every_time():
    cast = ["Jo", "Sam", "Hero", "Villain", "Mrs Hudson", "Detective Kim"]
    voices = [voice_for(name) for name in cast]
    assert voices == [voice_for(name) for name in cast]
    assert voice_for("JO") == voice_for(" jo ")
    assert all(voice.variant in CHARACTER_VARIANTS for voice in voices)
    assert len(set(voices)) == len(cast)
    assert voice_for("Intercom", character=False).variant in OTHER_VOICE_VARIANTS
    intercom = cue(0, 1, "Intercom", "Platform nine.", character=False, off_screen=True)
    assert cue_voice(intercom).variant in OTHER_VOICE_VARIANTS
    chosen = Voice("m1", 50, 160)
    assert cue_voice(cue(0, 1, "Jo", "Hi"), voices={"Jo": chosen}) == chosen


def test_a_missing_engine_names_the_setting_and_the_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert tts_engine() is None
    with pytest.raises(ScratchAudioUnavailableError) as caught:
        dialogue_track([cue(0, 1, "Jo", "Hi")], 2.0)
    assert isinstance(caught.value, ProductionError)
    assert caught.value.message.startswith("scratch_audio: true needs the espeak-ng text-to-speech engine")
    assert "apt-get install espeak-ng" in caught.value.suggestion and "scratch_audio: false" in caught.value.suggestion


@needs_engine
def test_each_line_is_spoken_from_its_cue_start_in_a_48k_track(tmp_path: Path):
    cues = [cue(0.5, 1.5, "Jo", "Where were you?"), cue(2.5, 3.5, "Sam", "Out walking.")]
    track = dialogue_track(cues, 4.25, cache_dir=tmp_path)
    assert track.dtype == np.float32 and track.shape == (round(4.25 * RATE),)
    assert np.abs(track[: int(0.5 * RATE)]).max() == 0
    assert 0.5 <= onset(track) < 0.65
    assert 2.5 <= onset(track, after=2.45) < 2.65
    assert np.abs(track).max() == pytest.approx(LINE_PEAK, abs=1e-3)


@needs_engine
def test_characters_sound_different():
    first = synthesize("The same words.", voice_for("Jo"))
    second = synthesize("The same words.", voice_for("Sam"))
    assert voice_for("Jo") != voice_for("Sam")
    shortest = min(len(first), len(second))
    assert len(first) != len(second) or not np.allclose(first[:shortest], second[:shortest], atol=0.05)


@needs_engine
def test_overlapping_lines_are_summed_without_clipping(tmp_path: Path):
    crowd = [cue(0.2, 2.0, name, "Everybody talks at once, all together now.") for name in ("Jo", "Sam", "Kim", "Lee")]
    track = dialogue_track(crowd, 3.0, cache_dir=tmp_path)
    assert np.abs(track).max() <= LINE_PEAK + 1e-6
    assert np.abs(track).max() > LINE_PEAK / 4


@needs_engine
def test_a_line_never_runs_into_the_same_voices_next_line(tmp_path: Path):
    long_line = cue(0.0, 0.5, "Jo", "This line is far too long to be said in the time before the next line starts.")
    next_line = cue(1.5, 2.5, "Jo", "Next.")
    other = cue(1.0, 2.0, "Sam", "Meanwhile.")
    both = dialogue_track([long_line, next_line], 3.0, cache_dir=tmp_path)
    alone = dialogue_track([next_line], 3.0, cache_dir=tmp_path)
    difference = both - alone
    assert np.abs(difference[: int(1.4 * RATE)]).max() > 0.1
    assert np.abs(difference[int(1.5 * RATE) :]).max() == 0
    # Another voice may talk over it: the long line runs on, at its own speed, long after Sam has finished.
    with_sam = dialogue_track([long_line, other], 6.0, cache_dir=tmp_path)
    sam_alone = dialogue_track([other], 6.0, cache_dir=tmp_path)
    assert np.abs(sam_alone[3 * RATE :]).max() == 0 and np.abs(with_sam[3 * RATE : 4 * RATE]).max() > 0.1


@needs_engine
def test_a_line_past_the_films_end_is_cut(tmp_path: Path):
    track = dialogue_track(
        [cue(0.0, 0.3, "Jo", "A line that goes on and on well past the end.")], 0.5, cache_dir=tmp_path
    )
    assert track.shape == (RATE // 2,)
    assert np.abs(track[-10:]).max() < 0.01  # faded, no click


@needs_engine
def test_an_unchanged_line_is_never_synthesized_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    cues = [cue(0.1, 1.0, "Jo", "Hello there."), cue(1.2, 2.0, "Sam", "Hello there.")]
    first = dialogue_track(cues, 2.5, cache_dir=tmp_path)
    cached = sorted(tmp_path.iterdir())
    assert len(cached) == 2 and all(path.suffix == ".wav" and not path.name.startswith(".") for path in cached)

    def no_engine(*args: object) -> np.ndarray:
        raise AssertionError("synthesized again")

    monkeypatch.setattr(audio, "_speak", no_engine)
    assert np.array_equal(dialogue_track(cues, 2.5, cache_dir=tmp_path), first)
    assert sorted(tmp_path.iterdir()) == cached
