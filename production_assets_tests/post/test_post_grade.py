from pathlib import Path

import numpy as np
import pytest
import yaml

from production_assets.model.presets import GradeSpec
from production_assets.post import grade_kernel as grade_kernel_module
from production_assets.post.grade import GRAIN_PAD, GRAIN_TEXTURE_SEED, grade_frame, grain_offset

STYLES = Path(__file__).resolve().parents[2] / "configs" / "presets" / "styles.yaml"


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


LUMA = np.array([0.2126, 0.7152, 0.0722])


def reference_grade(frame: np.ndarray, spec: GradeSpec, seed: int) -> np.ndarray:
    """The grade written out step by step in float64, as grade.py's docstring states it."""
    height, width, _ = frame.shape
    unit = frame / 255.0
    unit = spec.gain * (unit + spec.lift * (1.0 - unit))
    if spec.gamma != 1.0:
        unit = np.maximum(unit, 0.0) ** (1.0 / spec.gamma)
    unit = (unit - 0.5) * spec.contrast + 0.5
    luma = (unit @ LUMA)[:, :, None]
    saturation = 0.0 if spec.monochrome else spec.saturation
    unit = luma + saturation * (unit - luma)
    unit = unit + np.asarray(spec.shadows_tint) * (1.0 - luma) ** 2 + np.asarray(spec.highlights_tint) * luma**2
    levels = 255.0 * unit
    if spec.vignette > 0:
        ys = ((np.arange(height) + 0.5) / height * 2.0 - 1.0)[:, None]
        xs = ((np.arange(width) + 0.5) / width * 2.0 - 1.0)[None, :]
        edge = np.clip((np.sqrt((ys**2 + xs**2) / 2.0) - 0.3) / 0.7, 0.0, 1.0)
        levels = levels * (1.0 - spec.vignette * edge * edge * (3.0 - 2.0 * edge))[:, :, None]
    if spec.grain > 0:
        noise = np.random.default_rng(GRAIN_TEXTURE_SEED).standard_normal(
            (height + GRAIN_PAD, width + GRAIN_PAD), dtype=np.float32
        )
        top, left = grain_offset(seed)
        levels = levels + 255.0 * spec.grain * noise[top : top + height, left : left + width, None]
    return np.clip(np.floor(levels + 0.5), 0, 255).astype(np.uint8)


def preset_grades() -> dict[str, GradeSpec]:
    styles = yaml.safe_load(STYLES.read_text())
    grades = {name: GradeSpec.model_validate(style.get("grade", {})) for name, style in styles.items()}
    grades["gamma_toning_vignette_grain"] = GradeSpec(
        gamma=1.7, lift=0.05, contrast=1.2, saturation=0.6, shadows_tint=(0.05, -0.02, 0.03), vignette=0.4, grain=0.05
    )
    grades["monochrome_gamma_vignette"] = GradeSpec(monochrome=True, gamma=0.7, lift=0.1, vignette=0.2)
    return grades


@pytest.mark.parametrize("name", sorted(preset_grades()))
def test_kernel_matches_the_reference_grade_of_every_preset(name: str):
    spec = preset_grades()[name]
    # Tall enough for several bands on the worker threads; odd sizes catch off-by-one edges.
    frame = np.random.default_rng(5).integers(0, 256, (203, 77, 3), dtype=np.uint8)
    graded = grade_frame(frame, spec, seed=9).astype(int)
    difference = np.abs(graded - reference_grade(frame, spec, seed=9))
    assert difference.max() <= 1  # float32 against float64: a value on a .5 boundary may round either way
    assert difference.mean() < 0.01


def test_read_only_frames_are_graded():
    frame = gradient_frame()
    frame.setflags(write=False)
    spec = GradeSpec(contrast=1.2, vignette=0.3)
    writable = gradient_frame()
    assert np.array_equal(grade_frame(frame, spec), grade_frame(writable, spec))


def test_kernel_compiles_without_a_disk_cache_when_none_is_writable(monkeypatch: pytest.MonkeyPatch):
    original = grade_kernel_module._compile

    def no_cache_folder(cache: bool):  # type: ignore[no-untyped-def]
        if cache:
            raise RuntimeError("cannot cache function '_grade_rows': no locator available for file 'grade_kernel.py'")
        return original(cache)

    monkeypatch.setattr(grade_kernel_module, "_compile", no_cache_folder)
    grade_kernel_module._compiled.cache_clear()
    try:
        with pytest.warns(RuntimeWarning, match="^grading kernel compiled without a disk cache: cannot cache"):
            grade_kernel_module.warm_up()
        frame = gradient_frame()
        spec = GradeSpec(contrast=1.3, highlights_tint=(0.04, 0.0, 0.03))
        assert np.abs(grade_frame(frame, spec).astype(int) - reference_grade(frame, spec, seed=0)).max() <= 1
    finally:
        grade_kernel_module._compiled.cache_clear()
