from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from production_assets.export.probe import probe_media
from production_assets.export.video import encode_video


def frames(count: int = 4) -> list[np.ndarray]:
    return [np.full((36, 64, 3), 50 * n, dtype=np.uint8) for n in range(count)]


def handmade(path: Path, audio_streams: int) -> None:
    """An H.264 .mp4 with ``audio_streams`` silent AAC streams, written directly with PyAV."""
    with av.open(str(path), "w") as container:
        video = container.add_stream("libx264", rate=24)
        video.width, video.height, video.pix_fmt = 64, 36, "yuv420p"
        audios = [container.add_stream("aac", rate=48_000, layout="stereo") for _ in range(audio_streams)]
        for pixels in frames():
            container.mux(video.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")))
        for audio in audios:
            silence = av.AudioFrame.from_ndarray(np.zeros((2, 8000), dtype=np.float32), format="fltp", layout="stereo")
            silence.sample_rate, silence.pts, silence.time_base = 48_000, 0, Fraction(1, 48_000)
            container.mux(audio.encode(silence))
            container.mux(audio.encode(None))
        container.mux(video.encode(None))


def test_the_audio_stream_is_described(tmp_path: Path):
    path = tmp_path / "master.mov"
    tone = (0.25 * np.sin(2 * np.pi * 440 * np.arange(8000) / 48_000)).astype(np.float32)
    encode_video(frames(), path, "prores_4444", 24, audio=tone)
    info = probe_media(path)
    assert info.audio_streams == 1 and info.audio is not None
    assert (info.audio.codec, info.audio.sample_rate, info.audio.channels) == ("pcm_s24le", 48_000, 2)
    assert info.audio.duration == pytest.approx(4 / 24)
    assert info.audio.peak == pytest.approx(0.25, abs=1e-3)
    quick = probe_media(path, decode=False)
    assert quick.audio is not None and quick.audio.peak is None and quick.audio.duration == info.audio.duration


@pytest.mark.parametrize("streams", [0, 2])
def test_files_without_audio_or_with_several_tracks(tmp_path: Path, streams: int):
    path = tmp_path / "other.mp4"
    handmade(path, streams)
    info = probe_media(path)
    assert info.audio_streams == streams and info.frames == 4
    assert (info.audio is None) == (streams == 0)
    if info.audio is not None:
        assert (info.audio.codec, info.audio.peak) == ("aac", 0.0)
