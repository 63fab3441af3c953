"""The daemon and the production sensor under `production ui`: YAML edits become exactly the runs they need."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from production_assets_tests.ui.conftest import UiSession
from production_assets_tests.ui.dagster_ui import FINISHED, materializations, partition_keys, runs, tags, wait_for

pytestmark = pytest.mark.ui

WIDE = "s001_wide_hero"
CLOSE_UP = "s001_close_up_hero"
WIDE_LINE = "{template: wide, scene: 1, character: Hero, duration: 2}"
CLOSE_UP_LINE = "{template: close_up, scene: 1, character: Hero, duration: 2}"
SENSOR_WAIT = 180
WEB_OUTPUT_LINE = '{name: web, format: streaming_1080p, resolution: [64, 36], path: "output/web/"}'
ASSET_KEYS = "{ assetNodes { assetKey { path } } }"


def frame_times(production: Path, shot_id: str) -> dict[str, int]:
    frames = (production / "build" / "shots" / shot_id / "renders").glob("*/frames/frame_*.png")
    return {f"{frame.parent.parent.name}/{frame.name}": frame.stat().st_mtime_ns for frame in sorted(frames)}


def materialization_count(session: UiSession, slug: str, shot_id: str) -> int:
    return sum(event["partition"] == shot_id for event in materializations(session.server, slug, "shot_renders"))


def edit_production(production: Path, old: str, new: str) -> None:
    path = production / "production.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def shot_ids(session: UiSession, production: Path) -> set[str]:
    info = session.cli("info", str(production), "--json")
    assert info.returncode == 0, info.stderr
    return {shot["id"] for shot in json.loads(info.stdout)["shots"]}


def test_an_edited_shot_is_rerendered_by_the_daemon_and_the_manifest_refreshes(ui_session: UiSession) -> None:
    production = ui_session.production("film_sensor")
    first = ui_session.cli("run", str(production))
    assert first.returncode == 0, first.stderr
    manifest = production / "manifest.json"
    manifest_before = manifest.read_bytes()
    close_up_frames = frame_times(production, CLOSE_UP)
    wide_frames = frame_times(production, WIDE)
    counts = {shot: materialization_count(ui_session, "film_sensor", shot) for shot in (WIDE, CLOSE_UP)}
    before = {run["runId"] for run in runs(ui_session.server)}

    edit_production(production, WIDE_LINE, WIDE_LINE.replace("duration: 2", "duration: 3"))

    def sensor_runs_done() -> list[dict[str, object]] | None:
        listed = runs(ui_session.server)
        fresh = [r for r in listed if r["runId"] not in before and r["jobName"].startswith("film_sensor_")]
        jobs = {r["jobName"] for r in fresh}
        finished = all(r["status"] in FINISHED for r in fresh)
        return fresh if {"film_sensor_shots", "film_sensor_deliver"} <= jobs and finished else None

    fresh = wait_for("the sensor's shot run and delivery run", sensor_runs_done, timeout=SENSOR_WAIT, every=2)

    assert {r["status"] for r in fresh} == {"SUCCESS"}, fresh
    assert all("dagster/sensor_name" in tags(r) for r in fresh)
    assert [tags(r).get("dagster/partition") for r in fresh if r["jobName"] == "film_sensor_shots"] == [WIDE]
    # The edit is a new version of the wide shot: 3 new frames in one new version folder; the frames of the
    # version before stay as they were (until `production clean`), and the close-up is not rendered again.
    wide_after = frame_times(production, WIDE)
    new_frames = [name for name in wide_after if name not in wide_frames]
    assert len(new_frames) == 3 and len({name.split("/")[0] for name in new_frames}) == 1, wide_after
    assert {name: wide_after[name] for name in wide_frames} == wide_frames
    assert frame_times(production, CLOSE_UP) == close_up_frames
    assert materialization_count(ui_session, "film_sensor", WIDE) == counts[WIDE] + 1
    assert materialization_count(ui_session, "film_sensor", CLOSE_UP) == counts[CLOSE_UP]
    assert manifest.read_bytes() != manifest_before
    manifest_runs = {e["runId"] for e in materializations(ui_session.server, "film_sensor", "manifest")}
    assert manifest_runs & {r["runId"] for r in fresh if r["jobName"] == "film_sensor_deliver"}


def test_partitions_follow_added_and_removed_shots(ui_session: UiSession) -> None:
    production = ui_session.production("film_partitions")
    server = ui_session.server

    def shot_partitions() -> set[str]:
        return set(partition_keys(server, "film_partitions", "shot_renders"))

    wait_for("the initial shot partitions", lambda: shot_partitions() == {WIDE, CLOSE_UP}, timeout=60)

    edit_production(production, CLOSE_UP_LINE, CLOSE_UP_LINE.replace("close_up", "medium"))
    wanted = shot_ids(ui_session, production)
    assert WIDE in wanted and CLOSE_UP not in wanted and len(wanted) == 2

    wait_for(f"partitions {sorted(wanted)}", lambda: shot_partitions() == wanted, timeout=60)
    assert set(partition_keys(server, "film_partitions", "graded_shots")) == wanted


def test_an_edit_that_adds_an_output_reloads_the_code_location(ui_session: UiSession) -> None:
    """The graph itself changes: `production ui` reloads the code location, and the new asset appears."""
    production = ui_session.production("film_graph")
    server = ui_session.server

    def asset_keys() -> set[str]:
        return {"/".join(node["assetKey"]["path"]) for node in server.graphql(ASSET_KEYS)["assetNodes"]}

    assert "film_graph/exports/web" in asset_keys() and "film_graph/exports/preview" not in asset_keys()
    preview = WEB_OUTPUT_LINE.replace("web", "preview").replace("streaming_1080p", "streaming_720p")
    edit_production(production, WEB_OUTPUT_LINE, f"{WEB_OUTPUT_LINE}\n    - {preview}")

    def reloaded() -> bool:
        try:
            return server.location_loaded() and "film_graph/exports/preview" in asset_keys()
        except (AssertionError, OSError):  # the location is being reloaded
            return False

    wait_for("the new output's asset in the graph", reloaded, timeout=120, every=2)
    assert "film_graph: outputs +preview" in server.log_tail(400)
