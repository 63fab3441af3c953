"""Burned-in subtitles: the dialogue drawn onto the film's frames (numpy RGB/RGBA uint8).

White text with a black outline, bottom-centred inside safe margins (5% at the
sides, 6% at the bottom), the font size a share of the frame's height with a
floor that stays legible on a 64x36 preview. Lines are wrapped to the frame's
width in pixels, so a small frame shows fewer words at a time (the subtitle
rules of :mod:`production_assets.export.subtitles`, with the width measured in
pixels instead of characters; a frame too small for two lines gets one). Off-screen voices are in italics; speaker names
are optional. Overlapping cues are stacked, the earlier one on top.

The font is DejaVu Sans Bold when Debian's ``fonts-dejavu-core`` is installed,
else Pillow's built-in scalable font (italics then slanted by an affine shear).
Nothing is downloaded.

A frame shows the subtitles active at the middle of its display time, so a cue
starts on the frame nearest to its start. Each subtitle is rendered once per
frame size (a coverage mask for the outline, one for the white core) and
blended into every frame it is on; a frame with no subtitle is returned as is
(the same object), any other is a new array.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from production_assets.export.dialogue import DialogueCue
from production_assets.export.subtitles import MAX_LINES, Subtitle, subtitles_of
from production_assets.media.rates import frame_rate_fraction

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {False: DEJAVU / "DejaVuSans-Bold.ttf", True: DEJAVU / "DejaVuSans-BoldOblique.ttf"}
FONT_HEIGHT_SHARE = 0.05
MIN_FONT_PIXELS = 8
SIDE_MARGIN_SHARE = 0.05
BOTTOM_MARGIN_SHARE = 0.06
ITALIC_SHEAR = 0.2
MAX_TEXT_HEIGHT_SHARE = 0.4
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@functools.lru_cache(maxsize=32)
def subtitle_font(size: int, italic: bool = False) -> tuple[Font, bool]:
    """The font for ``size`` pixels, and whether it is already italic (else the caller slants it)."""
    path = FONT_FILES[italic]
    if path.is_file():
        return ImageFont.truetype(str(path), size), italic
    return ImageFont.load_default(size=size), False


def font_size(height: int) -> int:
    return max(MIN_FONT_PIXELS, round(height * FONT_HEIGHT_SHARE))


def outline_width(size: int) -> int:
    return max(1, round(size * 0.08))


def lines_on(height: int) -> int:
    """How many lines a subtitle may have on a frame ``height`` pixels tall: two, one when two would cover
    more than ``MAX_TEXT_HEIGHT_SHARE`` of the picture (tiny previews)."""
    size = font_size(height)
    font = subtitle_font(size)[0]
    _, top, _, bottom = font.getbbox("Ág", stroke_width=outline_width(size))
    line = bottom - top + max(1, size // 5)
    return max(1, min(MAX_LINES, int(height * MAX_TEXT_HEIGHT_SHARE // line)))


@dataclass(frozen=True)
class _Patch:
    """A rendered subtitle: outline coverage (alpha) and white-core coverage, ``HxWx1`` uint32 0-255."""

    outline: np.ndarray
    core: np.ndarray


def _slanted(mask: Image.Image) -> Image.Image:
    extra = round(mask.height * ITALIC_SHEAR)
    shear = (1, ITALIC_SHEAR, -extra, 0, 1, 0)
    return mask.transform((mask.width + extra, mask.height), Image.Transform.AFFINE, shear, Image.Resampling.BILINEAR)


def _render(subtitle: Subtitle, size: int, italic: bool) -> _Patch:
    font, slanted = subtitle_font(size, italic)
    stroke = outline_width(size)
    text = "\n".join(subtitle.lines)
    spacing = max(1, size // 5)
    measure = ImageDraw.Draw(Image.new("L", (1, 1)))
    left, top, right, bottom = measure.multiline_textbbox(
        (0, 0), text, font=font, spacing=spacing, align="center", stroke_width=stroke
    )
    left, top = int(np.floor(left)), int(np.floor(top))
    canvas = (int(np.ceil(right)) - left + 2, int(np.ceil(bottom)) - top + 2)
    masks = []
    # Both masks are drawn with the stroke (Pillow spaces lines by it): the core's stroke is drawn black.
    for stroke_coverage in (255, 0):
        mask = Image.new("L", canvas, 0)
        ImageDraw.Draw(mask).multiline_text(
            (1 - left, 1 - top),
            text,
            fill=255,
            font=font,
            spacing=spacing,
            align="center",
            stroke_width=stroke,
            stroke_fill=stroke_coverage,
        )
        masks.append(_slanted(mask) if italic and not slanted else mask)
    outline, core = (np.asarray(mask, dtype=np.uint32)[:, :, None] for mask in masks)
    return _Patch(outline, np.minimum(core, outline))


class SubtitleBurner:
    """Draws ``cues`` onto frames; rendered text is kept per subtitle and frame size."""

    def __init__(self, cues: Sequence[DialogueCue], speakers: bool = False, mark_off_screen: bool = True):
        self.cues = list(cues)
        self.speakers = speakers
        self.mark_off_screen = mark_off_screen
        self._layouts: dict[tuple[int, int], tuple[list[Subtitle], list[int]]] = {}
        self._patches: dict[tuple[Subtitle, int], _Patch] = {}

    def subtitles(self, width: int, height: int) -> list[Subtitle]:
        """The subtitles as they are wrapped on a ``width`` x ``height`` frame, by start time."""
        return self._layout(width, height)[0]

    def _layout(self, width: int, height: int) -> tuple[list[Subtitle], list[int]]:
        if (width, height) not in self._layouts:
            size = font_size(height)
            fonts = [subtitle_font(size, False)[0], subtitle_font(size, True)[0]]
            room = width * (1 - 2 * SIDE_MARGIN_SHARE) - 2 * outline_width(size) - size * ITALIC_SHEAR

            def fits(line: str) -> bool:
                return max(font.getlength(line) for font in fonts) <= room

            subtitles = subtitles_of(self.cues, fits, lines_on(height), labels=self.speakers)
            self._layouts[(width, height)] = (subtitles, [subtitle.start_ms for subtitle in subtitles])
        return self._layouts[(width, height)]

    def active(self, width: int, height: int, seconds: float) -> list[Subtitle]:
        """The subtitles on screen at ``seconds`` on a frame of that size, the earliest first."""
        subtitles, starts = self._layout(width, height)
        milliseconds = seconds * 1000
        candidates = subtitles[: bisect.bisect_right(starts, milliseconds)]
        return [subtitle for subtitle in candidates if milliseconds < subtitle.end_ms]

    def _patch(self, subtitle: Subtitle, height: int) -> _Patch:
        key = (subtitle, height)
        if key not in self._patches:
            self._patches[key] = _render(subtitle, font_size(height), subtitle.off_screen and self.mark_off_screen)
        return self._patches[key]

    def burn(self, frame: np.ndarray, seconds: float) -> np.ndarray:
        """``frame`` (``HxWx3`` or ``HxWx4`` uint8) with the subtitles active at ``seconds`` drawn on it."""
        height, width = frame.shape[:2]
        active = self.active(width, height, seconds)
        if not active:
            return frame
        burned = np.array(frame, dtype=np.uint8, copy=True)
        bottom = height - max(1, round(height * BOTTOM_MARGIN_SHARE))
        gap = max(1, font_size(height) // 4)
        for subtitle in reversed(active):
            patch = self._patch(subtitle, height)
            _blend(burned, patch, (width - patch.outline.shape[1]) // 2, bottom - patch.outline.shape[0])
            bottom -= patch.outline.shape[0] + gap
        return burned


def _blend(frame: np.ndarray, patch: _Patch, left: int, top: int) -> None:
    """Composite white text with a black outline into ``frame`` in place, clipped to the frame."""
    height, width = frame.shape[:2]
    rows = slice(max(0, top), min(height, top + patch.outline.shape[0]))
    columns = slice(max(0, left), min(width, left + patch.outline.shape[1]))
    if rows.start >= rows.stop or columns.start >= columns.stop:
        return
    inside = (slice(rows.start - top, rows.stop - top), slice(columns.start - left, columns.stop - left))
    alpha, core = patch.outline[inside], patch.core[inside]
    region = frame[rows, columns, :3].astype(np.uint32)
    frame[rows, columns, :3] = ((region * (255 - alpha) + 255 * core + 127) // 255).astype(np.uint8)
    if frame.shape[2] == 4:
        frame[rows, columns, 3] = np.maximum(frame[rows, columns, 3], alpha[:, :, 0].astype(np.uint8))


def frame_time(index: int, fps: float) -> float:
    """The middle of frame ``index``'s display time, in seconds from the film's start (exact rates: 23.976 is
    24000/1001)."""
    return float((index + Fraction(1, 2)) / frame_rate_fraction(fps))


def burned_frames(
    frames: Iterable[np.ndarray], burner: SubtitleBurner, fps: float, first_frame: int = 0
) -> Iterator[np.ndarray]:
    """``frames`` (film frames ``first_frame``, ``first_frame + 1``, ...) with their subtitles burned in."""
    for offset, frame in enumerate(frames):
        yield burner.burn(frame, frame_time(first_frame + offset, fps))
