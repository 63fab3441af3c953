"""The report's storyboard: scenes under their script headings, a card per shot with its review status,
dialogue and notes, the locked shots left out of date, and a page that stays light at 1,200 shots."""

from __future__ import annotations

import base64
import html
import io
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from production_assets.export.report import SHEET_LABEL_HEIGHT, SHEET_MAX_SHOTS, SHEET_TILE_WIDTH, write_report
from production_assets.export.storyboard import heard_lines, image_data_uri
from production_assets.model.production import LOCKED_STATUSES
from production_assets.model.resolved import ResolvedProduction, ShotLine
from production_assets_tests.export.conftest import (
    fake_thumbnails,
    long_screenplay,
    published,
    scripted_from,
    synthetic_frame,
)
from production_assets_tests.export.test_export_report import CHROMIUM

LONG_FILM = """\
production:
  title: "Long Film"
  script: "film.fountain"
  script_coverage: true
  characters: [{name: Mike, model: "builtin:mannequin"}, {name: Jo, model: "builtin:mannequin"}]
  locations: [{name: Office, preset: studio}, {name: Main Street, preset: studio}]
  render_settings: {engine: cycles, samples: 1, resolution: [64, 36], frame_rate: 24}
  outputs: [{name: web, format: streaming_1080p, resolution: [64, 36], path: "output/web/"}]
"""
STALE = {
    "s003_establishing_wide_office": "location preset studio -> industrial",
    "s001_close_up_mike": "camera.lens 35 -> 50 <wider>",
}
OUTLINE = re.compile(r'<h3>(.*?)<small>|<li class="card[^"]*" id="shot-([^"]+)"')


@dataclass
class Card:
    classes: list[str]
    markup: str
    text: str


