from pathlib import Path

import numpy as np
from PIL import Image

from production_assets.export.retro_files import gif_durations, write_retro_shot
from production_assets.post.palettes import load_palette_file
from production_assets.post.retro import convert_shot


def frames(count: int = 5) -> list[np.ndarray]:
    ys, xs = np.mgrid[0:90, 0:160]
    return [
        np.stack([(xs * 2 + 9 * i) % 256, ys * 2, (xs + ys) % 256], axis=-1).astype(np.uint8) for i in range(count)
    ]


def test_writes_indexed_frames_gif_sheet_palette_and_previews(tmp_path: Path):
    shot = convert_shot(frames(), "pico8", "ordered", None, (32, 24), "crop")
    written = write_retro_shot(shot, tmp_path, "sc01_hero_cu", fps=24, pixel_scale=3)
    names = sorted(str(p.relative_to(tmp_path)) for p in written)
    expected_frames = [f"frame_{n:04d}.png" for n in range(1, 6)]
    assert names == sorted(
        expected_frames
        + [f"preview/{name}" for name in expected_frames]
        + ["sc01_hero_cu.gif", "sc01_hero_cu.gpl", "sc01_hero_cu_sheet.png"]
    )
    assert all(p.exists() for p in written)
    assert not [p for p in tmp_path.rglob(".*")]

    with Image.open(tmp_path / "frame_0001.png") as first:
        assert first.mode == "P" and first.size == (32, 24)
        assert np.array_equal(np.asarray(first), shot.indices[0])
    with Image.open(tmp_path / "sc01_hero_cu.gif") as gif:
        assert gif.n_frames == 5 and gif.size == (32, 24)
        for number in range(5):
            gif.seek(number)
            assert np.array_equal(np.asarray(gif.convert("RGB")), shot.rgb_frame(number))
    with Image.open(tmp_path / "sc01_hero_cu_sheet.png") as sheet:
        assert sheet.mode == "P" and sheet.size == (3 * 32, 2 * 24)
    with Image.open(tmp_path / "preview" / "frame_0002.png") as preview:
        assert preview.size == (96, 72)
        assert np.array_equal(np.asarray(preview)[::3, ::3], shot.indices[1])
    assert np.array_equal(load_palette_file(tmp_path / "sc01_hero_cu.gpl"), shot.palette)


def test_gif_delays_keep_the_average_frame_rate():
    delays = gif_durations(24, 24)
    assert set(delays) == {40, 50} and sum(delays) == 1000
