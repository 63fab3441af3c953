import hashlib
import json
import os
from pathlib import Path

import jsonschema
import pytest

from production_assets.export.deliver import deliver_output
from production_assets.export.manifest import write_manifest
from production_assets.export.manifest_schema import manifest_json_schema
from production_assets.export.verify import verify_output
from production_assets.model.resolved import ResolvedProduction
from production_assets_tests.export.conftest import graded_frame, graded_versions, output_named

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "configs" / "manifest.schema.json"


def deliver_all(production: ResolvedProduction) -> None:
    for output in production.outputs:
        deliver_output(production, output, graded_versions(production))
        assert verify_output(production, output) == []


def test_schema_file_is_generated_from_the_models():
    # Regenerate: python -m production_assets.export.manifest_schema > configs/manifest.schema.json
    assert json.loads(SCHEMA_FILE.read_text()) == manifest_json_schema()


def test_real_manifest_validates_and_lists_every_file_with_facts(delivery_production: ResolvedProduction):
    deliver_all(delivery_production)
    written = write_manifest(delivery_production)
    manifest = json.loads(written.path.read_text())
    jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text())).validate(manifest)
    assert written.count == 3 and written.excluded == ()
    assert manifest["version"] == "2.1"
    cinema = next(d for d in manifest["deliverables"] if d["name"] == "cinema")
    assert cinema["path"] == "output/cinema/delivery.mov"
    assert (cinema["frames"], cinema["resolution"], cinema["fps"], cinema["checks"]) == (9, [96, 54], 24.0, "passed")
    assert cinema["shot_versions"] == manifest["shots"] and cinema["production_version"] == "2.1"
    snes = next(d for d in manifest["deliverables"] if d["name"] == "snes")
    assert (snes["path"], snes["colors"], snes["frames"]) == ("output/snes", 16, 9)
    base = Path(delivery_production.base_dir)
    for entry in manifest["outputs"]:
        path = base / entry["path"]
        assert not Path(entry["path"]).is_absolute()
        assert entry["bytes"] == path.stat().st_size
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    clips = [e for e in manifest["outputs"] if e["output"] == "cinema" and e["role"] == "shot_clip"]
    assert [(c["shot"], c["frames"], c["codec"], c["profile"]) for c in clips] == [
        ("s001_wide_hero", 3, "prores", "4444"),
        ("s001_close_up_hero", 2, "prores", "4444"),
        ("s002_medium_hero", 4, "prores", "4444"),
    ]
    roles = {e["role"] for e in manifest["outputs"] if e["output"] == "web"}
    assert roles == {"film", "timeline", "edl"}


def test_exclude_and_failed_checks_keep_outputs_out(delivery_production: ResolvedProduction):
    deliver_all(delivery_production)
    written = write_manifest(delivery_production, exclude=frozenset({"snes"}))
    manifest = json.loads(written.path.read_text())
    assert [d["name"] for d in manifest["deliverables"]] == ["cinema", "web"]
    assert manifest["excluded"] == [{"name": "snes", "reason": "excluded by the caller"}]
    assert not [e for e in manifest["outputs"] if e["output"] == "snes"]

    web = output_named(delivery_production, "web")
    (Path(web.path) / "delivery.otio").write_text("{}")
    assert verify_output(delivery_production, web)
    manifest = json.loads(write_manifest(delivery_production).path.read_text())
    assert [d["name"] for d in manifest["deliverables"]] == ["cinema", "snes"]
    assert manifest["excluded"][0]["name"] == "web"
    assert manifest["excluded"][0]["reason"].startswith("checks failed: ")
    everything = json.loads(write_manifest(delivery_production, exclude=frozenset()).path.read_text())
    assert len(everything["deliverables"]) == 3


def test_missing_file_keeps_the_output_out(delivery_production: ResolvedProduction):
    deliver_all(delivery_production)
    os.remove(Path(output_named(delivery_production, "cinema").path) / "shots" / "s002_medium_hero.mov")
    manifest = json.loads(write_manifest(delivery_production).path.read_text())
    assert "cinema" not in [d["name"] for d in manifest["deliverables"]]
    assert manifest["excluded"][0]["reason"].startswith("1 file(s) missing")


class EncoderFault:
    """Makes VideoWriter.write raise on the n-th frame after ``arm(n)``."""

    def __init__(self) -> None:
        self.remaining: int | None = None

    def arm(self, frame: int) -> None:
        self.remaining = frame

    def tick(self) -> None:
        if self.remaining is not None:
            self.remaining -= 1
            if self.remaining == 0:
                raise RuntimeError("encoder crashed")


@pytest.fixture
def encoder_fault(monkeypatch: pytest.MonkeyPatch) -> EncoderFault:
    from production_assets.export import video

    fault = EncoderFault()
    original = video.VideoWriter.write

    def write(self: video.VideoWriter, pixels) -> None:  # type: ignore[no-untyped-def]
        fault.tick()
        original(self, pixels)

    monkeypatch.setattr(video.VideoWriter, "write", write)
    return fault


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", ["cinema", "web"])
def test_failure_mid_encode_leaves_previous_output_and_manifest(
    delivery_production: ResolvedProduction, name: str, encoder_fault: EncoderFault
):
    output = output_named(delivery_production, name)
    deliver_all(delivery_production)
    write_manifest(delivery_production)
    base = Path(delivery_production.base_dir)
    before_outputs = snapshot(Path(output.path))
    before_manifest = (base / "manifest.json").read_bytes()
    before_record = delivery_production.layout.export_record(name).read_bytes()
    # The second shot is re-graded: the next build has different frames.
    graded = graded_frame(delivery_production, "s001_close_up_hero", 1)
    graded.write_bytes((graded_frame(delivery_production, "s002_medium_hero", 1)).read_bytes())

    encoder_fault.arm(6)  # mid-film: the second shot, after the first clip was finished
    with pytest.raises(RuntimeError, match="^encoder crashed$"):
        deliver_output(
            delivery_production,
            output,
            graded_versions(delivery_production),
            shot_clips=True if name == "web" else None,
        )
    assert snapshot(Path(output.path)) == before_outputs
    assert not [p for p in Path(output.path).rglob(".*")]
    assert delivery_production.layout.export_record(name).read_bytes() == before_record
    assert (base / "manifest.json").read_bytes() == before_manifest
    assert verify_output(delivery_production, output) == []


def test_failure_reading_frames_mid_film_publishes_nothing(delivery_production: ResolvedProduction):
    output = output_named(delivery_production, "cinema")
    (graded_frame(delivery_production, "s002_medium_hero", 3)).write_bytes(b"not a png")
    with pytest.raises(Exception, match="cannot identify image file"):
        deliver_output(delivery_production, output, graded_versions(delivery_production))
    assert not [p for p in Path(output.path).rglob("*") if p.is_file()]
    assert not delivery_production.layout.export_record("cinema").exists()


def test_only_video_files_carry_media_facts(delivery_production: ResolvedProduction):
    deliver_all(delivery_production)
    manifest = json.loads(write_manifest(delivery_production).path.read_text())
    with_codec = {(e["output"], e["role"]) for e in manifest["outputs"] if "codec" in e}
    assert with_codec == {("cinema", "film"), ("cinema", "shot_clip"), ("web", "film")}
    first = {}
    for entry in manifest["outputs"]:
        first.setdefault(entry["output"], entry["role"])
    assert first == {"cinema": "film", "web": "film", "snes": "frame"}
