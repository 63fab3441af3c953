"""Farm fixtures: real PostgreSQL, Redis, Dagster daemon and Celery workers on 127.0.0.1 (scripts/farm/farmctl.py).

Tests that need them are marked ``farm`` (``pytest -m farm``) and are skipped,
with the reason, when the servers or the farm's Python packages are missing.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import dagster as dg
import pytest

from production_assets_tests.conftest import write_production

REPO = Path(__file__).resolve().parents[2]
FARM_PACKAGES = ("dagster_celery", "dagster_postgres", "redis", "psycopg2")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "farm: needs PostgreSQL, Redis and Celery workers on 127.0.0.1 (scripts/farm/farmctl.py)"
    )


def load_farmctl() -> ModuleType:
    spec = importlib.util.spec_from_file_location("farmctl", REPO / "scripts" / "farm" / "farmctl.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["farmctl"] = module
    spec.loader.exec_module(module)
    return module


def shots_production(title: str, frames: int, samples: int = 1, priority: int = 0) -> str:
    """Six shots of the tiny production (64x36), ``frames`` frames each."""
    shots = "\n".join(
        f"    - {{template: {template}, scene: {scene}, character: Hero, duration: {frames}}}"
        for scene in (1, 2)
        for template in ("wide", "close_up", "medium")
    )
    return f"""\
production:
  title: "{title}"
  priority: {priority}
  style: {{preset: cinematic}}
  characters:
    - {{name: Hero, model: "builtin:mannequin", wardrobe: {{scenes_1_end: hero_casual}}}}
  locations:
    - {{name: Stage, preset: studio}}
  shots:
{shots}
  render_settings: {{engine: cycles, samples: {samples}, resolution: [64, 36], frame_rate: 24}}
  outputs:
    - {{name: web, format: streaming_1080p, resolution: [64, 36], path: "output/web/"}}
"""


@dataclass
class FarmUnderTest:
    farm: object  # farmctl.Farm
    farmctl: ModuleType
    instance: dg.DagsterInstance
    productions: dict[str, Path]

    def new_instance(self) -> dg.DagsterInstance:
        return dg.DagsterInstance.from_config(str(self.farm.dagster_home))  # type: ignore[attr-defined]


def farm_skip_reason(farmctl: ModuleType) -> str | None:
    missing = list(farmctl.missing_binaries())
    missing += [f"python package {name}" for name in FARM_PACKAGES if importlib.util.find_spec(name) is None]
    return "farm servers or packages missing: " + "; ".join(missing) if missing else None


@pytest.fixture(scope="module")
def farm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FarmUnderTest]:
    """Two Celery workers (w1, w2 on queue `dagster`) and four productions: `six_shots`, `kill_shots`, and
    `low_priority` and `high_priority` (one frame a shot; priority 0 and 5)."""
    farmctl = load_farmctl()
    reason = farm_skip_reason(farmctl)
    if reason:
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("farm")
    productions = {
        "six_shots": write_production(root / "six_shots", shots_production("Six", frames=2)),
        "kill_shots": write_production(root / "kill_shots", shots_production("Kill", frames=6, samples=16)),
        "low_priority": write_production(root / "low_priority", shots_production("Low", frames=1)),
        "high_priority": write_production(root / "high_priority", shots_production("High", frames=1, priority=5)),
    }
    farm = farmctl.Farm(root / "state")
    with pytest.MonkeyPatch.context() as patch:
        # Two workers share two cores: one render thread each.
        patch.setenv("PRODUCTION_RENDER_THREADS", "1")
        try:
            farm.up(2, ["dagster"], os.pathsep.join(str(p) for p in productions.values()), max_runs=8)
            for key, value in farm.environment().items():
                patch.setenv(key, value)
            instance = dg.DagsterInstance.from_config(str(farm.dagster_home))
            yield FarmUnderTest(farm, farmctl, instance, productions)
            instance.dispose()
        finally:
            farm.down()
