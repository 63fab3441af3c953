"""Fixtures of the web-UI tests: one `production ui` for the session, a headless Chromium.

The server serves several tiny productions (one per concern, so tests do not
see each other's runs) from a temporary folder, with a temporary DAGSTER_HOME
and a 5 s sensor interval. Browser tests skip only when Chromium is absent
(`scripts/install_test_deps.sh` installs it).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from production_assets_tests.conftest import TINY_PRODUCTION, write_production
from production_assets_tests.ui.dagster_ui import UiServer, alive

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps calling home, which floods a closed network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
PRODUCTIONS = ("film_browser", "film_history", "film_status", "film_sensor", "film_partitions", "film_graph")
# A location whose HDRI is missing: a warning with file:line:col and a fix, so the checks have something to show.
BROWSER_PRODUCTION = TINY_PRODUCTION.replace(
    "{name: Stage, preset: studio}", '{name: Stage, preset: studio, hdri: "sunset_sky"}'
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "ui: end-to-end tests of `production ui` with real processes and a real browser")


@dataclass
class UiSession:
    server: UiServer
    root: Path
    dagster_home: Path

    def production(self, name: str) -> Path:
        return self.root / name

    def cli(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """`production ...` in a terminal of its own, on the UI's instance."""
        env = {**os.environ, "DAGSTER_HOME": str(self.dagster_home)}
        return subprocess.run(
            [sys.executable, "-m", "production_assets", *args], env=env, capture_output=True, text=True, timeout=timeout
        )


@pytest.fixture(scope="session")
def ui_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UiSession]:
    root = tmp_path_factory.mktemp("ui_productions")
    for name in PRODUCTIONS:
        write_production(root / name, BROWSER_PRODUCTION if name == "film_browser" else TINY_PRODUCTION)
    home = tmp_path_factory.mktemp("ui_dagster_home")
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    server = UiServer.start([root / name for name in PRODUCTIONS], home, root / "production_ui.log")
    yield UiSession(server, root, home)
    tree = server.tree()
    status = server.stop(signal.SIGINT)
    assert status == 0, server.log_tail()
    assert not alive(tree), f"processes left after Ctrl-C: {sorted(alive(tree))}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser_context() -> Iterator[Any]:
    """A fresh-profile headless Chromium (Debian's, not a Playwright download)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent; run scripts/install_test_deps.sh to install Chromium")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1400, "height": 900},
        )
        # The community newsletter pop-up would cover the page on first visit.
        context.add_init_script("window.localStorage.setItem('communityNux', '\"1\"')")
        context.set_default_timeout(30_000)
        yield context
        context.close()


@pytest.fixture
def page(browser_context: Any) -> Iterator[Any]:
    page = browser_context.new_page()
    yield page
    page.close()
