"""Model files checked without Blender: real files exported by bpy pass, damaged ones are named."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from production_assets.validation.model_files import model_file_problem

EXPORT_MODELS = r"""
import sys
import bpy

folder = sys.argv[-1]
bpy.ops.wm.read_factory_settings(use_empty=True)
bpy.ops.mesh.primitive_cube_add()
bpy.ops.wm.save_as_mainfile(filepath=f"{folder}/plain.blend", compress=False)
bpy.ops.wm.save_as_mainfile(filepath=f"{folder}/packed.blend", compress=True)
bpy.ops.export_scene.gltf(filepath=f"{folder}/model.glb")
bpy.ops.export_scene.gltf(filepath=f"{folder}/model.gltf", export_format="GLTF_SEPARATE")
bpy.ops.export_scene.fbx(filepath=f"{folder}/model.fbx")
bpy.ops.wm.obj_export(filepath=f"{folder}/model.obj")
bpy.ops.wm.usd_export(filepath=f"{folder}/model.usda")
bpy.ops.wm.usd_export(filepath=f"{folder}/model.usdc")
bpy.ops.wm.usd_export(filepath=f"{folder}/model.usdz")
"""
EXPORTED = [
    "plain.blend",
    "packed.blend",
    "model.glb",
    "model.gltf",
    "model.fbx",
    "model.obj",
    "model.usda",
    "model.usdc",
    "model.usdz",
]


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("models")
    script = folder / "export.py"
    script.write_text(EXPORT_MODELS)
    subprocess.run([sys.executable, str(script), str(folder)], check=True, capture_output=True, timeout=180)
    return folder


def test_every_file_blender_exports_passes(models: Path) -> None:
    assert {name: model_file_problem(models / name) for name in EXPORTED} == dict.fromkeys(EXPORTED)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("plain.blend", "is a truncated .blend file (its closing ENDB block is missing)"),
        ("packed.blend", "is a truncated compressed .blend (its seek table at the end is missing)"),
        ("model.glb", "is truncated or padded: its header says"),
        ("model.fbx", "is a truncated or damaged FBX file"),
        ("model.usdc", "is a truncated USD crate file"),
        ("model.usdz", "is not a usdz archive"),
    ],
)
def test_a_truncated_file_is_named(models: Path, tmp_path: Path, name: str, problem: str) -> None:
    data = (models / name).read_bytes()
    damaged = tmp_path / name
    damaged.write_bytes(data[: len(data) // 2])
    assert (model_file_problem(damaged) or "").startswith(problem)


@pytest.mark.parametrize("extension", [".blend", ".glb", ".gltf", ".fbx", ".obj", ".usd", ".usdc", ".usdz"])
def test_random_bytes_are_not_a_model(tmp_path: Path, extension: str) -> None:
    noise = tmp_path / f"noise{extension}"
    noise.write_bytes(bytes((index * 131 + 7) % 256 for index in range(4096)))
    assert model_file_problem(noise)


def test_a_gltf_whose_buffer_is_missing_is_named(models: Path, tmp_path: Path) -> None:
    (tmp_path / "model.gltf").write_bytes((models / "model.gltf").read_bytes())
    assert model_file_problem(tmp_path / "model.gltf") == "references 'model.bin', which does not exist"


def test_text_formats_need_their_content(tmp_path: Path) -> None:
    (tmp_path / "empty.obj").write_text("# only a comment\no Cube\n")
    (tmp_path / "ascii.fbx").write_text("; FBX 7.4.0 project file\nFBXHeaderExtension:  {\n}\n")
    (tmp_path / "blank.blend").write_bytes(b"")
    assert model_file_problem(tmp_path / "empty.obj") == "has no vertex (no 'v x y z' line)"
    assert model_file_problem(tmp_path / "ascii.fbx") is None
    assert model_file_problem(tmp_path / "blank.blend") == "is empty"