def _visible(markup: str) -> str:
    """The text a reader sees: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _report(production: ResolvedProduction, **options: object) -> str:
    return write_report(production, [], published(production), **options).read_text()  # type: ignore[arg-type]


def _cards(text: str) -> dict[str, Card]:
    cards = {}
    for chunk in text.split('<li class="card ')[1:]:
        match = re.match(r'([^"]*)" id="shot-([^"]+)"', chunk)
        assert match is not None
        markup = chunk.split("</ol>")[0]
        cards[match[2]] = Card(match[1].split(), markup, _visible(markup[match.end() :]))
    return cards


def test_the_storyboard_tells_the_film_scene_by_scene_under_the_script_headings(
    scripted_production: ResolvedProduction,
) -> None:
    outline = [
        ("scene", _visible(match[1])) if match[1] is not None else ("shot", match[2])
        for match in OUTLINE.finditer(_report(scripted_production))
    ]
    headings = [title for kind, title in outline if kind == "scene"]
    assert headings == ["1 INT. OFFICE - DAY", "2 EXT. MAIN STREET - NIGHT", "3 INT. OFFICE - NIGHT", "Scene 4"]
    assert [value for kind, value in outline if kind == "shot"] == [shot.id for shot in scripted_production.shots]
    scene = 0
    for kind, value in outline:
        scene += kind == "scene"
        assert kind == "scene" or value.startswith(f"s{scene:03d}_"), (value, scene)
    assert outline[1] == ("shot", "s001_establishing_wide_office")


def test_a_card_shows_the_shot_its_review_status_dialogue_and_notes_as_text(
    scripted_production: ResolvedProduction,
) -> None:
    text = _report(scripted_production)
    cards = _cards(text)
    assert list(cards) == [shot.id for shot in scripted_production.shots]

    mike = cards["s001_close_up_mike"]
    assert "Keep the <b>steam</b> on the cups & the blinds half shut." in mike.text
    assert "<b>steam</b>" not in text
    assert "close_up · Mike · Office · day" in mike.text and "40 f · 1.67 s" in mike.text
    assert "written in the production file · graded g_s001_close_up_mike" in mike.text
    assert "close_up · Jo · Main Street · night" in cards["s002_close_up_jo"].text
    assert "insert · set · Office · day" in cards["s004_insert_office"].text

    voices = 0
    for shot in scripted_production.shots:
        card = cards[shot.id]
        assert f"s-{shot.status}" in card.classes
        badge = re.search(r'<span class="badge s-(\w+)( locked)?"', card.markup)
        assert badge is not None and badge[1] == shot.status
        assert (badge[2] is not None) == (shot.status in LOCKED_STATUSES)
        origin = f"from the script, line {shot.script_line}" if shot.generated else "written in the production file"
        assert origin in card.text
        heard = heard_lines(shot, scripted_production.render.frame_rate)
        assert len(re.findall(r"\d s</i></li>", card.markup)) == len(heard)
        for line in heard:
            marked = " off-screen" if line.off_screen else ""
            times = f"{max(line.start, 0.0):.1f}–{line.end:.1f} s"
            assert f"{line.speaker}{marked} {line.text} {times}" in card.text
            voices += line.off_screen
        assert card.text.count("off-screen") == sum(line.off_screen for line in heard)
    assert voices >= 1  # the intercom's voice-over is heard, off screen, over a close-up
    assert {"wip", "review", "approved", "final"} == {shot.status for shot in scripted_production.shots}


def test_a_line_that_reaches_a_shot_by_less_than_a_frame_is_not_shown_on_it(
    scripted_production: ResolvedProduction,
) -> None:
    shots = list(scripted_production.shots)
    jo = next(index for index, shot in enumerate(shots) if shot.id == "s002_close_up_jo")
    sliver = ShotLine(speaker="Mike", character="Mike", text="Jo? You still here?", start=2.49, end=2.5, line=31)
    shots[jo] = shots[jo].model_copy(update={"lines": [*shots[jo].lines, sliver]})
    production = scripted_production.model_copy(update={"shots": shots})
    card = _cards(_report(production))["s002_close_up_jo"]
    assert "Out. Of course he's out." in card.text and "You still here" not in card.text


def test_a_shot_without_a_published_version_has_a_card_that_says_so(scripted_production: ResolvedProduction) -> None:
    versions = published(scripted_production)
    del versions.graded["s001_close_up_jo"]
    text = write_report(scripted_production, [], versions).read_text()
    card = _cards(text)["s001_close_up_jo"]
    assert '<div class="nothumb">not rendered</div>' in card.markup and "<img" not in card.markup
    assert "graded" not in card.text and "Traffic. Same as every day this week." in card.text


def test_locked_shots_out_of_date_are_listed_near_the_top_and_marked_on_their_cards(
    scripted_production: ResolvedProduction,
) -> None:
    plain = _report(scripted_production)
    assert "Locked shots out of date" not in plain
    assert not any("stale" in card.classes for card in _cards(plain).values())

    text = _report(scripted_production, locked_stale={**STALE, "s009_gone": "removed from the film"})
    start = text.index("<h2>Locked shots out of date</h2>")
    assert start < text.index("<h2>Warnings</h2>") < text.index("<h2>Storyboard</h2>")
    section = text[start : text.index("</section>", start)]
    listed = re.findall(r'<a href="#shot-([^"]+)">', section)
    assert listed == ["s001_close_up_mike", "s003_establishing_wide_office"]  # film order
    assert all(f'id="shot-{shot_id}"' in text for shot_id in listed)
    assert "camera.lens 35 -&gt; 50 &lt;wider&gt;" in section and "<wider>" not in text
    assert "INT. OFFICE - NIGHT" in _visible(section)
    assert "s009_gone not in the film – removed from the film" in _visible(section)  # listed last, not linked

    cards = _cards(text)
    assert {shot_id for shot_id, card in cards.items() if "stale" in card.classes} == set(STALE)
    assert "out of date, not re-rendered: camera.lens 35 -> 50 <wider>" in cards["s001_close_up_mike"].text
    assert "out of date" not in cards["s001_close_up_jo"].text


def test_a_film_of_1200_shots_costs_a_few_kilobytes_a_shot(tmp_path: Path) -> None:
    production = scripted_from(tmp_path / "long", long_screenplay(200, 5), LONG_FILM)
    assert len(production.shots) == 1200
    fake_thumbnails(production)
    text = _report(production)

    assert text.count('<li class="card ') == 1200 and text.count('<div class="scene">') == 200
    images = re.findall(r'<img src="(data:image/(?:png|jpeg);base64,[^"]*)" alt="([^"]*)"', text)
    assert len(images) == 1201  # a thumbnail per shot and the contact sheet
    size = len(text.encode())
    markup = size - sum(len(uri) for uri, _ in images)
    assert markup / 1200 < 1_000, markup / 1200
    assert size / 1200 < 4_000, size / 1200

    sheet_uri = next(uri for uri, alt in images if alt == "contact sheet")
    sheet = Image.open(io.BytesIO(base64.b64decode(sheet_uri.split(",", 1)[1])))
    tile_height = round(180 * SHEET_TILE_WIDTH / 320)
    assert sheet.height == SHEET_MAX_SHOTS * (SHEET_LABEL_HEIGHT + tile_height + 4) + 4
    assert f"{SHEET_MAX_SHOTS} of 1200 shots, spread over the film" in text


def test_images_are_embedded_in_the_smaller_of_jpeg_and_png() -> None:
    flat = Image.fromarray(synthetic_frame(1, 1, 180, 320))
    assert image_data_uri(flat).startswith("data:image/png;base64,")
    ys, xs = np.mgrid[0:180, 0:320]
    shading = np.stack([xs * 0.5 + 40, ys * 0.6 + 30, (xs + ys) * 0.3 + 20], axis=-1)
    noise = np.random.default_rng(7).normal(0.0, 6.0, shading.shape)  # the grain of a few-sample render
    rendered = Image.fromarray(np.clip(shading + noise, 0, 255).astype(np.uint8))
    uri = image_data_uri(rendered)
    assert uri.startswith("data:image/jpeg;base64,")
    png = io.BytesIO()
    rendered.save(png, format="PNG")
    assert len(base64.b64decode(uri.split(",", 1)[1])) * 3 < len(png.getvalue())


@pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium) to render the report"
)
def test_the_storyboard_renders_in_headless_chromium(scripted_production: ResolvedProduction, tmp_path: Path) -> None:
    report = write_report(
        scripted_production, [], published(scripted_production), locked_stale={"s003_establishing_wide_office": "lens"}
    )
    text = report.read_text()
    assert "<script" not in text and not re.search(r"""(src|href)=["'](https?:)?//""", text)
    screenshot = tmp_path / "storyboard.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                f"--user-data-dir={profile}", f"--screenshot={screenshot}", "--window-size=1280,2600",
                report.as_uri(),
            ],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    pixels = np.asarray(Image.open(screenshot).convert("RGB"))
    dark = np.all(pixels[:, 400:1000] == (20, 24, 33), axis=(1, 2)).astype(np.int8)
    edges = np.diff(np.concatenate([[0], dark, [0]]))
    runs = np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)
    assert np.count_nonzero((runs >= 30) & (runs <= 40)) == 4  # the four scene headings, dark bars across the page
    approved_green = np.all(pixels == (43, 138, 62), axis=-1)
    stale_red = np.all(pixels == (201, 42, 42), axis=-1)
    assert approved_green.sum() > 800  # the approved card's top border (4 px across a card)
    assert stale_red.sum() > 800  # the outline of the locked shot that is out of date
