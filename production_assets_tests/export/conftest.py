"""A resolved production whose shots are already "graded": deterministic synthetic frames on disk
(the export layer is tested without Blender; real renders are covered by the engine tests)."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import numpy as np
import pytest
from PIL import Image

from production_assets.loading.production_file import load_production
from production_assets.loading.resolve import resolve_production
from production_assets.model.resolved import ResolvedProduction
from production_assets.model.versions import PublishedVersions
from production_assets.storage.frames import frame_name
from production_assets_tests.conftest import write_production

DELIVERY_PRODUCTION = """\
production:
  title: "Delivery Test"
  version: "2.1"
  style: {preset: cinematic}
  characters:
    - {name: Hero, model: "builtin:mannequin"}
  locations:
    - {name: Stage, preset: studio}
  shots:
    - {template: wide, scene: 1, character: Hero, duration: 3}
    - {template: close_up, scene: 1, character: Hero, duration: 2}
    - {template: medium, scene: 2, character: Hero, duration: 4}
  render_settings: {engine: cycles, samples: 1, resolution: [64, 36], frame_rate: 24}
  outputs:
    - {name: cinema, format: cinema_4k, resolution: [96, 54], path: "output/cinema/"}
    - {name: web, format: streaming_1080p, resolution: [64, 36], path: "output/web/"}
    - name: snes
      format: 16bit_game
      resolution: [32, 28]
      retro: {palette: snes, dither: ordered, colors: 16, pixel_scale: 2}
      path: "output/snes/"
"""


def synthetic_frame(shot_number: int, frame_number: int, height: int = 36, width: int = 64) -> np.ndarray:
    """A colourful gradient with a bright square that moves from frame to frame."""
    ys, xs = np.mgrid[0:height, 0:width]
    frame = np.stack(
        [(xs * 4 + 60 * shot_number) % 256, (ys * 7 + 10 * frame_number) % 256, ((xs + ys) * 3) % 256], axis=-1
    ).astype(np.uint8)
    left = (frame_number * 6) % (width - 12)
    frame[10:22, left : left + 12] = (250, 240, 200)
    return frame


def published(production: ResolvedProduction) -> PublishedVersions:
    """The versions the synthetic shots are "published" at (as Dagster would have recorded them)."""
    return PublishedVersions(
        render={shot.id: f"r_{shot.id}" for shot in production.shots},
        graded={shot.id: f"g_{shot.id}" for shot in production.shots},
    )


def graded_versions(production: ResolvedProduction) -> dict[str, str]:
    return published(production).graded_for([shot.id for shot in production.shots])


def record_published(instance: dg.DagsterInstance, production: ResolvedProduction) -> None:
    """Record the synthetic versions in ``instance`` as Dagster would after rendering and grading."""
    versions = published(production)
    for asset, table in (("shot_renders", versions.render), ("graded_shots", versions.graded)):
        for shot_id, version in table.items():
            event = dg.AssetMaterialization(
                dg.AssetKey([production.slug, asset]), partition=shot_id, tags={"dagster/data_version": version}
            )
            instance.report_runless_asset_event(event)


def graded_frame(production: ResolvedProduction, shot_id: str, number: int) -> Path:
    """A published graded frame of a synthetic shot."""
    return production.layout.graded_dir(shot_id, published(production).graded[shot_id]) / frame_name(number)


def fake_graded_shots(production: ResolvedProduction) -> None:
    layout = production.layout
    versions = published(production)
    for shot_number, shot in enumerate(production.shots):
        folder = layout.graded_dir(shot.id, versions.graded[shot.id])
        folder.mkdir(parents=True, exist_ok=True)
        for number in range(1, shot.frame_count + 1):
            Image.fromarray(synthetic_frame(shot_number, number)).save(folder / frame_name(number))
        Image.fromarray(synthetic_frame(shot_number, 1)).save(layout.thumbnail(shot.id, versions.graded[shot.id]))
        render_version = versions.render[shot.id]
        seconds = {str(n): 0.5 + 0.1 * n + shot_number for n in range(1, shot.frame_count + 1)}
        timings = layout.render_timings(shot.id, render_version)
        timings.parent.mkdir(parents=True, exist_ok=True)
        timings.write_text(json.dumps({"shot_id": shot.id, "data_version": render_version, "frame_seconds": seconds}))


def resolved_from(folder: Path, text: str = DELIVERY_PRODUCTION) -> ResolvedProduction:
    write_production(folder, text)
    return resolve_production(load_production(folder))


@pytest.fixture
def delivery_production(tmp_path: Path) -> ResolvedProduction:
    """Three shots (3, 2 and 4 frames) graded on disk; outputs cinema (ProRes), web (H.264), snes (retro)."""
    production = resolved_from(tmp_path / "delivery")
    fake_graded_shots(production)
    return production


SCREENPLAY = """\
Title: Coffee Run

