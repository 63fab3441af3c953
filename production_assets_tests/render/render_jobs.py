"""Render test helpers: tiny render jobs from the shipped presets, and the worker as a subprocess.

Imported by the test modules beside it (pytest puts this folder on ``sys.path``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from production_assets.model.presets import LocationPreset, ShotTemplate, StylePreset, WardrobeLook
from production_assets.model.render_job import CharacterPlacement, RenderJob

REPO_ROOT = Path(__file__).resolve().parents[2]
PRESETS_DIR = REPO_ROOT / "configs" / "presets"
WORKER_TIMEOUT_S = 120


def load_presets(kind: str) -> dict[str, Any]:
    with open(PRESETS_DIR / f"{kind}.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def make_job(
    folder: Path,
    template: str = "medium",
    *,
    location: str = "industrial",
    style: str = "cinematic",
    look: WardrobeLook | None = None,
    characters: int = 1,
    frame_count: int = 1,
    resolution: tuple[int, int] = (64, 36),
    samples: int = 1,
) -> RenderJob:
    """A tiny render job for one shot, frames under ``folder``."""
    look = look or WardrobeLook.model_validate(load_presets("wardrobes")["hero_casual"])
    return RenderJob(
        shot_id=f"{folder.name}_{template}",
        data_version="test-v1",
        frames_dir=str(folder / "frames"),
        staging_dir=str(folder / "staging"),
        frame_count=frame_count,
        resolution=resolution,
        samples=samples,
        threads=2,
        location_name=location,
        location=LocationPreset.model_validate(load_presets("locations")[location]),
        camera=ShotTemplate.model_validate(load_presets("shot_templates")[template]),
        style=StylePreset.model_validate(load_presets("styles")[style]),
        characters=[
            CharacterPlacement(
                name=f"Actor{index}", model="builtin:mannequin", look=look, position=(index * 0.9, 0.0, 0.0)
            )
            for index in range(characters)
        ],
    )


def write_job(job: RenderJob) -> Path:
    path = Path(job.frames_dir).parent / "job.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(job.model_dump_json(indent=2), encoding="utf-8")
    return path


def worker_command(*job_paths: Path | str) -> list[str]:
    """The standalone worker on job files; plain strings are passed through as options."""
    command = [sys.executable, "-m", "production_assets.render.worker"]
    for path in job_paths:
        command += ["--job", str(path)] if isinstance(path, Path) else [path]
    return command


def worker_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def run_worker(
    cwd: Path, *job_paths: Path | str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the worker standalone on job files (and options); stdout/stderr captured as text."""
    return subprocess.run(
        worker_command(*job_paths),
        cwd=cwd,
        env={**worker_env(), **(env or {})},
        capture_output=True,
        text=True,
        timeout=WORKER_TIMEOUT_S,
    )
