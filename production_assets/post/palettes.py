"""Console palettes as data, palette files, and the per-shot palette choice.

What each console allows (the constraints ``palette_for_shot`` reproduces):

- **NES** (Ricoh 2C02 PPU): a fixed master palette of 64 entries, of which 54 are
  distinct colours (the ten blacks are one colour and $2D repeats $00's grey).
  Games pick 25 of them on screen (4 palettes of 3 + backdrop) per 8x8-tile
  attribute; we keep the whole fixed palette and do not model attribute cells.
  Values are the widely used FCEUX rendering of the 2C02.
- **SNES** (S-PPU): 15-bit BGR555 colour, 5 bits per channel (32,768 colours),
  256 entries of CGRAM on screen. We choose up to 256 colours once per shot from
  the shot's own frames (median cut), snapped to BGR555, expanded to 8 bits as
  ``(v << 3) | (v >> 2)``.
- **Genesis / Mega Drive** (VDP): 9-bit colour, 3 bits per channel (512 colours,
  8-bit levels 0, 36, ..., 252), 4 palette lines of 16 = 64 entries (61 visible).
  Chosen per shot like the SNES, at most 64 colours.
- **Game Boy** (DMG): 4 shades, shown here as the classic green LCD
  (#0f380f #306230 #8bac0f #9bbc0f).
- **PICO-8**: its fixed 16-colour palette.
- **Custom**: a GIMP ``.gpl``, JASC ``.pal`` or ``.hex`` (one RRGGBB per line) file.

A palette is an ``(N, 3)`` uint8 array of distinct RGB colours, ``2 <= N <= 256``
(a one-colour file is accepted too, if unhelpful).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from production_assets.errors import ConfigError

MAX_COLORS = 256
SAMPLE_FRAMES = 16
SAMPLE_SIDE = 96
_LEVELS_5BIT = np.array([(v << 3) | (v >> 2) for v in range(32)], dtype=np.uint8)
_LEVELS_3BIT = np.array([v * 36 for v in range(8)], dtype=np.uint8)

_NES_2C02_FCEUX = (
    "7C7C7C 0000FC 0000BC 4428BC 940084 A80020 A81000 881400 503000 007800 006800 005800 004058 000000 000000 000000 "
    "BCBCBC 0078F8 0058F8 6844FC D800CC E40058 F83800 E45C10 AC7C00 00B800 00A800 00A844 008888 000000 000000 000000 "
    "F8F8F8 3CBCFC 6888FC 9878F8 F878F8 F85898 F87858 FCA044 F8B800 B8F818 58D854 58F898 00E8D8 787878 000000 000000 "
    "FCFCFC A4E4FC B8B8F8 D8B8F8 F8B8F8 F8A4C0 F0D0B0 FCE0A8 F8D878 D8F878 B8F8B8 B8F8D8 00FCFC F8D8F8 000000 000000"
)
_NES_HARDWARE_DUPLICATES = {"787878"}  # $2D: the same grey as $00 on the 2C02
_GAMEBOY = "0f380f 306230 8bac0f 9bbc0f"
_PICO8 = (
    "000000 1D2B53 7E2553 008751 AB5236 5F574F C2C3C7 FFF1E8 FF004D FFA300 FFEC27 00E436 29ADFF 83769C FF77A8 FFCCAA"
)

ADAPTIVE_PALETTES = {"snes": 256, "genesis": 64}


class PaletteError(ConfigError, ValueError):
    """A palette name or file cannot be used; the message names the file, the line and the fix."""


def _from_hex(words: Sequence[str]) -> np.ndarray:
    colours = [tuple(int(word[i : i + 2], 16) for i in (0, 2, 4)) for word in words]
    return unique_colors(np.array(colours, dtype=np.uint8))


def unique_colors(palette: np.ndarray) -> np.ndarray:
    """The palette's distinct colours, in first-seen order."""
    palette = np.asarray(palette, dtype=np.uint8).reshape(-1, 3)
    _, first = np.unique(palette, axis=0, return_index=True)
    return palette[np.sort(first)]


def _nes() -> np.ndarray:
    words = [w for w in _NES_2C02_FCEUX.split() if w.upper() not in _NES_HARDWARE_DUPLICATES]
    return _from_hex(words)


