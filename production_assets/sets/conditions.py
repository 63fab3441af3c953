"""Time of day and weather as numbers: what the sky, the sun, windows and lamps do at each hour and in each weather.

Pure data, applied in Blender by :mod:`production_assets.render.time_of_day`
and :mod:`production_assets.render.weather`; also the place where a scene
heading's time ("- NIGHT", "- DUSK") becomes a ``time_of_day``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

from production_assets.model.base import Color

TimeOfDay = Literal["day", "night", "dusk", "dawn", "morning", "evening"]
Weather = Literal["clear", "rain", "fog", "snow"]
TIMES_OF_DAY: tuple[str, ...] = get_args(TimeOfDay)
WEATHERS: tuple[str, ...] = get_args(Weather)


@dataclass(frozen=True)
class Lighting:
    """One time of day.

    ``sun_elevation`` in degrees (negative: below the horizon, the sun light
    becomes moonlight of ``sun_color``/``sun_strength``); ``sky_strength``
    scales a sky texture, ``night_sky`` replaces it when the sun is down;
    ``ambient`` multiplies colour worlds (interiors) and is tinted by
    ``ambient_tint``; ``window_*`` drive window panes and window lights;
    ``practical`` and ``fill`` multiply lamps and room lights; ``rig`` and
    ``rig_tint`` dim and tint lights that are not the set's (the style's key,
    fill and rim) when they exist by the time the conditions are applied.
    """

    sun_elevation: float
    sun_color: Color
    sun_strength: float
    sky_strength: float
    night_sky: Color | None
    ambient: float
    ambient_tint: Color
    window_color: Color
    window_strength: float
    practical: float
    fill: float
    rig: float
    rig_tint: Color


LIGHTING: dict[str, Lighting] = {
    "day": Lighting(
        sun_elevation=50.0,
        sun_color=(1.0, 0.96, 0.9),
        sun_strength=3.5,
        sky_strength=1.0,
        night_sky=None,
        ambient=1.0,
        ambient_tint=(1.0, 1.0, 1.0),
        window_color=(0.85, 0.92, 1.0),
        window_strength=1.0,
        practical=0.3,
        fill=1.0,
        rig=1.0,
        rig_tint=(1.0, 1.0, 1.0),
    ),
    "morning": Lighting(
        sun_elevation=22.0,
        sun_color=(1.0, 0.9, 0.75),
        sun_strength=3.0,
        sky_strength=0.75,
        night_sky=None,
        ambient=0.9,
        ambient_tint=(1.0, 0.97, 0.92),
        window_color=(0.95, 0.92, 0.85),
        window_strength=0.9,
        practical=0.4,
        fill=1.0,
        rig=0.95,
        rig_tint=(1.0, 0.97, 0.92),
    ),
    "evening": Lighting(
        sun_elevation=12.0,
        sun_color=(1.0, 0.66, 0.38),
        sun_strength=2.6,
        sky_strength=0.45,
        night_sky=None,
        ambient=0.6,
        ambient_tint=(1.0, 0.88, 0.75),
        window_color=(1.0, 0.8, 0.6),
        window_strength=0.6,
        practical=1.0,
        fill=0.8,
        rig=0.8,
        rig_tint=(1.0, 0.88, 0.75),
    ),
    "dusk": Lighting(
        sun_elevation=3.0,
        sun_color=(1.0, 0.5, 0.25),
        sun_strength=1.6,
        sky_strength=0.3,
        night_sky=None,
        ambient=0.35,
        ambient_tint=(0.95, 0.75, 0.7),
        window_color=(1.0, 0.55, 0.35),
        window_strength=0.35,
        practical=1.0,
        fill=0.6,
        rig=0.6,
        rig_tint=(1.0, 0.8, 0.75),
    ),
    "dawn": Lighting(
        sun_elevation=4.0,
        sun_color=(1.0, 0.58, 0.5),
        sun_strength=1.4,
        sky_strength=0.28,
        night_sky=None,
        ambient=0.35,
        ambient_tint=(0.85, 0.8, 0.9),
        window_color=(0.95, 0.7, 0.65),
        window_strength=0.35,
        practical=0.8,
        fill=0.6,
        rig=0.6,
        rig_tint=(0.9, 0.88, 1.0),
    ),
    "night": Lighting(
        sun_elevation=-20.0,
        sun_color=(0.35, 0.5, 1.0),
        sun_strength=0.9,
        sky_strength=0.0,
        night_sky=(0.008, 0.014, 0.04),
        ambient=0.08,
        ambient_tint=(0.45, 0.55, 1.0),
        window_color=(0.15, 0.22, 0.5),
        window_strength=0.06,
        practical=1.0,
        fill=0.3,
        rig=0.25,
        rig_tint=(0.5, 0.65, 1.0),
    ),
}


@dataclass(frozen=True)
class WeatherLook:
    """One weather: ``overcast`` (0..1) greys the sky and softens the sun; particles fall in it.

    ``haze`` is the opacity of the farthest fog card (the nearer ones thinner),
    ``particles``/``particle_size`` the streaks or flakes (count, length and
    width in metres), ``particle_color`` their colour.
    """

    overcast: float
    haze: float
    particles: int
    particle_size: tuple[float, float]
    particle_color: Color
    ground_tint: Color


WEATHER: dict[str, WeatherLook] = {
    "clear": WeatherLook(
        overcast=0.0,
        haze=0.0,
        particles=0,
        particle_size=(0.0, 0.0),
        particle_color=(1.0, 1.0, 1.0),
        ground_tint=(1.0, 1.0, 1.0),
    ),
    "rain": WeatherLook(
        overcast=0.7,
        haze=0.25,
        particles=1800,
        particle_size=(0.35, 0.006),
        particle_color=(0.75, 0.8, 0.88),
        ground_tint=(0.75, 0.75, 0.8),
    ),
    "fog": WeatherLook(
        overcast=0.6,
        haze=0.8,
        particles=0,
        particle_size=(0.0, 0.0),
        particle_color=(1.0, 1.0, 1.0),
        ground_tint=(1.0, 1.0, 1.0),
    ),
    "snow": WeatherLook(
        overcast=0.6,
        haze=0.3,
        particles=1500,
        particle_size=(0.035, 0.035),
        particle_color=(1.0, 1.0, 1.0),
        ground_tint=(1.25, 1.25, 1.3),
    ),
}
OVERCAST_SKY: Color = (0.55, 0.58, 0.62)

_TIME_WORDS: dict[str, str] = {
    "day": "day", "afternoon": "day", "noon": "day", "midday": "day", "daytime": "day",
    "night": "night", "midnight": "night", "late night": "night", "nighttime": "night",
    "dusk": "dusk", "sunset": "dusk", "twilight": "dusk", "magic hour": "dusk",
    "dawn": "dawn", "sunrise": "dawn", "daybreak": "dawn", "first light": "dawn",
    "morning": "morning", "early morning": "morning",
    "evening": "evening", "early evening": "evening",
}  # fmt: skip


def time_of_day_from_heading(heading: str) -> str | None:
    """The time named after the last " - " of a scene heading ("INT. KITCHEN - NIGHT" -> "night"), else None.

    CONTINUOUS, LATER, SAME and the like name no time: the caller keeps the
    previous scene's (or the default "day").
    """
    for part in reversed(heading.split(" - ")[1:]):
        words = re.sub(r"[^a-z ]", " ", part.lower()).split()
        text = " ".join(words)
        if text in _TIME_WORDS:
            return _TIME_WORDS[text]
        for word in words:
            if word in _TIME_WORDS:
                return _TIME_WORDS[word]
    return None
