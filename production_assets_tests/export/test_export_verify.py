import json
from pathlib import Path

import av
import numpy as np
import pytest

from production_assets.export.deliver import deliver_output, export_record_path, read_export_record
from production_assets.export.retro_files import indexed_image
from production_assets.export.verify import failed_outputs, verify_output
from production_assets.export.video import encode_video
from production_assets.model.records import CheckRecord
from production_assets.model.resolved import ResolvedProduction
from production_assets.storage.frames import frame_name
from production_assets_tests.export.conftest import graded_versions, output_named, synthetic_frame


@pytest.mark.parametrize("name", ["cinema", "web", "snes"])
def test_a_fresh_build_passes(delivery_production: ResolvedProduction, name: str):
    output = output_named(delivery_production, name)
    deliver_output(delivery_production, output, graded_versions(delivery_production))
    assert verify_output(delivery_production, output) == []
    assert failed_outputs(delivery_production) == frozenset()


def test_never_built_fails_with_the_record_path(delivery_production: ResolvedProduction):
    problems = verify_output(delivery_production, output_named(delivery_production, "web"))
    assert len(problems) == 1 and problems[0].startswith("output 'web' was never built (")


def test_wrong_frame_count_resolution_and_no_faststart_are_reported(delivery_production: ResolvedProduction):
    output = output_named(delivery_production, "web")
    deliver_output(delivery_production, output, graded_versions(delivery_production))
    film = Path(output.path) / "delivery.mp4"
    # Someone re-encodes the film by hand: 8 frames at 48x36, index at the end.
    with av.open(str(film), "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 48, 36, "yuv420p"
        stream.options = {"profile": "high"}
        for number in range(8):
            container.mux(stream.encode(av.VideoFrame.from_ndarray(synthetic_frame(0, number)[:, :48].copy(), "rgb24")))
        container.mux(stream.encode(None))
    problems = verify_output(delivery_production, output)
    assert "film delivery.mp4 is 48x36, not 64x36" in problems
    assert "film delivery.mp4 has 8 frames, the shots have 9" in problems
    assert any(p.startswith("film delivery.mp4 has its index at the end") for p in problems)
    assert failed_outputs(delivery_production) == {"web"}


def test_wrong_codec_for_the_format_is_reported(delivery_production: ResolvedProduction):
    output = output_named(delivery_production, "cinema")
    deliver_output(delivery_production, output, graded_versions(delivery_production))
    clip = Path(output.path) / "shots" / "s001_close_up_hero.mov"
    encode_video([synthetic_frame(1, n) for n in range(2)], clip, "h264", 24)
    problems = verify_output(delivery_production, output)
    assert any(
        p.startswith("clip of s001_close_up_hero s001_close_up_hero.mov is h264 High, not prores 4444")
        for p in problems
    )


def test_retro_colours_outside_the_palette_and_too_many_colours_are_reported(delivery_production: ResolvedProduction):
    output = output_named(delivery_production, "snes")
    deliver_output(delivery_production, output, graded_versions(delivery_production))
    frame = Path(output.path) / "s002_medium_hero" / frame_name(2)
    # More colours than allowed, none of them BGR555 levels or in the shot's palette.
    wild = np.arange(28 * 32 * 3, dtype=np.uint8).reshape(28, 32, 3) % 20 * 7 + 1
    palette = np.unique(wild.reshape(-1, 3), axis=0)
    indices = np.zeros((28, 32), dtype=np.uint8)
    for number, colour in enumerate(palette):
        indices[(wild == colour).all(axis=2)] = number
    indexed_image(indices, palette).save(frame)
    problems = verify_output(delivery_production, output)
    count = len(palette)
    assert count > 16
    assert any(
        p.startswith(f"shot s002_medium_hero frame_0002.png uses {count} colours outside the shot's palette")
        for p in problems
    )
    assert f"shot s002_medium_hero frame_0002.png shows {count} colours, 16bit_game allows 16" in problems


def test_a_palette_the_console_cannot_show_is_reported(delivery_production: ResolvedProduction):
    output = output_named(delivery_production, "snes")
    deliver_output(delivery_production, output, graded_versions(delivery_production))
    gpl = Path(output.path) / "s001_wide_hero" / "s001_wide_hero.gpl"
    lines = gpl.read_text().splitlines()
    first = next(n for n, line in enumerate(lines) if line[:1].isdigit() or line[:1] == " ")
    lines[first] = "  1   2   3\tnot bgr555"
    gpl.write_text("\n".join(lines) + "\n")
    problems = verify_output(delivery_production, output)
    assert "shot s001_wide_hero's palette has colours outside the SNES's 15-bit BGR555 space" in problems


def test_shots_changed_since_the_build_fails(delivery_production: ResolvedProduction):
    output = output_named(delivery_production, "web")
    deliver_output(delivery_production, output, graded_versions(delivery_production))
    shorter = delivery_production.model_copy(deep=True)
    shorter.shots[0].frame_count = 2
    (problem,) = verify_output(shorter, output)
    assert problem.startswith("output 'web' was built from shots {'s001_wide_hero': 3")


def test_a_new_build_clears_a_recorded_failure(delivery_production: ResolvedProduction):
    output = output_named(delivery_production, "web")
    deliver_output(delivery_production, output, graded_versions(delivery_production))
    (Path(output.path) / "delivery.otio").write_text(
        (Path(output.path) / "delivery.otio").read_text().replace('"name": "s001_wide_hero"', '"name": "renamed"')
    )
    assert verify_output(delivery_production, output)
    assert failed_outputs(delivery_production) == {"web"}
    deliver_output(delivery_production, output, graded_versions(delivery_production))
    assert failed_outputs(delivery_production) == frozenset()
    checked = CheckRecord.model_validate_json(delivery_production.layout.export_checks("web").read_bytes())
    record = read_export_record(delivery_production, "web")
    assert record is not None and checked.build != record.build


def rewrite_film(film: Path, audio_seconds: tuple[float, ...]) -> None:
    """Re-encode the web film by hand (right size, codec and frames) with one AAC track per ``audio_seconds``."""
    with av.open(str(film), "w", format="mp4", options={"movflags": "+faststart"}) as container:
        video = container.add_stream("libx264", rate=24)
        video.width, video.height, video.pix_fmt = 64, 36, "yuv420p"
        video.options = {"profile": "high"}
        tracks = [container.add_stream("aac", rate=48_000, layout="stereo") for _ in audio_seconds]
        for number in range(9):
            container.mux(video.encode(av.VideoFrame.from_ndarray(synthetic_frame(0, number), "rgb24")))
        for track, seconds in zip(tracks, audio_seconds, strict=True):
            silence = av.AudioFrame.from_ndarray(np.zeros((2, round(seconds * 48_000)), np.float32), "fltp", "stereo")
            silence.sample_rate, silence.pts = 48_000, 0
            container.mux(track.encode(silence))
            container.mux(track.encode(None))
        container.mux(video.encode(None))


@pytest.mark.parametrize(
    ("audio_seconds", "problem"),
    [
        ((), "film delivery.mp4 has 0 audio streams, not 1"),
        ((0.375, 0.375), "film delivery.mp4 has 2 audio streams, not 1"),
        ((0.1,), "film delivery.mp4 has 0.100 s of audio for 0.375 s of video"),
    ],
)
def test_a_film_needs_one_audio_track_as_long_as_its_video(
    delivery_production: ResolvedProduction, audio_seconds: tuple[float, ...], problem: str
):
    output = output_named(delivery_production, "web")
    deliver_output(delivery_production, output, graded_versions(delivery_production))
    rewrite_film(Path(output.path) / "delivery.mp4", audio_seconds)
    assert verify_output(delivery_production, output) == [problem]


def test_a_clip_with_the_wrong_audio_codec_is_reported(delivery_production: ResolvedProduction):
    output = output_named(delivery_production, "cinema")
    deliver_output(delivery_production, output, graded_versions(delivery_production))
    clip = Path(output.path) / "shots" / "s001_close_up_hero.mov"
    encode_video([synthetic_frame(1, n, 54, 96) for n in range(2)], clip, "h264", 24)
    assert "clip of s001_close_up_hero s001_close_up_hero.mov has aac audio, not pcm_s24le" in verify_output(
        delivery_production, output
    )


def test_silence_is_valid_unless_a_scratch_read_was_recorded(delivery_production: ResolvedProduction):
    output = output_named(delivery_production, "web")
    deliver_output(delivery_production, output, graded_versions(delivery_production))
    assert verify_output(delivery_production, output) == []
    record_path = export_record_path(delivery_production, "web")
    record = json.loads(record_path.read_text())
    record_path.write_text(json.dumps({**record, "audio": "scratch"}))
    assert verify_output(delivery_production, output) == [
        "film delivery.mp4 has a silent audio track, but a scratch read was asked for"
    ]
    film = Path(output.path) / "delivery.mp4"
    tone = (0.3 * np.sin(np.arange(18_000) / 10)).astype(np.float32)
    encode_video([synthetic_frame(0, n) for n in range(9)], film, "h264", 24, audio=tone)
    assert verify_output(delivery_production, output) == []
