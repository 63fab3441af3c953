"""ProRes 4444 with alpha, 10-bit, in .mov: the cinema master (a clip per shot by default)."""

from production_assets.media.codecs import Codec, VideoEncoding

CODEC = Codec(
    name="prores_4444",
    kind="video",
    label="ProRes 4444",
    extension=".mov",
    encode_seconds_per_megapixel=0.05,
    shot_clips_by_default=True,
    video=VideoEncoding(
        encoder="prores_ks",
        pix_fmt="yuva444p10le",
        options={"profile": "4444", "vendor": "apl0"},
        containers=(".mov",),
        audio_codec="pcm_s24le",
        alpha=True,
        probed_codec="prores",
        probed_profile="4444",
        # FFmpeg's ProRes decoder hands 4444 back as 12-bit whatever the encoder's depth.
        probed_pix_fmts=("yuva444p10le", "yuva444p12le"),
    ),
)