FIXED_PALETTES: dict[str, np.ndarray] = {
    "nes": _nes(),
    "gameboy": _from_hex(_GAMEBOY.split()),
    "pico8": _from_hex(_PICO8.split()),
}
PALETTE_NAMES = (*FIXED_PALETTES, *ADAPTIVE_PALETTES)


def snap_bgr555(colors: np.ndarray) -> np.ndarray:
    """Each 8-bit channel snapped to the nearest 5-bit SNES level, expanded back to 8 bits."""
    return _snap(colors, _LEVELS_5BIT)


def snap_genesis(colors: np.ndarray) -> np.ndarray:
    """Each 8-bit channel snapped to the nearest 3-bit Mega Drive level (0, 36, ..., 252)."""
    return _snap(colors, _LEVELS_3BIT)


def _snap(colors: np.ndarray, levels: np.ndarray) -> np.ndarray:
    nearest = np.abs(np.arange(256)[:, None] - levels[None, :].astype(np.int16)).argmin(axis=1)
    return levels[nearest][np.asarray(colors, dtype=np.uint8)]


def _mosaic(frames: Sequence[np.ndarray]) -> Image.Image:
    """A strip of small copies of (at most SAMPLE_FRAMES evenly spaced) frames."""
    if not frames:
        raise ValueError("cannot choose a palette for a shot without frames")
    picks = np.unique(np.linspace(0, len(frames) - 1, min(SAMPLE_FRAMES, len(frames))).round().astype(int))
    tiles = []
    for index in picks:
        tile = Image.fromarray(np.ascontiguousarray(frames[index], dtype=np.uint8))
        tile.thumbnail((SAMPLE_SIDE, SAMPLE_SIDE), Image.Resampling.BOX)
        tiles.append(tile)
    strip = Image.new("RGB", (sum(t.width for t in tiles), max(t.height for t in tiles)))
    left = 0
    for tile in tiles:
        strip.paste(tile, (left, 0))
        left += tile.width
    return strip


def adaptive_palette(frames: Sequence[np.ndarray], colors: int, system: str) -> np.ndarray:
    """Up to ``colors`` colours for one shot (median cut over its frames), snapped to ``system``'s colour depth."""
    limit = ADAPTIVE_PALETTES[system]
    colors = max(2, min(colors, limit))
    snap = snap_bgr555 if system == "snes" else snap_genesis
    # Snapping before the cut lets median cut spend its boxes on colours the console can show.
    sample = Image.fromarray(snap(np.asarray(_mosaic(frames))))
    quantized = sample.quantize(colors=colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    raw = np.frombuffer(bytes(quantized.getpalette() or []), dtype=np.uint8).reshape(-1, 3)
    used = np.unique(np.asarray(quantized))
    return unique_colors(snap(raw[used]))


def _most_used(palette: np.ndarray, frames: Sequence[np.ndarray], colors: int) -> np.ndarray:
    from production_assets.post.retro import map_to_palette  # retro builds on this module

    indices = map_to_palette(np.asarray(_mosaic(frames)), palette, "none")
    counts = np.bincount(indices.ravel(), minlength=len(palette))
    keep = np.sort(np.argsort(-counts, kind="stable")[:colors])
    return palette[keep]


def palette_for_shot(name: str, frames: Sequence[np.ndarray], colors: int | None = None) -> np.ndarray:
    """The palette for one shot: ``snes``/``genesis`` chosen from ``frames``; ``nes``/``gameboy``/``pico8``
    fixed (reduced to the ``colors`` most used when fewer are asked); otherwise a palette file path."""
    key = str(name).strip().lower()
    if key in ADAPTIVE_PALETTES:
        return adaptive_palette(frames, colors or ADAPTIVE_PALETTES[key], key)
    if key in FIXED_PALETTES:
        palette = FIXED_PALETTES[key]
    elif Path(name).suffix.lower() in PALETTE_SUFFIXES:
        palette = load_palette_file(Path(name))
    else:
        known = ", ".join(PALETTE_NAMES)
        close = difflib.get_close_matches(key, PALETTE_NAMES, n=1)
        raise PaletteError(
            f"palette {name!r} is neither a console ({known}) nor a .gpl/.pal/.hex file",
            suggestion=f"did you mean {close[0]!r}?" if close else "",
        )
    if colors is not None and 2 <= colors < len(palette) and frames:
        return _most_used(palette, frames, colors)
    return palette


def _parse_rgb(words: list[str], path: Path, number: int) -> tuple[int, int, int]:
    try:
        values = tuple(int(word) for word in words[:3])
    except ValueError:
        values = ()
    if len(values) != 3 or not all(0 <= v <= 255 for v in values):
        raise PaletteError(f"{path}:{number}: expected three numbers 0-255 (red green blue), got {' '.join(words)!r}")
    return values[0], values[1], values[2]


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise PaletteError(f"palette file {path} does not exist") from None
    except UnicodeDecodeError:
        raise PaletteError(
            f"{path} is not a text palette; binary RIFF .pal files are not supported, export JASC-PAL or GIMP .gpl"
        ) from None


def _load_gpl(path: Path, lines: list[str]) -> list[tuple[int, int, int]]:
    if not lines or lines[0].strip() != "GIMP Palette":
        raise PaletteError(f"{path}:1: a .gpl file must start with the line 'GIMP Palette'")
    colours = []
    for number, line in enumerate(lines[1:], start=2):
        text = line.strip()
        if not text or text.startswith("#") or text.split(":")[0] in ("Name", "Columns"):
            continue
        colours.append(_parse_rgb(text.split(), path, number))
    return colours


def _load_jasc(path: Path, lines: list[str]) -> list[tuple[int, int, int]]:
    if len(lines) < 3 or lines[0].strip() != "JASC-PAL":
        raise PaletteError(f"{path}:1: a .pal file must start with 'JASC-PAL', '0100' and the colour count")
    try:
        count = int(lines[2].strip())
    except ValueError:
        raise PaletteError(f"{path}:3: expected the number of colours, got {lines[2].strip()!r}") from None
    body = [(number, line) for number, line in enumerate(lines[3:], start=4) if line.strip()]
    if len(body) != count:
        raise PaletteError(f"{path}:3: the header says {count} colours but the file lists {len(body)}")
    return [_parse_rgb(line.split(), path, number) for number, line in body]


def _load_hex(path: Path, lines: list[str]) -> list[tuple[int, int, int]]:
    colours = []
    for number, line in enumerate(lines, start=1):
        text = line.strip().removeprefix("#")
        if not text or text.startswith(";"):
            continue
        if len(text) != 6 or any(c not in "0123456789abcdefABCDEF" for c in text):
            raise PaletteError(f"{path}:{number}: expected a colour as six hex digits RRGGBB, got {line.strip()!r}")
        colours.append((int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)))
    return colours


