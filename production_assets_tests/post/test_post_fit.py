import numpy as np
import pytest

from production_assets.post.fit import fit_frame


def white(height: int, width: int) -> np.ndarray:
    return np.full((height, width, 3), 255, dtype=np.uint8)


def test_letterbox_keeps_aspect_with_black_bars_top_and_bottom():
    fitted = fit_frame(white(100, 400), (200, 100), "letterbox")  # 4:1 into 2:1
    assert fitted.shape == (100, 200, 3)
    assert fitted[:24].max() == 0 and fitted[-24:].max() == 0
    assert fitted[26:74].min() == 255


def test_letterbox_pillarboxes_a_tall_frame():
    fitted = fit_frame(white(200, 100), (200, 100), "letterbox")
    assert fitted[:, :70].max() == 0 and fitted[:, -70:].max() == 0
    assert fitted[:, 76:124].min() == 255


def test_crop_fills_the_frame_and_keeps_the_centre():
    frame = np.zeros((100, 400, 3), dtype=np.uint8)
    frame[:, 100:300] = 255  # the centre half is white
    fitted = fit_frame(frame, (100, 100), "crop")
    assert fitted.shape == (100, 100, 3)
    assert fitted[:, 2:-2].min() == 255


def test_crop_does_not_stretch_a_circle():
    ys, xs = np.mgrid[0:200, 0:400]
    disc = ((xs - 200) ** 2 + (ys - 100) ** 2 < 80**2).astype(np.uint8) * 255
    fitted = fit_frame(np.dstack([disc] * 3), (100, 100), "crop")[:, :, 0] > 127
    rows, cols = np.nonzero(fitted)
    assert abs((rows.max() - rows.min()) - (cols.max() - cols.min())) <= 2


def test_same_size_is_returned_unchanged_and_bad_mode_is_refused():
    frame = white(10, 20)
    assert np.array_equal(fit_frame(frame, (20, 10), "crop"), frame)
    with pytest.raises(ValueError, match=r"^fit mode 'stretch' is not 'crop' or 'letterbox'$"):
        fit_frame(frame, (40, 10), "stretch")  # type: ignore[arg-type]
