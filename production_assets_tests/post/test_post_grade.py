import numpy as np
import pytest

from production_assets.model.presets import GradeSpec
from production_assets.post.grade import grade_frame


def gradient_frame(height: int = 72, width: int = 128) -> np.ndarray:
    ys, xs = np.mgrid[0:height, 0:width]
    red = xs * 255 // (width - 1)
    green = ys * 255 // (height - 1)
    blue = (xs + ys) * 255 // (width + height - 2)
    return np.stack([red, green, blue], axis=-1).astype(np.uint8)


def test_identity_spec_leaves_the_frame_unchanged():
    frame = gradient_frame()
    assert np.array_equal(grade_frame(frame, GradeSpec()), frame)


def test_near_identity_spec_goes_through_the_pipeline_within_one_level():
    frame = gradient_frame()
    graded = grade_frame(frame, GradeSpec(contrast=1.0000001, saturation=0.9999999))
    assert np.abs(graded.astype(int) - frame).max() <= 1


def test_noir_is_monochrome_even_with_grain_and_vignette():
    spec = GradeSpec(contrast=1.5, monochrome=True, lift=-0.04, vignette=0.45, grain=0.06)
    graded = grade_frame(gradient_frame(), spec, seed=7)
    assert np.array_equal(graded[..., 0], graded[..., 1])
    assert np.array_equal(graded[..., 1], graded[..., 2])


def test_teal_orange_moves_shadows_to_teal_and_highlights_to_orange():
    spec = GradeSpec(shadows_tint=(-0.06, 0.03, 0.08), highlights_tint=(0.08, 0.03, -0.06))
    shadow = np.full((8, 8, 3), 40, dtype=np.uint8)
    highlight = np.full((8, 8, 3), 215, dtype=np.uint8)
    dark = grade_frame(shadow, spec)[0, 0].astype(int)
    bright = grade_frame(highlight, spec)[0, 0].astype(int)
    assert dark[2] > 40 > dark[0]  # blue up, red down: teal
    assert bright[0] > 215 > bright[2]  # red up, blue down: orange


def test_contrast_spreads_values_around_mid_grey():
    frame = np.array([[[64, 64, 64], [128, 128, 128], [192, 192, 192]]], dtype=np.uint8)
    graded = grade_frame(frame, GradeSpec(contrast=1.5))[0, :, 0].astype(int)
    assert graded[0] < 64 and abs(graded[1] - 128) <= 1 and graded[2] > 192


def test_vignette_darkens_corners_not_centre():
    frame = np.full((90, 160, 3), 200, dtype=np.uint8)
    graded = grade_frame(frame, GradeSpec(vignette=0.5))
    assert graded[45, 80, 0] == 200
    assert graded[0, 0, 0] < 120


def test_grain_is_the_same_for_the_same_seed_and_differs_between_seeds():
    frame = gradient_frame()
    spec = GradeSpec(grain=0.05)
    first = grade_frame(frame, spec, seed=3)
    assert np.array_equal(first, grade_frame(frame, spec, seed=3))
    assert not np.array_equal(first, grade_frame(frame, spec, seed=4))
    assert not np.array_equal(first, frame)


def test_gamma_brightens_mid_tones():
    frame = np.full((4, 4, 3), 64, dtype=np.uint8)
    assert grade_frame(frame, GradeSpec(gamma=2.0))[0, 0, 0] == 128


def test_rejects_non_rgb_input():
    with pytest.raises(ValueError, match=r"^grade_frame expects an HxWx3 uint8 array"):
        grade_frame(np.zeros((4, 4), dtype=np.uint8), GradeSpec())


def test_monochrome_with_gamma_and_tint_matches_the_general_path():
    frame = gradient_frame()
    grey = grade_frame(frame, GradeSpec(monochrome=True, gamma=1.6, contrast=1.2, vignette=0.3, grain=0.02), seed=2)
    toned = grade_frame(
        frame,
        GradeSpec(monochrome=True, gamma=1.6, contrast=1.2, vignette=0.3, grain=0.02, shadows_tint=(1e-9, 0, 0)),
        seed=2,
    )
    assert np.abs(grey.astype(int) - toned).max() <= 1
