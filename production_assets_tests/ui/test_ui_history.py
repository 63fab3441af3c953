"""The terminal and the web UI share one Dagster instance: each sees the other's runs."""

from __future__ import annotations

import json

import pytest

from production_assets_tests.ui.conftest import UiSession
from production_assets_tests.ui.dagster_ui import launch_job, materializations, metadata, runs, wait_for_run

pytestmark = pytest.mark.ui

SHOTS = ("s001_wide_hero", "s001_close_up_hero")


def shot_states(session: UiSession, production: str) -> dict[str, str]:
    status = session.cli("status", str(session.production(production)), "--json")
    assert status.returncode == 0, status.stderr
    return {shot["shot_id"]: shot["status"] for shot in json.loads(status.stdout)["shots"]}


def test_production_run_in_a_terminal_appears_in_the_ui_runs(ui_session: UiSession) -> None:
    result = ui_session.cli("run", str(ui_session.production("film_history")), "--json")

    assert result.returncode == 0, result.stderr
    run_ids = json.loads(result.stdout)["run_ids"]
    assert run_ids
    listed = {run["runId"]: run for run in runs(ui_session.server)}
    assert set(run_ids) <= set(listed), "runs of `production run` missing from the UI's runs list"
    assert {listed[run_id]["status"] for run_id in run_ids} == {"SUCCESS"}
    assert {listed[run_id]["jobName"] for run_id in run_ids} >= {"film_history_prepare", "film_history_deliver"}
    assert shot_states(ui_session, "film_history") == dict.fromkeys(SHOTS, "up_to_date")


def test_production_status_reflects_a_run_launched_from_the_ui(ui_session: UiSession) -> None:
    assert shot_states(ui_session, "film_status") == dict.fromkeys(SHOTS, "missing")

    run_id = launch_job(ui_session.server, "film_status_shots", partition=SHOTS[0])

    assert wait_for_run(ui_session.server, run_id, timeout=240) == "SUCCESS"
    rendered = [e for e in materializations(ui_session.server, "film_status", "shot_renders") if e["runId"] == run_id]
    assert [(e["partition"], metadata(e)["frames_rendered"]) for e in rendered] == [(SHOTS[0], 2)], rendered
    assert shot_states(ui_session, "film_status") == {SHOTS[0]: "up_to_date", SHOTS[1]: "missing"}
