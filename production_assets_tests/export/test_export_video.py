from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from production_assets.export.probe import probe_media, top_level_atoms
from production_assets.export.video import (
    audio_sample_at,
    encode_film_and_clips,
    encode_video,
    frame_rate_fraction,
)
from production_assets.media.codecs import CODECS


def varied_frames(count: int = 3, width: int = 64, height: int = 36) -> list[np.ndarray]:
    ys, xs = np.mgrid[0:height, 0:width]
    return [
        np.stack([(xs * 4 + 40 * i) % 256, (ys * 7) % 256, ((xs + ys) * 3 + 90 * i) % 256], axis=-1).astype(np.uint8)
        for i in range(count)
    ]


def test_h264_is_high_yuv420p_faststart_with_exact_frames(tmp_path: Path):
    path = tmp_path / "web.mp4"
    assert encode_video(varied_frames(), path, "h264", 24) == 3
    info = probe_media(path)
    assert (info.codec, info.profile, info.pix_fmt) == ("h264", "High", "yuv420p")
    assert (info.width, info.height, info.frames, info.fps) == (64, 36, 3, 24.0)
    assert info.duration == pytest.approx(3 / 24)
    assert info.faststart is True
    assert top_level_atoms(path).index("moov") < top_level_atoms(path).index("mdat")


def test_prores_4444_with_alpha_in_a_mov(tmp_path: Path):
    path = tmp_path / "master.mov"
    encode_video(varied_frames(), path, "prores_4444", 23.976)
    info = probe_media(path)
    assert (info.codec, info.profile) == ("prores", "4444")
    # Encoded from yuva444p10le; FFmpeg's ProRes decoder always hands 4444 back as 12-bit.
    assert info.pix_fmt in ("yuva444p10le", "yuva444p12le")
    assert info.frames == 3
    assert info.fps == pytest.approx(24000 / 1001)
    assert info.duration == pytest.approx(3 * 1001 / 24000)


def test_h264_with_a_bitrate(tmp_path: Path):
    path = tmp_path / "capped.mp4"
    encode_video(varied_frames(5), path, "h264", 25, bitrate=400_000)
    info = probe_media(path)
    assert (info.frames, info.fps, info.profile) == (5, 25.0, "High")


def test_frame_rates_are_exact_fractions():
    assert frame_rate_fraction(24) == Fraction(24, 1)
    assert frame_rate_fraction(23.976) == Fraction(24000, 1001)
    assert frame_rate_fraction(29.97) == Fraction(30000, 1001)
    assert frame_rate_fraction(12.5) == Fraction(25, 2)
    assert frame_rate_fraction(11.988) == Fraction(12000, 1001)
    assert frame_rate_fraction(47.952) == Fraction(48000, 1001)
    assert frame_rate_fraction(119.88) == Fraction(120000, 1001)
    assert frame_rate_fraction(12) == Fraction(12)


def test_failure_mid_encode_leaves_the_previous_file_and_no_temp(tmp_path: Path):
    path = tmp_path / "web.mp4"
    encode_video(varied_frames(), path, "h264", 24)
    before = path.read_bytes()

    def failing_frames() -> Iterator[np.ndarray]:
        frames = varied_frames()
        yield frames[0]
        yield frames[1]
        raise RuntimeError("render worker died")

    with pytest.raises(RuntimeError, match="^render worker died$"):
        encode_video(failing_frames(), path, "h264", 24)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["web.mp4"]


def test_odd_dimensions_and_wrong_container_are_refused_without_writing(tmp_path: Path):
    with pytest.raises(ValueError, match=r"^H\.264 High \(yuv420p\) needs even dimensions, got 63x36$"):
        encode_video(varied_frames(width=63), tmp_path / "odd.mp4", "h264", 24)
    with pytest.raises(ValueError, match=r"^ProRes 4444 goes in a \.mov file, not master\.mp4$"):
        encode_video(varied_frames(), tmp_path / "master.mp4", "prores_4444", 24)
    assert list(tmp_path.iterdir()) == []


def test_prores_4444_keeps_the_frames_alpha(tmp_path: Path):
    path = tmp_path / "alpha.mov"
    frames = [np.dstack([rgb, np.tile(np.linspace(0, 255, 64, dtype=np.uint8), (36, 1))]) for rgb in varied_frames(2)]
    encode_video(frames, path, "prores_4444", 24)
    with av.open(str(path)) as container:
        decoded = next(container.decode(video=0)).to_ndarray(format="rgba")
    assert decoded[:, 0, 3].max() < 8 and decoded[:, -1, 3].min() > 247


