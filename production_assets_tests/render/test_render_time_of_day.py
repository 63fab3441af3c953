"""Time of day and weather rendered for real: night is darker and bluer than day; each weather shows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_render_sets import render_frames, set_job


def blue_over_red(frame: np.ndarray) -> float:
    return float(frame[..., 2].mean() / max(frame[..., 0].mean(), 1e-6))


@pytest.mark.parametrize("place", ["Main Street", "Office"])
def test_night_is_darker_and_bluer_than_day_in_the_same_place(tmp_path: Path, place: str) -> None:
    day_job = set_job(tmp_path / "day", place)
    night_job = set_job(tmp_path / "night", place, time_of_day="night")
    dusk_job = set_job(tmp_path / "dusk", place, time_of_day="dusk")

    day, night, dusk = render_frames(tmp_path, [day_job, night_job, dusk_job])

    assert night.mean() < 0.6 * day.mean(), (night.mean(), day.mean())
    assert blue_over_red(night) > blue_over_red(day) + 0.05, (blue_over_red(night), blue_over_red(day))
    assert blue_over_red(dusk) < blue_over_red(day), (blue_over_red(dusk), blue_over_red(day))


def test_each_weather_renders_and_differs_from_clear(tmp_path: Path) -> None:
    weathers = ["clear", "rain", "fog", "snow"]
    jobs = [set_job(tmp_path / weather, "Main Street", weather=weather) for weather in weathers]

    clear, rain, fog, snow = render_frames(tmp_path, jobs)

    assert np.abs(rain - clear).mean() > 4.0
    assert np.abs(snow - clear).mean() > 4.0
    assert np.abs(fog - clear).mean() > 4.0
    assert fog.std() < clear.std()
    assert np.abs(snow - rain).mean() > 2.0


def test_indoors_the_weather_dims_the_window_light(tmp_path: Path) -> None:
    clear_job = set_job(tmp_path / "clear", "Office")
    rain_job = set_job(tmp_path / "rain", "Office", weather="rain")

    clear, rain = render_frames(tmp_path, [clear_job, rain_job])

    assert np.abs(rain - clear).mean() > 0.3
    assert rain.mean() < clear.mean()
