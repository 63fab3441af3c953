"""The names of the built-in console palettes and the palette file kinds, for validation and resolution;
the colours themselves live in post.palettes."""

from __future__ import annotations

CONSOLE_PALETTES = ("snes", "nes", "gameboy", "genesis", "pico8")
PALETTE_FILE_EXTENSIONS = (".gpl", ".pal", ".hex")
