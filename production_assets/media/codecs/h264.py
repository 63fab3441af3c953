"""H.264 High, yuv420p, in .mp4 with fast start: the streaming deliverable."""

from production_assets.media.codecs import Codec, VideoEncoding

CODEC = Codec(
    name="h264",
    kind="video",
    label="H.264 High",
    extension=".mp4",
    encode_seconds_per_megapixel=0.012,
    video=VideoEncoding(
        encoder="libx264",
        pix_fmt="yuv420p",
        options={"profile": "high", "preset": "medium"},
        quality_options={"crf": "18"},
        rate_controlled=True,
        containers=(".mp4", ".mov"),
        audio_codec="aac",
        audio_bitrate=192_000,
        even_dimensions=True,
        probed_codec="h264",
        probed_profile="High",
        probed_pix_fmts=("yuv420p",),
        fast_start=True,
    ),
)
