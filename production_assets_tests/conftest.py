"""Shared fixtures: tiny productions written into tmp_path, an isolated DAGSTER_HOME."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

TINY_PRODUCTION = """\
production:
  title: "Tiny"
  version: "1.0"
  style: {preset: cinematic}
  characters:
    - {name: Hero, model: "builtin:mannequin", wardrobe: {scenes_1_end: hero_casual}}
  locations:
    - {name: Stage, preset: studio}
  shots:
    - {template: wide, scene: 1, character: Hero, duration: 2}
    - {template: close_up, scene: 1, character: Hero, duration: 2}
  render_settings: {engine: cycles, samples: 1, resolution: [64, 36], frame_rate: 24}
  outputs:
    - {name: web, format: streaming_1080p, resolution: [64, 36], path: "output/web/"}
"""


def write_production(folder: Path, text: str = TINY_PRODUCTION, name: str = "production.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def tiny_production(tmp_path: Path) -> Path:
    """A valid 2-shot, 2-frames-per-shot, 64x36 production folder."""
    write_production(tmp_path / "tiny")
    return tmp_path / "tiny"


@pytest.fixture
def dagster_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copyfile(REPO / "deploy" / "local" / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return home
