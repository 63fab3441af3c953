"""From screenplay to animatic, end to end: a short Fountain script becomes a timed, subtitled, voiced film.

One real run (`production run`, Cycles at 64x36, 1 sample, 4 fps) of a three-scene screenplay: the
same office by day and by night, two characters trading lines, an intercom voice. The expected
timing is worked out here from the words with the script_timing formula (Storyboarder's defaults),
not read back from the product.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from production_assets.export.probe import probe_media
from production_assets.model.layout import Layout
from production_assets_tests.conftest import REPO, write_production

FPS = 4
FRAME = 1 / FPS
HEADING_SECONDS = 2.0
SPEAKER_PAUSE_SECONDS = 0.25

# (heading, beats): a beat is ("action", text) or (cue, text); the intercom is a voice, not a character.
SCENES: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "INT. OFFICE - DAY",
        [
            ("action", "Mike sits at the desk with a pile of proofs."),
            ("MIKE", "The printer is jammed again."),
            ("JO", "Then we write the last page by hand."),
            ("INTERCOM (V.O.)", "Staff meeting in five minutes."),
        ],
    ),
    (
        "INT. OFFICE - NIGHT",
        [
            ("action", "Only the desk lamp is on. Jo waves at Mike."),
            ("JO", "Still here?"),
            ("MIKE", "Someone has to finish it."),
        ],
    ),
    (
        "INT. OFFICE - LATER",
        [
            ("MIKE", "Go home, Jo."),
            ("JO", "Not without you."),
        ],
    ),
]
PRODUCTION = """\
production:
  title: "Night Shift"
  script: "scripts/night_shift.fountain"
  script_coverage: true
  coverage: over_the_shoulder
  scratch_audio: true
  style: {preset: cinematic}
  characters:
    - {name: Mike, model: "builtin:mannequin"}
    - {name: Jo, model: "builtin:mannequin_female"}
  locations:
    - {name: Office}
  render_settings: {engine: cycles, samples: 1, resolution: [64, 36], frame_rate: 4}
  outputs:
    - {name: burned, format: streaming_1080p, resolution: [64, 36], path: "output/burned/", subtitles: burn_in}
    - {name: web, format: streaming_1080p, resolution: [64, 36], path: "output/web/", subtitles: sidecar}
"""
DAY_SHOT, NIGHT_SHOT = "s001_establishing_wide_office", "s002_establishing_wide_office"


def fountain_text() -> str:
    blocks = ["Title: Night Shift\n"]
    for heading, beats in SCENES:
        blocks.append(heading + "\n")
        blocks += [text + "\n" if kind == "action" else f"{kind}\n{text}\n" for kind, text in beats]
    return "\n".join(blocks)


def words(text: str) -> int:
    return len(text.split())


def seconds(kind: str, text: str) -> float:
    """The script_timing formula: dialogue 300 ms a word + 1 s, action 200 ms a word + 0.5 s (at least 1 s)."""
    return max(1.0, words(text) * 0.3 + 1.0 if kind != "action" else words(text) * 0.2 + 0.5)


def script_clock() -> tuple[list[tuple[str, float, float]], float]:
    """(text, start, duration) of every line on the script's clock, in order, and the script's length."""
    lines, clock = [], 0.0
    for _heading, beats in SCENES:
        clock += HEADING_SECONDS
        previous = None
        for kind, text in beats:
            speaker = None if kind == "action" else kind.split(" (")[0]
            clock += SPEAKER_PAUSE_SECONDS if speaker and previous and speaker != previous else 0.0
            if speaker:
                lines.append((text, clock, seconds(kind, text)))
            clock += seconds(kind, text)
            previous = speaker
    return lines, clock


def expected_lines() -> list[tuple[str, float, float]]:
    return script_clock()[0]


def read_cues(path: Path) -> list[tuple[float, float, str]]:
    """(start, end, text without markup) of every cue of a .srt or .vtt file."""
    stamp = r"(\d+):(\d\d):(\d\d)[,.](\d{3})"
    cues = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        rows = block.splitlines()
        times = next((row for row in rows if "-->" in row), None)
        if times is None:
            continue
        found = re.findall(stamp, times)
        start, end = (int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000 for h, m, s, ms in found)
        text = " ".join(rows[rows.index(times) + 1 :])
        cues.append((start, end, html.unescape(re.sub(r"<[^>]+>", "", text))))
    return cues


def decoded_audio(film: Path) -> tuple[np.ndarray, int]:
    """The film's first audio track as mono float samples, and its sample rate."""
    with av.open(str(film)) as container:
        stream = container.streams.audio[0]
        chunks = [frame.to_ndarray().reshape(frame.to_ndarray().shape[0], -1) for frame in container.decode(stream)]
        rate = stream.rate
    planar = np.concatenate(chunks, axis=1)
    return planar.mean(axis=0).astype(np.float64), rate


