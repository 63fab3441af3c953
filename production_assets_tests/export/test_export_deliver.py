from pathlib import Path

import opentimelineio as otio
import pytest

from production_assets.export.deliver import deliver_output, output_bitrate, read_export_record
from production_assets.export.editorial import reel_names
from production_assets.export.probe import probe_media
from production_assets.model.resolved import ResolvedProduction
from production_assets_tests.export.conftest import graded_versions, output_named

SHOTS = ["s001_wide_hero", "s001_close_up_hero", "s002_medium_hero"]
FRAMES = [3, 2, 4]


def test_cinema_has_a_prores_film_and_a_clip_per_shot_from_one_pass(delivery_production: ResolvedProduction):
    output = output_named(delivery_production, "cinema")
    delivered = deliver_output(delivery_production, output, graded_versions(delivery_production))
    folder = Path(output.path)
    film = folder / "delivery.mov"
    assert delivered.files[0] == film and delivered.roles[film] == "film"
    assert delivered.frames == 9 and delivered.shot_frames == dict(zip(SHOTS, FRAMES, strict=True))
    film_info = probe_media(film)
    assert (film_info.codec, film_info.profile, film_info.width, film_info.height, film_info.frames) == (
        "prores",
        "4444",
        96,
        54,
        9,
    )
    for shot_id, frames in zip(SHOTS, FRAMES, strict=True):
        clip = folder / "shots" / f"{shot_id}.mov"
        assert delivered.roles[clip] == "shot_clip"
        info = probe_media(clip)
        assert (info.codec, info.profile, info.frames, info.fps) == ("prores", "4444", frames, 24.0)
    assert not [p for p in folder.rglob(".*")]
    record = read_export_record(delivery_production, "cinema")
    assert record is not None and record.production_version == "2.1"
    assert record.shot_versions == {s: f"g_{s}" for s in SHOTS}
    assert {e.shot for e in record.of_role("shot_clip")} == set(SHOTS)


def test_streaming_has_no_clips_unless_asked(delivery_production: ResolvedProduction):
    output = output_named(delivery_production, "web")
    delivered = deliver_output(delivery_production, output, graded_versions(delivery_production))
    assert sorted(delivered.roles.values()) == ["edl", "film", "timeline"]
    delivered = deliver_output(delivery_production, output, graded_versions(delivery_production), shot_clips=True)
    assert sorted(delivered.roles.values()).count("shot_clip") == 3
    assert probe_media(Path(output.path) / "shots" / "s002_medium_hero.mp4").frames == 4


def test_a_format_bitrate_follows_the_pixels_an_output_sends_each_second(delivery_production: ResolvedProduction):
    web = output_named(delivery_production, "web")  # streaming_1080p (8 Mb/s at 1920x1080, 24 fps) at 64x36
    assert output_bitrate(web) == 250_000  # 8 Mb/s x 64x36 / 1920x1080 is 4.4 kb/s: the floor
    full = web.model_copy(update={"resolution": (1920, 1080), "frame_rate": 6.0})
    assert output_bitrate(full) == 2_000_000
    quarter = web.model_copy(update={"resolution": (960, 540), "frame_rate": 48.0})
    assert output_bitrate(quarter) == 4_000_000
    cinema = output_named(delivery_production, "cinema")
    assert cinema.format.bitrate == 0 and output_bitrate(cinema) == 0  # constant quality stays so


def read_edl(path: Path) -> otio.schema.Timeline:
    from otio_cmx3600_adapter import cmx_3600

    return cmx_3600.read_from_string(path.read_text(), rate=24)


@pytest.mark.parametrize("clips", [True, False])
def test_timeline_and_edl_read_back_with_shots_in_order(delivery_production: ResolvedProduction, clips: bool):
    output = output_named(delivery_production, "web")
    deliver_output(delivery_production, output, graded_versions(delivery_production), shot_clips=clips)
    folder = Path(output.path)
    timeline = otio.adapters.read_from_file(str(folder / "delivery.otio"))
    (track,) = timeline.video_tracks()
    items = list(track.find_clips())
    assert [c.name for c in items] == SHOTS
    assert [c.source_range.duration.to_frames() for c in items] == FRAMES
    assert timeline.duration().to_frames() == 9
    if clips:
        assert [c.media_reference.target_url for c in items] == [f"shots/{s}.mp4" for s in SHOTS]
        assert all(c.source_range.start_time.to_frames() == 0 for c in items)
        assert all((folder / c.media_reference.target_url).is_file() for c in items)
    else:
        assert {c.media_reference.target_url for c in items} == {"delivery.mp4"}
        assert [c.source_range.start_time.to_frames() for c in items] == [0, 3, 5]

    edl = read_edl(folder / "delivery.edl")
    events = list(edl.video_tracks()[0].find_clips())
    assert [c.name for c in events] == SHOTS
    assert [c.source_range.duration.to_frames() for c in events] == FRAMES
    reels = [c.metadata["cmx_3600"]["reel"] for c in events]
    assert reels == [reel_names(SHOTS)[s] for s in SHOTS]
    assert [c.media_reference.target_url for c in events] == [c.media_reference.target_url for c in items]
    text = (folder / "delivery.edl").read_text()
    assert text.startswith("TITLE: Delivery Test")
    assert "001  " + reels[0] + " V     C        00:00:00:00 00:00:00:03 00:00:00:00 00:00:00:03" in text


def test_reel_names_are_eight_characters_stable_and_unique():
    ids = ["s001_hero_cu_hero", "s001_hero_cu_hero_2", "s001_hero_cu_hero_3", "x"]
    reels = reel_names(ids)
    assert all(len(reel) == 8 and reel.isalnum() for reel in reels.values())
    assert len(set(reels.values())) == len(ids)
    assert reel_names(ids[:1]) == {ids[0]: reels[ids[0]]}
    assert reels[ids[0]].startswith("S001")


def test_retro_output_records_roles_per_shot(delivery_production: ResolvedProduction):
    output = output_named(delivery_production, "snes")
    delivered = deliver_output(delivery_production, output, graded_versions(delivery_production))
    record = read_export_record(delivery_production, "snes")
    assert record is not None
    roles = [e.role for e in record.entries if e.shot == "s001_close_up_hero"]
    assert sorted(set(roles)) == ["frame", "gif", "palette", "preview", "sprite_sheet"]
    assert roles.count("frame") == 2 and delivered.frames == 9
