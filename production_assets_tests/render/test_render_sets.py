"""Sets from the library rendered for real: places named without a preset look different; prepared sets match.

Frames are rendered by a small bpy script in a subprocess: the shot builder,
then the time of day (:func:`apply_conditions`, idempotent, so this holds
whether or not the shot builder already applied it).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image
from render_jobs import WORKER_TIMEOUT_S, make_job, worker_env

from production_assets.loading.presets import load_presets
from production_assets.model.render_job import RenderJob
from production_assets.render.prepare_contract import location_prepare_job
from production_assets.sets import location_set

RESOLUTION = (160, 90)
RENDER_SCRIPT = """
import json, sys
import bpy
from production_assets.model.render_job import RenderJob
from production_assets.render.shot import build_shot
from production_assets.render.time_of_day import apply_conditions

for item in json.loads(sys.argv[1]):
    job = RenderJob.model_validate_json(open(item["job"]).read())
    scene = build_shot(job, item.get("location_blend"))
    apply_conditions(scene, job)
    scene.render.filepath = item["png"]
    bpy.ops.render.render(write_still=True)
"""


def set_job(folder: Path, name: str, **changes: object) -> RenderJob:
    """A 160x90, 8-sample (denoised) job framing the whole set of location ``name`` (matched by name, no preset)."""
    chosen = location_set(name, load_presets().locations)
    job = make_job(folder, "establishing_wide", characters=0, resolution=RESOLUTION, samples=8)
    return job.model_copy(update={"location_name": name, "location": chosen.preset, **changes})


def render_frames(folder: Path, jobs: list[RenderJob], location_blend: str | None = None) -> list[np.ndarray]:
    """Render each job's first frame in one bpy process; the frames as float RGB arrays."""
    items = []
    for index, job in enumerate(jobs):
        path = folder / f"job_{index}.json"
        path.write_text(job.model_dump_json(), encoding="utf-8")
        items.append({"job": str(path), "png": str(folder / f"frame_{index}.png"), "location_blend": location_blend})
    subprocess.run(
        [sys.executable, "-c", RENDER_SCRIPT, json.dumps(items)],
        check=True, capture_output=True, env=worker_env(), timeout=WORKER_TIMEOUT_S * 2,
    )  # fmt: skip
    frames = []
    for item in items:
        with Image.open(item["png"]) as image:
            frames.append(np.asarray(image.convert("RGB"), dtype=np.float64))
    return frames


def test_places_without_a_preset_render_as_different_sets(tmp_path: Path) -> None:
    names = ["Office", "Main Street", "Kitchen"]
    jobs = [set_job(tmp_path / name, name) for name in names]
    reseeded = jobs[0].model_copy(update={"seed": 1})

    office, street, kitchen, office_again = render_frames(tmp_path, [*jobs, reseeded])

    noise = np.abs(office - office_again).mean()
    differences = [np.abs(a - b).mean() for a, b in ((office, street), (office, kitchen), (street, kitchen))]
    assert [job.location.description.split(" ")[0] for job in jobs] == ["office", "street", "kitchen"]
    assert all(difference > max(12.0, 4 * noise) for difference in differences), (noise, differences)


def test_a_prepared_set_renders_like_one_built_in_the_shot(tmp_path: Path) -> None:
    job = set_job(tmp_path / "built", "Office", time_of_day="night")
    blend = tmp_path / "build" / "locations" / "Office.blend"
    prepare = location_prepare_job("Office", job.location, blend, "v1")
    (tmp_path / "prepare.json").write_text(prepare.model_dump_json(), encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "production_assets.render.prepare", "--job", str(tmp_path / "prepare.json")],
        check=True, capture_output=True, env=worker_env(), timeout=WORKER_TIMEOUT_S,
    )  # fmt: skip
    day = job.model_copy(update={"time_of_day": "day"})

    (built,) = render_frames(tmp_path, [job])
    appended_night, appended_day = render_frames(tmp_path / "build", [job, day], location_blend=str(blend))

    assert np.abs(built - appended_night).mean() < 1.0
    assert np.abs(appended_day - appended_night).mean() > 10.0