def decoded_frames(film: Path) -> list[np.ndarray]:
    with av.open(str(film)) as container:
        return [frame.to_ndarray(format="rgb24").astype(np.int16) for frame in container.decode(video=0)]


def shot_pixels(folder: Path, output: str, shot_id: str) -> np.ndarray:
    """Every graded frame the output was built from for ``shot_id``, as one float RGB array."""
    record = json.loads(Layout(folder).export_record(output).read_text())
    frames = sorted(Layout(folder).graded_dir(shot_id, record["shot_versions"][shot_id]).glob("frame_*.png"))
    assert frames, shot_id
    return np.stack([np.asarray(Image.open(frame).convert("RGB"), dtype=np.float64) for frame in frames])


@pytest.fixture(scope="module")
def animatic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The short screenplay rendered once, with a fresh Dagster instance."""
    root = tmp_path_factory.mktemp("animatic")
    home = root / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO / "deploy" / "local" / "dagster.yaml").read_text())
    folder = write_production(root / "night_shift", PRODUCTION).parent
    (folder / "scripts").mkdir()
    (folder / "scripts" / "night_shift.fountain").write_text(fountain_text(), encoding="utf-8")
    run(folder)
    return folder


def run(folder: Path) -> dict:
    """`production run --json` of ``folder`` with the Dagster instance beside it: what the run did."""
    env = {**os.environ, "DAGSTER_HOME": str(folder.parent / "dagster_home")}
    done = subprocess.run(
        [sys.executable, "-m", "production_assets", "run", str(folder), "--json"],
        capture_output=True, text=True, env=env, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return json.loads(done.stdout)


def rounding(folder: Path) -> float:
    """The most the cut may differ from the script's clock: every shot is its beats rounded to whole frames
    on its own, half a frame at most each."""
    shots = json.loads(Layout(folder).export_record("web").read_text())["shots"]
    return len(shots) * FRAME / 2


def test_every_line_is_subtitled_in_order_within_the_film(animatic: Path) -> None:
    length = probe_media(animatic / "output" / "web" / "night_shift.mp4").duration
    texts = [text for text, _start, _duration in expected_lines()]
    for output in ("web", "burned"):
        for suffix in (".srt", ".vtt"):
            cues = read_cues(animatic / "output" / output / f"night_shift{suffix}")
            assert [text for _start, _end, text in cues] == texts, (output, suffix)
            assert all(0 <= start < end <= length + 1e-3 for start, end, _text in cues), cues
            assert all(a[1] <= b[0] + 1e-3 for a, b in zip(cues, cues[1:], strict=False)), "lines do not overlap"


def test_each_cue_lasts_as_long_as_its_words_and_starts_on_the_script_clock(animatic: Path) -> None:
    cues = read_cues(animatic / "output" / "web" / "night_shift.srt")
    drift = rounding(animatic)
    for (start, end, text), (_text, script_start, duration) in zip(cues, expected_lines(), strict=True):
        # Cuts fall on whole frames: a cue may lose or gain up to a frame at either end, and the shots
        # before it may together have gained or lost up to half a frame each.
        assert abs((end - start) - duration) <= FRAME + 1e-3, (text, end - start, duration)
        assert abs(start - script_start) <= drift + FRAME + 1e-3, (text, start, script_start)


def test_the_film_lasts_as_long_as_the_script_reads(animatic: Path) -> None:
    expected = script_clock()[1]  # 3 headings, 2 action paragraphs, 7 lines, 4 changes of speaker
    assert expected == pytest.approx(28.3)
    for output in ("web", "burned"):
        film = probe_media(animatic / "output" / output / "night_shift.mp4")
        assert film.fps == FPS
        assert abs(film.frames / FPS - expected) <= rounding(animatic), (output, film.frames, expected)
        assert abs(film.duration - expected) <= rounding(animatic), (output, film.duration, expected)


def test_the_scratch_read_speaks_during_every_line_and_is_silent_before_the_first(animatic: Path) -> None:
    film = animatic / "output" / "web" / "night_shift.mp4"
    info = probe_media(film)
    assert info.audio_streams == 1 and info.audio is not None and info.audio.peak is not None
    assert info.audio.peak > 0.2, "the scratch read is not silent"
    samples, rate = decoded_audio(film)
    assert abs(len(samples) / rate - info.duration) < 0.1
    cues = read_cues(animatic / "output" / "web" / "night_shift.srt")

    def loudness(start: float, end: float) -> float:
        window = samples[int(start * rate) : int(end * rate)]
        return float(np.sqrt(np.mean(window**2)))

    opening = loudness(0.0, 1.8)  # the first heading: nobody speaks yet
    assert opening < 0.01
    for start, end, text in cues:
        assert loudness(start, end) > 10 * max(opening, 1e-4), text


def test_the_night_scene_is_darker_and_bluer_than_the_day_scene_in_the_same_office(animatic: Path) -> None:
    day, night = (shot_pixels(animatic, "web", shot).mean(axis=(0, 1, 2)) for shot in (DAY_SHOT, NIGHT_SHOT))
    assert night.mean() < 0.7 * day.mean(), (day, night)
    assert night[2] / night.sum() > day[2] / day.sum() + 0.005, (day, night)
    assert night[2] / night[0] > day[2] / day[0], (day, night)


def test_burned_in_subtitles_mark_only_the_frames_under_a_line(animatic: Path) -> None:
    burned = decoded_frames(animatic / "output" / "burned" / "night_shift.mp4")
    clean = decoded_frames(animatic / "output" / "web" / "night_shift.mp4")
    assert len(burned) == len(clean)
    cues = read_cues(animatic / "output" / "web" / "night_shift.srt")
    under_a_line = [any(start <= (index + 0.5) * FRAME < end for start, end, _ in cues) for index in range(len(clean))]
    differences = [int(np.abs(b - c).max()) for b, c in zip(burned, clean, strict=True)]
    marked = [difference for difference, spoken in zip(differences, under_a_line, strict=True) if spoken]
    unmarked = [difference for difference, spoken in zip(differences, under_a_line, strict=True) if not spoken]
    assert marked and min(marked) > 60, differences
    assert unmarked and max(unmarked) < 30, differences


def test_the_report_tells_the_story_scene_by_scene(animatic: Path) -> None:
    report = html.unescape((animatic / "report.html").read_text(encoding="utf-8"))
    positions = [report.find(heading) for heading, _beats in SCENES]
    assert all(position >= 0 for position in positions) and positions == sorted(positions), positions
    for text, _start, _duration in expected_lines():
        assert text in report, text


def test_the_animatic_example_validates_with_only_the_warnings_its_yaml_explains() -> None:
    example = REPO / "configs" / "production" / "examples" / "animatic"
    shown = subprocess.run(
        [sys.executable, "-m", "production_assets", "validate", str(example), "--json"], capture_output=True, text=True
    )
    result = json.loads(shown.stdout)
    assert result["valid"] is True, shown.stdout
    warnings = [issue["message"] for issue in result["issues"] if issue["severity"] == "warning"]
    stand_ins = [message for message in warnings if "which no location names" in message]
    places = ["'HARBOR STREET'", "'STAIRWELL'", '"MIKE\'S CAR"', "'BELL PARK'", "'CORNER DINER'"]
    assert sorted(stand_ins) == sorted(next(m for m in stand_ins if place in m) for place in places)
    assert len(stand_ins) == len(warnings), warnings


def test_editing_one_line_re_renders_only_its_shot_and_rebuilds_subtitles_and_films(animatic: Path) -> None:
    """Runs last: it edits the script of the shared run."""
    script = animatic / "scripts" / "night_shift.fountain"
    films = {output: animatic / "output" / output / "night_shift.mp4" for output in ("web", "burned")}
    built = {output: film.stat().st_mtime_ns for output, film in films.items()}
    # The same number of words: no shot changes length or acting, yet the subtitles and films must change.
    script.write_text(fountain_text().replace("Go home, Jo.", "Go away, Jo."), encoding="utf-8")
    reworded = run(animatic)
    assert reworded["frames_rendered"] == 0 and reworded["completed_shot_ids"] == [], reworded
    assert "Go away, Jo." in (animatic / "output" / "web" / "night_shift.srt").read_text(encoding="utf-8")
    assert all(film.stat().st_mtime_ns != built[output] for output, film in films.items())
    # Two more words: only the shot that holds the line is longer; other scenes keep every cut.
    script.write_text(fountain_text().replace("Still here?", "Are you still here?"), encoding="utf-8")
    longer = run(animatic)
    assert longer["completed_shot_ids"] == ["s002_over_the_shoulder_jo_mike"], longer["completed_shot_ids"]
    assert "Are you still here?" in (animatic / "output" / "burned" / "night_shift.vtt").read_text(encoding="utf-8")
