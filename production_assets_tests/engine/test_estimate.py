"""The estimate's seconds a frame: the median of earlier renders, read from a sample of the film's shots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from production_assets.engine import estimate
from production_assets.engine.estimate import recorded_seconds_per_frame
from production_assets.model.layout import Layout
from production_assets.planning.production_loader import load_validated


def write_film(folder: Path, shots: int) -> Path:
    folder.mkdir()
    rows = [f"    - {{id: shot{i:04d}, template: wide, scene: 1, character: Hero, duration: 1}}" for i in range(shots)]
    header = [
        "production:",
        '  title: "Timings"',
        "  characters: [{name: Hero}]",
        "  locations: [{name: Stage, preset: studio}]",
        "  render_settings: {resolution: [32, 18], frame_rate: 24}",
        "  outputs: []",
        "  shots:",
    ]
    (folder / "production.yaml").write_text("\n".join(header + rows) + "\n")
    return folder


def test_the_recorded_pace_is_the_median_of_a_sample_spread_over_the_film(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    production = load_validated(write_film(tmp_path / "film", 400)).require_resolved()
    layout = production.layout
    for index, shot in enumerate(production.shots):
        timings = layout.render_timings(shot.id, "v1")
        timings.parent.mkdir(parents=True)
        timings.write_text(json.dumps({"frame_seconds": {"1": 1.0 if index < 300 else 4.0}}))
    listed: list[str] = []
    real = Layout.render_versions
    monkeypatch.setattr(Layout, "render_versions", lambda self, shot: listed.append(shot) or real(self, shot))
    assert recorded_seconds_per_frame(production) == 1.0
    assert len(listed) == estimate.TIMING_SAMPLE_SHOTS, "a sample, not every shot"
    assert listed[0] == "shot0000" and listed[-1] == "shot0396", "spread over the whole film"
