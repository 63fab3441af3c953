"""Indexed PNG frames (with a GIF, a sprite sheet and the palette): the retro deliverable."""

from production_assets.media.codecs import Codec

CODEC = Codec(name="png", kind="retro", label="indexed PNG", extension=".png", encode_seconds_per_megapixel=0.02)
