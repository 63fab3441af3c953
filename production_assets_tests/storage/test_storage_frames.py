from pathlib import Path

import numpy as np
from PIL import Image

from production_assets.storage.frames import list_frames, read_frame, write_png_atomic


def test_png_round_trip_and_alpha_is_dropped(tmp_path: Path):
    rgb = np.random.default_rng(1).integers(0, 256, (12, 20, 3), dtype=np.uint8)
    write_png_atomic(tmp_path / "frame_0001.png", rgb)
    assert np.array_equal(read_frame(tmp_path / "frame_0001.png"), rgb)
    rgba = np.dstack([rgb, np.full((12, 20), 7, dtype=np.uint8)])
    Image.fromarray(rgba, "RGBA").save(tmp_path / "rgba.png")
    assert np.array_equal(read_frame(tmp_path / "rgba.png"), rgb)


def test_16_bit_grey_is_reduced_to_8_bit_rgb(tmp_path: Path):
    grey = np.full((4, 4), 0xABCD, dtype=np.uint16)
    Image.fromarray(grey).save(tmp_path / "deep.png")
    frame = read_frame(tmp_path / "deep.png")
    assert frame.shape == (4, 4, 3) and frame[0, 0].tolist() == [0xAB, 0xAB, 0xAB]


def test_list_frames_is_in_frame_order_and_ignores_other_files(tmp_path: Path):
    for name in ("frame_0010.png", "frame_0002.png", ".frame_0003.tmp-ab12.png", "thumb.png", "frame_0001.png"):
        (tmp_path / name).write_bytes(b"")
    assert [p.name for p in list_frames(tmp_path)] == ["frame_0001.png", "frame_0002.png", "frame_0010.png"]
    assert list_frames(tmp_path / "missing") == []
