"""Exact frame rates and the SMPTE timecode rates an EDL can count in."""

from __future__ import annotations

from fractions import Fraction

NTSC_RATES = {round(rate * 1000 / 1001, 3): Fraction(rate * 1000, 1001) for rate in (12, 15, 24, 30, 48, 60, 120, 240)}
# The rates OpenTimelineIO writes SMPTE timecode for (RationalTime.is_smpte_timecode_rate), lowest first.
SMPTE_RATES = tuple(
    sorted([*map(Fraction, (24, 25, 30, 48, 50, 60)), *(Fraction(rate * 1000, 1001) for rate in (24, 30, 48, 60))])
)
DROP_FRAME_RATES = (Fraction(30000, 1001), Fraction(60000, 1001))


def frame_rate_fraction(fps: float | Fraction) -> Fraction:
    """An exact frame rate: 24 -> 24/1, 23.976 -> 24000/1001, 29.97 -> 30000/1001."""
    if isinstance(fps, Fraction):
        return fps
    if fps <= 0:
        raise ValueError(f"frame rate must be positive, not {fps}")
    for approximate, exact in NTSC_RATES.items():
        if abs(fps - approximate) < 0.0015:
            return exact
    return Fraction(fps).limit_denominator(1001)


def edl_timecode_rate(fps: float) -> float | None:
    """The SMPTE timecode rate an EDL of a film at ``fps`` counts in, or None when no EDL can carry the film.

    ``fps`` itself when it is a SMPTE rate, else the lowest SMPTE rate that is a
    whole multiple of it (12 -> 24, 15 -> 30), else None (120, 240).
    """
    rate = frame_rate_fraction(fps)
    for candidate in SMPTE_RATES:
        if (candidate / rate).denominator == 1:
            return float(candidate)
    return None