INT. OFFICE - DAY

Mike types. Jo walks in with two coffees.

MIKE
You're late again.

JO
Traffic. Same as every day this week.

INTERCOM (V.O.)
Mike, line two.

MIKE
Tell them I'm out.

EXT. MAIN STREET - NIGHT

Rain on the windows of parked cars. Jo waits at the crossing.

JO
(to herself)
Out. Of course he's out.

INT. OFFICE - NIGHT

Mike alone, the monitors the only light.

MIKE
Jo? You still here?
"""

SCRIPTED_PRODUCTION = """\
production:
  title: "Coffee Run"
  version: "0.3"
  style: {preset: cinematic}
  script: "film.fountain"
  script_coverage: true
  characters:
    - {name: Mike, model: "builtin:mannequin"}
    - {name: Jo, model: "builtin:mannequin"}
  locations:
    - {name: Office, preset: studio}
    - {name: Main Street, preset: studio}
  shots:
    - {template: close_up, scene: 1, character: Mike, duration: 40, status: approved,
       notes: "Keep the <b>steam</b> on the cups & the blinds half shut."}
    - {template: close_up, scene: 2, character: Jo, duration: 60, status: review, notes: "Rain heavier?"}
    - {template: establishing_wide, scene: 3, location: Office, duration: 30, status: final}
    - {template: insert, scene: 4, location: Office, duration: 12, notes: "The cups, cold, on the desk."}
  render_settings: {engine: cycles, samples: 1, resolution: [64, 36], frame_rate: 24}
  outputs:
    - {name: web, format: streaming_1080p, resolution: [64, 36], path: "output/web/"}
"""


def scripted_from(folder: Path, screenplay: str = SCREENPLAY, text: str = SCRIPTED_PRODUCTION) -> ResolvedProduction:
    """A production whose shots are cut from ``screenplay`` (written to ``film.fountain``) and merged with
    the shots ``text`` writes."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "film.fountain").write_text(screenplay, encoding="utf-8")
    return resolved_from(folder, text)


@pytest.fixture
def scripted_production(tmp_path: Path) -> ResolvedProduction:
    """SCRIPTED_PRODUCTION: three script scenes (dialogue, a voice-over, headings) and a fourth scene written
    by hand; shots at every review status, notes with markup; graded frames on disk for each shot."""
    production = scripted_from(tmp_path / "scripted")
    fake_graded_shots(production)
    return production


def long_screenplay(scenes: int, lines_per_scene: int) -> str:
    """A screenplay of ``scenes`` scenes in which Mike and Jo take turns for ``lines_per_scene`` lines."""
    blocks = ["Title: Long Film\n"]
    for scene in range(1, scenes + 1):
        place = "OFFICE" if scene % 2 else "MAIN STREET"
        blocks.append(f"INT. {place} - {'DAY' if scene % 3 else 'NIGHT'}\n\nScene {scene} begins.\n")
        for line in range(lines_per_scene):
            speaker = "MIKE" if line % 2 == 0 else "JO"
            blocks.append(f"{speaker}\nLine {line + 1} of scene {scene}, said plainly.\n")
    return "\n".join(blocks)


def fake_thumbnails(production: ResolvedProduction, width: int = 320, height: int = 180) -> None:
    """Only a thumbnail (``width`` px, as grading makes them) and the first graded frame for each shot: the
    least a report needs, for productions of thousands of shots."""
    versions = published(production)
    for shot_number, shot in enumerate(production.shots):
        folder = production.layout.graded_dir(shot.id, versions.graded[shot.id])
        folder.mkdir(parents=True, exist_ok=True)
        image = Image.fromarray(synthetic_frame(shot_number, 1, height, width))
        image.save(folder / frame_name(1))
        image.save(production.layout.thumbnail(shot.id, versions.graded[shot.id]))


def output_named(production: ResolvedProduction, name: str):  # type: ignore[no-untyped-def]
    return next(output for output in production.outputs if output.name == name)
