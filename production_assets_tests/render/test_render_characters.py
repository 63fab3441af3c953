"""Characters from model files: OBJ import and .blend append, scaled to height, look material applied; prepared."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image
from render_jobs import make_job, run_worker, worker_env, write_job

from production_assets.model.presets import WardrobeLook
from production_assets.model.render_job import CharacterPlacement
from production_assets.render.prepare_contract import character_prepare_job

BOX_OBJ = """o Pillar
v -0.25 -0.25 0.0
v 0.25 -0.25 0.0
v 0.25 0.25 0.0
v -0.25 0.25 0.0
v -0.25 -0.25 3.0
v 0.25 -0.25 3.0
v 0.25 0.25 3.0
v -0.25 0.25 3.0
f 1 4 3 2
f 5 6 7 8
f 1 2 6 5
f 2 3 7 6
f 3 4 8 7
f 4 1 5 8
"""

MAKE_BLEND = """
import sys, bpy
bpy.ops.wm.read_factory_settings(use_empty=True)
mesh = bpy.data.meshes.new("Body")
mesh.from_pydata([(-.3,-.3,0),(.3,-.3,0),(.3,.3,0),(-.3,.3,0),(-.3,-.3,2),(.3,-.3,2),(.3,.3,2),(-.3,.3,2)], [],
                 [(0,3,2,1),(4,5,6,7),(0,1,5,4),(1,2,6,5),(2,3,7,6),(3,0,4,7)])
body = bpy.data.objects.new("Body", mesh)
bpy.context.scene.collection.objects.link(body)
gold = bpy.data.materials.new("Gold")
gold.use_fake_user = True
gold.node_tree.nodes["Principled BSDF"].inputs["Base Color"].default_value = (1.0, 0.0, 1.0, 1.0)
bpy.ops.wm.save_as_mainfile(filepath=sys.argv[1])
"""


def magenta_fraction(path: Path) -> float:
    with Image.open(path) as image:
        pixels = np.asarray(image.convert("RGB"), dtype=np.float64)
    red, green, blue = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    return float(np.mean((red > green + 40) & (blue > green + 40)))


def test_model_files_are_loaded_scaled_and_dressed(tmp_path: Path) -> None:
    obj_path = tmp_path / "pillar.obj"
    obj_path.write_text(BOX_OBJ, encoding="utf-8")
    blend_path = tmp_path / "body.blend"
    subprocess.run(
        [sys.executable, "-c", MAKE_BLEND, str(blend_path)],
        check=True,
        env=worker_env(),
        capture_output=True,
        timeout=60,
    )
    obj_job = make_job(tmp_path / "obj", "wide")
    pillar = CharacterPlacement(name="Pillar", model=str(obj_path), look=obj_job.characters[0].look, height=1.8)
    obj_job.characters = [pillar]
    blend_job = make_job(tmp_path / "blend", "wide")
    gold_look = WardrobeLook(material="Gold")
    blend_job.characters = [CharacterPlacement(name="Body", model=str(blend_path), look=gold_look)]
    plain_job = make_job(tmp_path / "plain", "wide")
    plain_job.characters = [CharacterPlacement(name="Body", model=str(blend_path), look=WardrobeLook())]

    result = run_worker(tmp_path, write_job(obj_job), write_job(blend_job), write_job(plain_job))

    assert result.returncode == 0, result.stderr
    for job in (obj_job, blend_job, plain_job):
        assert (Path(job.frames_dir) / "frame_0001.png").is_file()
    assert magenta_fraction(Path(blend_job.frames_dir) / "frame_0001.png") > 0.02
    assert magenta_fraction(Path(plain_job.frames_dir) / "frame_0001.png") == 0.0


MAKE_BOOBYTRAPPED_BLEND = """
import sys, bpy
bpy.ops.wm.read_factory_settings(use_empty=True)
bpy.ops.mesh.primitive_cube_add(location=(0, 0, 1))
cube = bpy.context.active_object
marker = sys.argv[2]
driver = cube.driver_add("location", 0).driver
driver.type = "SCRIPTED"
driver.expression = f"__import__('pathlib').Path({marker!r}).touch() or 0.0"
text = bpy.data.texts.new("autorun.py")
text.write(f"import pathlib; pathlib.Path({marker!r}).touch()")
text.use_module = True
bpy.ops.wm.save_as_mainfile(filepath=sys.argv[1])
"""


def test_scripts_embedded_in_a_blend_never_run(tmp_path: Path) -> None:
    blend_path, marker = tmp_path / "trap.blend", tmp_path / "script_ran"
    subprocess.run(
        [sys.executable, "-c", MAKE_BOOBYTRAPPED_BLEND, str(blend_path), str(marker)],
        check=True,
        env=worker_env(),
        capture_output=True,
        timeout=60,
    )
    job = make_job(tmp_path / "trap", "wide")
    job.characters = [CharacterPlacement(name="Trap", model=str(blend_path), look=WardrobeLook())]

    result = run_worker(tmp_path, write_job(job))

    assert result.returncode == 0, result.stderr
    assert not marker.exists()


def test_a_prepared_model_file_keeps_every_look_and_never_runs_scripts(tmp_path: Path) -> None:
    body_path, trap_path, marker = tmp_path / "body.blend", tmp_path / "trap.blend", tmp_path / "script_ran"
    for script, arguments in ((MAKE_BLEND, [body_path]), (MAKE_BOOBYTRAPPED_BLEND, [trap_path, marker])):
        subprocess.run(
            [sys.executable, "-c", script, *map(str, arguments)],
            check=True,
            env=worker_env(),
            capture_output=True,
            timeout=60,
        )
    gold_look, plain_look = WardrobeLook(material="Gold"), WardrobeLook()
    body_blend, trap_blend = tmp_path / "build" / "Body.blend", tmp_path / "build" / "Trap.blend"
    prepare_jobs = [
        character_prepare_job("Body", str(body_path), {"gold": gold_look, "plain": plain_look}, body_blend, "v1"),
        character_prepare_job("Trap", str(trap_path), {"plain": plain_look}, trap_blend, "v1"),
    ]
    command = [sys.executable, "-m", "production_assets.render.prepare"]
    for index, prepare_job in enumerate(prepare_jobs):
        (tmp_path / f"prepare{index}.json").write_text(prepare_job.model_dump_json(), encoding="utf-8")
        command += ["--job", str(tmp_path / f"prepare{index}.json")]
    prepared = subprocess.run(command, env=worker_env(), capture_output=True, text=True, timeout=120)
    assert prepared.returncode == 0, prepared.stderr
    jobs = {}
    for name, model, blend, look_name, look in (
        ("gold", body_path, body_blend, "gold", gold_look),
        ("plain", body_path, body_blend, "plain", plain_look),
        ("trap", trap_path, trap_blend, "plain", plain_look),
    ):
        job = make_job(tmp_path / name, "wide")
        job.characters = [
            CharacterPlacement(name=name, model=str(model), look=look, look_name=look_name, prepared_blend=str(blend))
        ]
        jobs[name] = job

    result = run_worker(tmp_path, *(write_job(job) for job in jobs.values()))

    assert result.returncode == 0, result.stderr
    assert magenta_fraction(Path(jobs["gold"].frames_dir) / "frame_0001.png") > 0.02
    assert magenta_fraction(Path(jobs["plain"].frames_dir) / "frame_0001.png") == 0.0
    assert (Path(jobs["trap"].frames_dir) / "frame_0001.png").is_file()
    assert not marker.exists()
