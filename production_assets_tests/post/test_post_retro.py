import numpy as np
import pytest

from production_assets.post.palettes import FIXED_PALETTES, palette_for_shot
from production_assets.post.retro import bayer_matrix, convert_shot, downscale, map_to_palette


def scene(height: int = 224, width: int = 256, shift: float = 0.0) -> np.ndarray:
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    red = 255 * xs / width
    green = 255 * ys / height
    blue = 128 + 100 * np.sin((xs + shift) / 17.0) * np.cos(ys / 23.0)
    return np.clip(np.stack([red, green, blue], axis=-1), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("dither", ["none", "ordered", "error_diffusion"])
def test_every_output_pixel_is_a_palette_colour(dither):
    palette = palette_for_shot("snes", [scene()], 256)
    indices = map_to_palette(scene(), palette, dither)
    assert indices.shape == (224, 256) and indices.dtype == np.uint8
    assert indices.max() < len(palette)


def test_nearest_mapping_picks_the_exact_colour_when_present():
    palette = FIXED_PALETTES["pico8"]
    frame = np.repeat(palette[None, :, :], 8, axis=0)
    assert np.array_equal(map_to_palette(frame, palette, "none"), np.tile(np.arange(16), (8, 1)))


def test_gameboy_shot_has_at_most_four_colours():
    shot = convert_shot([scene(), scene(shift=3)], "gameboy", "ordered", 4, (160, 144), "crop")
    assert len(shot.palette) == 4
    for number in range(2):
        frame = shot.rgb_frame(number)
        assert frame.shape == (144, 160, 3)
        assert len(np.unique(frame.reshape(-1, 3), axis=0)) <= 4


def test_ordered_dither_is_temporally_stable_unlike_error_diffusion():
    first = scene()
    second = first.copy()
    second[100:110, 100:110] += 1  # a tiny change in one small area, as between two frames of a still shot
    palette = palette_for_shot("snes", [first], 256)
    ordered = np.mean(map_to_palette(first, palette, "ordered") != map_to_palette(second, palette, "ordered"))
    diffused = np.mean(
        map_to_palette(first, palette, "error_diffusion") != map_to_palette(second, palette, "error_diffusion")
    )
    assert ordered < 0.005
    assert diffused > 3 * ordered


def test_bayer_matrices_are_permutations():
    for size in (2, 4, 8):
        assert sorted(bayer_matrix(size).ravel().tolist()) == list(range(size * size))
    with pytest.raises(ValueError, match=r"^Bayer matrix size must be 2, 4 or 8, not 3$"):
        bayer_matrix(3)


@pytest.mark.parametrize("fit", ["crop", "letterbox"])
def test_downscale_keeps_the_target_size(fit):
    assert downscale(scene(1080, 1920), (256, 224), fit).shape == (224, 256, 3)


def test_downscale_averages_areas():
    frame = np.zeros((4, 4, 3), dtype=np.uint8)
    frame[::2, ::2] = 255
    assert np.array_equal(downscale(frame, (2, 2), "crop"), np.full((2, 2, 3), 64, dtype=np.uint8))


def test_snes_shot_picks_one_palette_for_all_frames():
    frames = [scene(shift=s) for s in (0, 5, 10)]
    shot = convert_shot(frames, "snes", "ordered", 256, (128, 112), "letterbox")
    assert len(shot.indices) == 3 and len(shot.palette) <= 256
    assert all(indices.max() < len(shot.palette) for indices in shot.indices)
