"""Animated GIF per shot (with the frames as indexed PNGs): a retro deliverable."""

from production_assets.media.codecs import Codec

CODEC = Codec(name="gif", kind="retro", label="animated GIF", extension=".gif", encode_seconds_per_megapixel=0.02)
