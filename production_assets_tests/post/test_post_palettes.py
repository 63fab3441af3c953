from pathlib import Path

import numpy as np
import pytest

from production_assets.post.palettes import (
    FIXED_PALETTES,
    PaletteError,
    format_gpl,
    format_hex,
    format_jasc,
    load_palette_file,
    palette_for_shot,
)

SNES_LEVELS = {(v << 3) | (v >> 2) for v in range(32)}
GENESIS_LEVELS = {v * 36 for v in range(8)}


def colourful_frames(count: int = 4) -> list[np.ndarray]:
    ys, xs = np.mgrid[0:60, 0:80]
    return [
        np.stack([(xs * 3 + shift) % 256, ys * 4, (xs + ys + 5 * shift) % 256], axis=-1).astype(np.uint8)
        for shift in range(count)
    ]


def test_fixed_palettes_have_the_console_colour_counts():
    assert len(FIXED_PALETTES["nes"]) == 54
    assert len(FIXED_PALETTES["pico8"]) == 16
    assert FIXED_PALETTES["gameboy"].tolist() == [[15, 56, 15], [48, 98, 48], [139, 172, 15], [155, 188, 15]]


def test_snes_palette_is_bgr555_and_at_most_256_colours():
    palette = palette_for_shot("snes", colourful_frames(), 256)
    assert 16 < len(palette) <= 256
    assert set(np.unique(palette).tolist()) <= SNES_LEVELS
    assert len(np.unique(palette, axis=0)) == len(palette)


def test_genesis_palette_is_9_bit_and_at_most_64_colours():
    palette = palette_for_shot("genesis", colourful_frames(), 256)
    assert len(palette) <= 64
    assert set(np.unique(palette).tolist()) <= GENESIS_LEVELS


def test_fixed_palette_is_reduced_to_the_most_used_colours():
    palette = palette_for_shot("pico8", colourful_frames(), 4)
    assert len(palette) == 4
    assert {tuple(c) for c in palette.tolist()} <= {tuple(c) for c in FIXED_PALETTES["pico8"].tolist()}


@pytest.mark.parametrize(
    ("suffix", "formatter"), [(".gpl", lambda p: format_gpl(p, "test")), (".pal", format_jasc), (".hex", format_hex)]
)
def test_palette_files_round_trip(tmp_path: Path, suffix, formatter):
    palette = FIXED_PALETTES["pico8"]
    path = tmp_path / f"custom{suffix}"
    path.write_text(formatter(palette))
    assert np.array_equal(load_palette_file(path), palette)
    assert np.array_equal(palette_for_shot(str(path), colourful_frames(1)), palette)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.gpl", "Not a palette\n1 2 3\n", r"bad\.gpl:1: a \.gpl file must start with the line 'GIMP Palette'$"),
        ("bad.gpl", "GIMP Palette\nName: x\n10 20 300 too-bright\n", r"bad\.gpl:3: expected three numbers 0-255"),
        (
            "bad.pal",
            "JASC-PAL\n0100\n3\n1 2 3\n4 5 6\n",
            r"bad\.pal:3: the header says 3 colours but the file lists 2$",
        ),
        ("bad.hex", "ff0000\nzz0000\n", r"bad\.hex:2: expected a colour as six hex digits RRGGBB, got 'zz0000'$"),
        ("empty.hex", "\n\n", r"empty\.hex lists no colours$"),
        ("bad.act", "", r"bad\.act has an unknown extension; use \.gpl, \.pal or \.hex$"),
    ],
)
def test_bad_palette_files_raise_clear_value_errors(tmp_path: Path, name, text, message):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        load_palette_file(path)


def test_missing_palette_file_and_unknown_name_are_palette_errors(tmp_path: Path):
    with pytest.raises(PaletteError, match=r"palette file .*nope\.gpl does not exist$"):
        palette_for_shot(str(tmp_path / "nope.gpl"), colourful_frames(1))
    with pytest.raises(
        PaletteError,
        match=r"^error: palette 'snse' is neither a console \(nes, gameboy, pico8, snes, genesis\) nor a \.gpl/\.pal/\.hex file \(did you mean 'snes'\?\)$",
    ):
        palette_for_shot("snse", colourful_frames(1))