_LOADERS = {".gpl": _load_gpl, ".pal": _load_jasc, ".hex": _load_hex}
PALETTE_SUFFIXES = tuple(_LOADERS)


def load_palette_file(path: Path) -> np.ndarray:
    """Read a GIMP ``.gpl``, JASC ``.pal`` or ``.hex`` palette as an ``(N, 3)`` uint8 array of distinct colours."""
    path = Path(path)
    loader = _LOADERS.get(path.suffix.lower())
    if loader is None:
        raise PaletteError(f"palette file {path} has an unknown extension; use .gpl, .pal or .hex")
    colours = loader(path, _read_lines(path))
    if not colours:
        raise PaletteError(f"palette file {path} lists no colours")
    palette = unique_colors(np.array(colours, dtype=np.uint8))
    if len(palette) > MAX_COLORS:
        raise PaletteError(f"palette file {path} has {len(palette)} distinct colours; at most {MAX_COLORS}")
    return palette


def format_gpl(palette: np.ndarray, name: str) -> str:
    """The palette as a GIMP ``.gpl`` file."""
    lines = ["GIMP Palette", f"Name: {name}", "Columns: 16", "#"]
    lines += [f"{r:3d} {g:3d} {b:3d}\t#{r:02x}{g:02x}{b:02x}" for r, g, b in np.asarray(palette).tolist()]
    return "\n".join(lines) + "\n"


def format_jasc(palette: np.ndarray) -> str:
    """The palette as a JASC ``.pal`` file."""
    rows = np.asarray(palette).tolist()
    return "\n".join(["JASC-PAL", "0100", str(len(rows)), *(f"{r} {g} {b}" for r, g, b in rows)]) + "\n"


def format_hex(palette: np.ndarray) -> str:
    """The palette as a ``.hex`` file (one RRGGBB per line)."""
    return "".join(f"{r:02x}{g:02x}{b:02x}\n" for r, g, b in np.asarray(palette).tolist())