def decoded_audio(path: Path) -> np.ndarray:
    """The first audio stream as ``(samples, channels)`` floats in [-1, 1]."""
    with av.open(str(path)) as container:
        blocks = []
        for frame in container.decode(audio=0):
            samples = frame.to_ndarray()
            if np.issubdtype(samples.dtype, np.integer):
                samples = samples / float(np.iinfo(samples.dtype).max + 1)
            planar = frame.format.is_planar
            blocks.append(samples.T if planar else samples.reshape(-1, len(frame.layout.channels)))
    return np.concatenate(blocks)


@pytest.mark.parametrize("codec", ["h264", "prores_4444"])
@pytest.mark.parametrize("fps", [12, 23.976, 24, 25, 29.97, 30, 60])
def test_every_file_has_one_audio_track_as_long_as_its_video(tmp_path: Path, codec: str, fps: float):
    path = tmp_path / ("film.mp4" if codec == "h264" else "film.mov")
    for audio in (None, np.full(10, 0.25, dtype=np.float32), np.full(10 * 48_000, 0.25, dtype=np.float32)):
        encode_video(varied_frames(7), path, codec, fps, audio=audio)  # type: ignore[arg-type]
        info = probe_media(path)
        assert info.audio_streams == 1 and info.audio is not None
        assert (info.audio.codec, info.audio.sample_rate, info.audio.channels) == (
            CODECS[codec].video.audio_codec,
            48_000,
            2,
        )
        assert info.duration == pytest.approx(7 / float(frame_rate_fraction(fps)))
        assert abs(info.audio.duration - info.duration) <= 1 / fps
        assert (info.audio.peak == 0) == (audio is None)


@pytest.mark.parametrize("fps", [24, 23.976])
def test_clips_carry_the_films_audio_under_their_frames(tmp_path: Path, fps: float):
    seconds = 9 / float(frame_rate_fraction(fps))
    times = np.arange(round(seconds * 48_000)) / 48_000
    tone = (0.5 * np.sin(2 * np.pi * 440 * times)).astype(np.float32)
    stereo = np.stack([tone, -tone], axis=1)
    film, clips = tmp_path / "film.mov", {"a": tmp_path / "a.mov", "b": tmp_path / "b.mov"}
    frames = varied_frames(9)
    encode_film_and_clips([("a", frames[:4]), ("b", frames[4:])], film, clips, "prores_4444", fps, audio=stereo)
    heard = decoded_audio(film)
    assert heard.shape == stereo.shape
    assert np.abs(heard - stereo).max() < 1e-6  # 24-bit PCM: the signal itself
    split = audio_sample_at(4, fps)
    assert split == round(4 * 48_000 / float(frame_rate_fraction(fps)))
    assert np.array_equal(decoded_audio(clips["a"]), heard[:split])
    assert np.array_equal(decoded_audio(clips["b"]), heard[split:])


def test_mono_audio_goes_to_both_channels_in_aac(tmp_path: Path):
    path = tmp_path / "web.mp4"
    tone = (0.5 * np.sin(2 * np.pi * 440 * np.arange(24_000) / 48_000)).astype(np.float32)
    encode_video(varied_frames(12), path, "h264", 24, audio=tone)
    heard = decoded_audio(path)
    assert heard.shape[1] == 2 and np.abs(heard[:, 0] - heard[:, 1]).max() < 1e-3
    assert 0.45 < np.abs(heard).max() < 0.56


def test_audio_that_is_not_float_samples_is_refused_without_writing(tmp_path: Path):
    with pytest.raises(ValueError, match=r"^audio must be float samples in \[-1, 1\], not int16$"):
        encode_video(varied_frames(), tmp_path / "web.mp4", "h264", 24, audio=np.zeros(100, dtype=np.int16))
    shape = r"^audio must be \(samples,\) or \(samples, 1 or 2 channels\), not \(100, 6\)$"
    with pytest.raises(ValueError, match=shape):
        encode_video(varied_frames(), tmp_path / "web.mp4", "h264", 24, audio=np.zeros((100, 6), dtype=np.float32))
    assert list(tmp_path.iterdir()) == []
