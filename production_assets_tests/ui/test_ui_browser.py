"""The Dagster UI in a real Chromium: the graph, the shot partitions, one shot materialized by clicking."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from production_assets_tests.ui.conftest import UiSession
from production_assets_tests.ui.dagster_ui import (
    LOCATION,
    materializations,
    metadata,
    partition_keys,
    runs,
    tags,
    wait_for,
    wait_for_run,
)

pytestmark = pytest.mark.ui

SLUG = "film_browser"
SHOT = "s001_close_up_hero"
OTHER_SHOT = "s001_wide_hero"
GRAPH_ASSETS = ("production_config", "shot_renders", "graded_shots", "web", "manifest")
CHECKS_QUERY = """query($key: AssetKeyInput!) { assetNodeOrError(assetKey: $key) { ... on AssetNode {
  assetChecksOrError { ... on AssetChecks { checks { name description
    executionForLatestMaterialization { status evaluation { severity
      metadataEntries { label ... on MarkdownMetadataEntry { mdStr } ... on IntMetadataEntry { intValue } }
    } } } } } } } }"""


def group_url(session: UiSession) -> str:
    return f"{session.server.url}/locations/{LOCATION}/asset-groups/{SLUG}"


def button(page: Any, text: str) -> Any:
    """A button by its exact text (its accessible name also holds its icon's label)."""
    return page.get_by_role("button").filter(has_text=re.compile(f"^{re.escape(text)}$"))


def open_group_graph(page: Any, session: UiSession) -> None:
    page.goto(group_url(session), wait_until="networkidle")
    for name in GRAPH_ASSETS:
        page.get_by_text(name, exact=True).first.wait_for(state="visible")


def screenshot_graph(page: Any, session: UiSession, path: Path, showing: str = "Latest event") -> None:
    """The graph zoomed in until every node shows its latest event, checks and partitions (and `showing`:
    the nodes fill in their parts one query at a time)."""
    page.set_viewport_size({"width": 1700, "height": 640})
    open_group_graph(page, session)
    button(page, "Hide navigation").click()
    centre = page.get_by_text("shot_renders", exact=True).first.bounding_box()
    page.mouse.move(850, centre["y"] + centre["height"] / 2)
    for _ in range(8):
        if page.get_by_text("Latest event").count():
            break
        page.mouse.wheel(0, -60)
        page.wait_for_timeout(300)
    page.get_by_text(showing).first.wait_for(state="visible")
    page.wait_for_timeout(500)
    page.screenshot(path=str(path))


def launch_dialog_run(page: Any, partition: str | None) -> None:
    """Finish the "Materialize" dialog: accept the upstream warning, pick the partition, launch."""
    dialog = page.get_by_role("dialog").first
    dialog.wait_for(state="visible")
    if button(page, "Confirm").is_visible():
        button(page, "Confirm").click()
    if partition is not None:
        page.get_by_role("dialog").get_by_text("Select a partition or create one").click()
        page.get_by_role("menuitem", name=partition).click()
        page.keyboard.press("Escape")
    button(page, "Launch 1 run").click()


def new_run(session: UiSession, before: set[str], **wanted_tags: str) -> dict[str, Any]:
    def probe() -> dict[str, Any] | None:
        # The production sensor may launch runs of its own meanwhile; the UI's carry no sensor tag.
        fresh = [r for r in runs(session.server) if r["runId"] not in before and "dagster/sensor_name" not in tags(r)]
        return next((r for r in fresh if all(tags(r).get(k) == v for k, v in wanted_tags.items())), None)

    return wait_for(f"a run tagged {wanted_tags} launched from the UI", probe, timeout=60)


def test_asset_graph_shows_the_production(ui_session: UiSession, page: Any, artifacts: Path) -> None:
    open_group_graph(page, ui_session)

    for name in GRAPH_ASSETS:
        assert page.get_by_text(name, exact=True).first.is_visible(), name
    page.screenshot(path=str(artifacts / "asset_graph_fresh.png"))


def test_partitions_view_lists_the_shots(ui_session: UiSession, page: Any) -> None:
    page.goto(f"{ui_session.server.url}/assets/{SLUG}/shot_renders?view=partitions", wait_until="networkidle")

    for shot_id in (OTHER_SHOT, SHOT):
        page.get_by_text(shot_id, exact=True).first.wait_for(state="visible")
    assert page.get_by_text(re.compile(r"Missing \(2\)")).first.is_visible()


def test_production_config_checks_show_issues_with_location_and_fix(ui_session: UiSession, page: Any) -> None:
    server = ui_session.server
    before = {r["runId"] for r in runs(server)}
    page.goto(f"{server.url}/assets/{SLUG}/production_config", wait_until="networkidle")
    button(page, "Materialize").click()
    run = new_run(ui_session, before)
    assert wait_for_run(server, run["runId"]) == "SUCCESS"

    node = server.graphql(CHECKS_QUERY, {"key": {"path": [SLUG, "production_config"]}})["assetNodeOrError"]
    checks = {c["name"]: c for c in node["assetChecksOrError"]["checks"]}
    assert checks and all(c["description"] for c in checks.values())
    evaluations = {name: c["executionForLatestMaterialization"] for name, c in checks.items()}
    statuses = {name: (e["status"], e["evaluation"]["severity"]) for name, e in evaluations.items()}
    assert statuses.pop("check_locations") == ("FAILED", "WARN"), "a warning shows yellow and blocks nothing"
    assert all(status == "SUCCEEDED" for status, _ in statuses.values()), statuses
    issues = "\n".join(
        entry["mdStr"] for e in evaluations.values() for entry in e["evaluation"]["metadataEntries"] if "mdStr" in entry
    )
    assert re.search(r"production\.yaml:8:\d+ \| warning \| HDRI 'sunset_sky' was not found", issues), issues
    assert "put sunset_sky.hdr or .exr in" in issues

    page.get_by_role("tab", name="Checks").click()
    for name in checks:
        page.get_by_text(name, exact=True).first.wait_for(state="visible")
    page.get_by_text("check_locations", exact=True).first.click()
    page.get_by_text("[Show Markdown]").first.click()
    issue_table = page.get_by_role("dialog").first
    issue_table.get_by_text(re.compile(r"production\.yaml:8:\d+")).first.wait_for(state="visible")
    assert "put sunset_sky.hdr or .exr in" in issue_table.inner_text()


def test_materialize_one_shot_from_the_ui(ui_session: UiSession, page: Any, artifacts: Path) -> None:
    server = ui_session.server
    assert set(partition_keys(server, SLUG, "shot_renders")) == {OTHER_SHOT, SHOT}
    before = {r["runId"] for r in runs(server)}

    open_group_graph(page, ui_session)
    page.get_by_text("graded_shots", exact=True).first.click()
    page.get_by_text("shot_renders", exact=True).first.click(modifiers=["Shift"])
    page.get_by_role("button", name="Materialize selected (2)…").click()
    launch_dialog_run(page, SHOT)
    run = new_run(ui_session, before, **{"dagster/partition": SHOT})
    assert wait_for_run(server, run["runId"], timeout=240) == "SUCCESS"

    production = ui_session.production(SLUG)
    assert len(list((production / "build" / "shots" / SHOT / "renders").glob("*/frames/frame_*.png"))) == 2
    assert not (production / "build" / "shots" / OTHER_SHOT).exists()
    rendered = [e for e in materializations(server, SLUG, "shot_renders") if e["runId"] == run["runId"]]
    assert [e["partition"] for e in rendered] == [SHOT]
    assert metadata(rendered[0])["frames"] == 2
    graded = [e for e in materializations(server, SLUG, "graded_shots") if e["runId"] == run["runId"]]
    assert metadata(graded[0])["thumbnail"].startswith(f"![{SHOT}](data:image/png;base64,")
    assert (metadata(rendered[0])["frames_rendered"], metadata(rendered[0])["frames_skipped"]) == (2, 0)

    status = ui_session.cli("status", str(production), "--json")
    assert status.returncode == 0, status.stderr
    by_shot = {shot["shot_id"]: shot["status"] for shot in json.loads(status.stdout)["shots"]}
    assert by_shot == {OTHER_SHOT: "missing", SHOT: "up_to_date"}

    page.goto(f"{server.url}/assets/{SLUG}/graded_shots?view=partitions", wait_until="networkidle")
    page.get_by_text(SHOT, exact=True).first.click()
    page.get_by_text("[Show Markdown]").first.click()
    thumbnail = page.get_by_role("dialog").locator(f"img[alt='{SHOT}']").first
    thumbnail.wait_for(state="visible")
    assert thumbnail.evaluate("img => img.naturalWidth") > 0
    page.screenshot(path=str(artifacts / "materialized_shot.png"))

    screenshot_graph(page, ui_session, artifacts / "asset_graph.png", showing="50% filled")
    assert page.get_by_text("50% filled").first.is_visible()
