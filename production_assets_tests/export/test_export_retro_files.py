import errno
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from production_assets.errors import ExportError
from production_assets.export import retro_files
from production_assets.export.deliver import deliver_output, export_record_path
from production_assets.export.manifest import write_manifest
from production_assets.export.retro_files import gif_durations, write_retro_shot
from production_assets.export.verify import verify_output
from production_assets.model.resolved import ResolvedProduction
from production_assets.post.palettes import load_palette_file
from production_assets.post.retro import convert_shot
from production_assets.storage.atomic import STAGING_PREFIX
from production_assets_tests.export.conftest import (
    DELIVERY_PRODUCTION,
    graded_frame,
    graded_versions,
    output_named,
    resolved_from,
)


def frames(count: int = 5) -> list[np.ndarray]:
    ys, xs = np.mgrid[0:90, 0:160]
    return [np.stack([(xs * 2 + 9 * i) % 256, ys * 2, (xs + ys) % 256], axis=-1).astype(np.uint8) for i in range(count)]


def test_writes_indexed_frames_gif_sheet_palette_and_previews(tmp_path: Path):
    shot = convert_shot(frames(), "pico8", "ordered", None, (32, 24), "crop")
    written = write_retro_shot(shot, tmp_path, "sc01_hero_cu", fps=24, pixel_scale=3)
    names = sorted(str(p.relative_to(tmp_path)) for p in written)
    expected_frames = [f"frame_{n:04d}.png" for n in range(1, 6)]
    assert names == sorted(
        expected_frames
        + [f"preview/{name}" for name in expected_frames]
        + ["sc01_hero_cu.gif", "sc01_hero_cu.gpl", "sc01_hero_cu_sheet.png"]
    )
    assert all(p.exists() for p in written)
    assert not [p for p in tmp_path.rglob(".*")]

    with Image.open(tmp_path / "frame_0001.png") as first:
        assert first.mode == "P" and first.size == (32, 24)
        assert np.array_equal(np.asarray(first), shot.indices[0])
    with Image.open(tmp_path / "sc01_hero_cu.gif") as gif:
        assert gif.n_frames == 5 and gif.size == (32, 24)
        for number in range(5):
            gif.seek(number)
            assert np.array_equal(np.asarray(gif.convert("RGB")), shot.rgb_frame(number))
    with Image.open(tmp_path / "sc01_hero_cu_sheet.png") as sheet:
        assert sheet.mode == "P" and sheet.size == (3 * 32, 2 * 24)
    with Image.open(tmp_path / "preview" / "frame_0002.png") as preview:
        assert preview.size == (96, 72)
        assert np.array_equal(np.asarray(preview)[::3, ::3], shot.indices[1])
    assert np.array_equal(load_palette_file(tmp_path / "sc01_hero_cu.gpl"), shot.palette)


def test_gif_delays_keep_the_average_frame_rate():
    delays = gif_durations(24, 24)
    assert set(delays) == {40, 50} and sum(delays) == 1000


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, hidden ones included."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def gif_fault(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Makes the GIF of each shot named in the returned list fail halfway, as a full disk would."""
    failing: list[str] = []
    original = retro_files._save

    def save(image: Image.Image, path: Path, **options: object) -> Path:
        if path.suffix == ".gif" and path.stem in failing:
            path.write_bytes(b"GIF89a" + bytes(100))
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(image, path, **options)

    monkeypatch.setattr(retro_files, "_save", save)
    return failing


def test_failure_midway_through_a_shot_leaves_the_previous_retro_output_whole(
    delivery_production: ResolvedProduction, gif_fault: list[str]
):
    output = output_named(delivery_production, "snes")
    folder = Path(output.path)
    deliver_output(delivery_production, output, graded_versions(delivery_production))
    write_manifest(delivery_production)
    before_outputs = snapshot(folder)
    before_record = export_record_path(delivery_production, "snes").read_bytes()
    before_manifest = (Path(delivery_production.base_dir) / "manifest.json").read_bytes()
    # Shot 1 is re-graded: the next build changes its files, and shot 0's, before shot 1's GIF fails.
    graded = graded_frame(delivery_production, "s001_close_up_hero", 1)
    graded.write_bytes((graded_frame(delivery_production, "s002_medium_hero", 1)).read_bytes())

    gif_fault.append("s001_close_up_hero")
    no_space = r"^error: output 'snes' could not be written to .*: No space left on device$"
    with pytest.raises(ExportError, match=no_space):
        deliver_output(delivery_production, output, graded_versions(delivery_production))
    assert snapshot(folder) == before_outputs  # byte for byte, no new file, no staging left
    assert export_record_path(delivery_production, "snes").read_bytes() == before_record
    assert (Path(delivery_production.base_dir) / "manifest.json").read_bytes() == before_manifest
    assert verify_output(delivery_production, output) == []

    gif_fault.clear()
    deliver_output(delivery_production, output, graded_versions(delivery_production))
    assert snapshot(folder)["s001_close_up_hero/frame_0001.png"] != before_outputs["s001_close_up_hero/frame_0001.png"]
    assert verify_output(delivery_production, output) == []


def test_staging_left_by_a_killed_build_is_never_listed_and_goes_with_the_next_build(
    delivery_production: ResolvedProduction,
):
    output = output_named(delivery_production, "snes")
    folder = Path(output.path)
    deliver_output(delivery_production, output, graded_versions(delivery_production))
    leftover = folder / f"{STAGING_PREFIX}deadbeef" / "s001_wide_hero"
    leftover.mkdir(parents=True)
    (leftover / "frame_0001.png").write_bytes(b"half a frame")
    manifest = json.loads(write_manifest(delivery_production).path.read_text())
    assert not [e for e in manifest["outputs"] if STAGING_PREFIX in e["path"]]
    assert verify_output(delivery_production, output) == []

    deliver_output(delivery_production, output, graded_versions(delivery_production))
    assert not list(folder.rglob(".*"))


def test_a_shorter_rebuild_leaves_exactly_the_new_files(delivery_production: ResolvedProduction, tmp_path: Path):
    output = output_named(delivery_production, "snes")
    deliver_output(delivery_production, output, graded_versions(delivery_production))
    shorter_text = DELIVERY_PRODUCTION.replace("duration: 4", "duration: 2").replace(
        "    - {template: close_up, scene: 1, character: Hero, duration: 2}\n", ""
    )
    shorter = resolved_from(tmp_path / "delivery", shorter_text)
    assert [shot.id for shot in shorter.shots] == ["s001_wide_hero", "s002_medium_hero"]
    delivered = deliver_output(shorter, output_named(shorter, "snes"), graded_versions(shorter))
    on_disk = {p for p in Path(output.path).rglob("*") if p.is_file()}
    assert on_disk == set(delivered.files)
    assert sorted(p.name for p in Path(output.path).iterdir()) == ["s001_wide_hero", "s002_medium_hero"]
    assert sorted(p.name for p in (Path(output.path) / "s002_medium_hero").iterdir() if p.is_file()) == [
        "frame_0001.png",
        "frame_0002.png",
        "s002_medium_hero.gif",
        "s002_medium_hero.gpl",
        "s002_medium_hero_sheet.png",
    ]
    assert verify_output(shorter, output_named(shorter, "snes")) == []
