import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from production_assets.export.deliver import deliver_output
from production_assets.export.manifest import write_manifest
from production_assets.export.report import SHEET_MAX_SHOTS, sheet_shot_numbers, write_report
from production_assets.export.verify import verify_output
from production_assets.model.resolved import ResolvedProduction
from production_assets_tests.export.conftest import graded_versions, output_named, published

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


@pytest.fixture
def report(delivery_production: ResolvedProduction) -> Path:
    for output in delivery_production.outputs:
        deliver_output(delivery_production, output, graded_versions(delivery_production))
    verify_output(delivery_production, output_named(delivery_production, "cinema"))
    (Path(output_named(delivery_production, "web").path) / "delivery.otio").write_text("{}")
    verify_output(delivery_production, output_named(delivery_production, "web"))
    write_manifest(delivery_production)
    return write_report(
        delivery_production,
        [
            "shots[1].camera.lens: 300 mm is unusually long for a close_up",
            "locations[0].hdri: not found, using the sky",
        ],
        published(delivery_production),
        {"validate": 0.4, "prepare": 1.2, "shots": 31.5, "post_process": 2.3},
    )


def test_report_is_self_contained_with_relative_links_that_resolve(
    report: Path, delivery_production: ResolvedProduction
):
    assert report == Path(delivery_production.base_dir) / "report.html"
    text = report.read_text()
    assert not re.search(r"""(src|href)=["'](https?:)?//""", text)
    assert "@import" not in text and "<script" not in text
    images = re.findall(r'<img src="([^"]*)"', text)
    assert len(images) == 4 and all(re.match(r"data:image/(png|jpeg);base64,", src) for src in images)
    links = re.findall(r'<a href="([^"]*)"', text)
    assert "output/cinema/delivery.mov" in links and "output/web/delivery.edl" in links
    assert "output/cinema/shots/s002_medium_hero.mov" in links and "manifest.json" in links
    assert all((report.parent / link).exists() for link in links)
    assert "unusually long for a close_up" in text
    assert ">failed</span>" in text and ">passed</span>" in text
    assert "31.50 s" in text and "s002_medium_hero" in text


@pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium) to render the report"
)
def test_report_renders_in_headless_chromium(report: Path, tmp_path: Path):
    screenshot = tmp_path / "report.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                f"--screenshot={screenshot}",
                "--window-size=1280,1800",
                report.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    pixels = np.asarray(Image.open(screenshot).convert("RGB"), dtype=np.int16)
    assert pixels.shape[:2] == (1800, 1280)
    header = pixels[:60, :, :]
    assert header.mean() < 60  # the dark title bar is drawn
    assert len(np.unique(pixels.reshape(-1, 3)[::37], axis=0)) > 200  # thumbnails and the sheet, not a blank page


def test_the_contact_sheet_spreads_a_long_film_over_at_most_sheet_max_shots_rows():
    assert sheet_shot_numbers(3) == [0, 1, 2]
    assert sheet_shot_numbers(SHEET_MAX_SHOTS) == list(range(SHEET_MAX_SHOTS))
    spread = sheet_shot_numbers(1200)
    assert len(spread) == SHEET_MAX_SHOTS and spread[0] == 0 and spread[-1] == 1199
    steps = np.diff(spread)
    assert steps.min() >= 25 and steps.max() <= 26  # evenly: 1199 / 47 = 25.5
