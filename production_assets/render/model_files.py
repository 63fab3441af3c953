"""Character model files: .blend (append), .glb/.gltf, .fbx, .obj, .usd(z) (import operators).

Scripts embedded in .blend files never run: auto-execution is switched off
before anything is loaded. A .blend brings its actions along (an armature can
play one named like a clip, :mod:`.animation`); importers bring theirs (glTF
animations, FBX takes) by themselves.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import bpy

from production_assets.model.presets import WardrobeLook
from production_assets.render.materials import assign_material


class CharacterLoadError(RuntimeError):
    """A character's model file cannot be loaded or lacks what its look asks for."""


BlendAppender = Callable[[str, bpy.types.Collection], list[bpy.types.Object]]


def import_model(path: str, collection: bpy.types.Collection, append_blend: BlendAppender) -> list[bpy.types.Object]:
    """Bring a model file's objects into ``collection``: .blend through ``append_blend``, others by importer."""
    if not os.path.isfile(path):
        raise CharacterLoadError(f"character model {path!r} does not exist")
    extension = os.path.splitext(path)[1].lower()
    if extension == ".blend":
        objects = append_blend(path, collection)
    elif extension in IMPORTERS:
        objects = import_with_operator(IMPORTERS[extension], path, collection)
    else:
        raise CharacterLoadError(f"character model {path!r}: unsupported format {extension!r}")
    if not any(obj.type == "MESH" for obj in objects):
        raise CharacterLoadError(f"character model {path!r} contains no mesh")
    return objects


def load_model_file(path: str, look: WardrobeLook, collection: bpy.types.Collection) -> list[bpy.types.Object]:
    """Import a .blend/.glb/.gltf/.fbx/.obj/.usd(z) file into ``collection``; apply the look's material."""
    objects = import_model(path, collection, lambda blend, into: _append_blend(blend, look, into))
    if look.material:
        material = bpy.data.materials.get(look.material)
        if material is None:
            raise CharacterLoadError(f"character model {path!r} has no material {look.material!r}")
        for obj in objects:
            if obj.type == "MESH":
                assign_material(obj, material)
    return objects


def _append_blend(path: str, look: WardrobeLook, collection: bpy.types.Collection) -> list[bpy.types.Object]:
    """Append the look's collection (or every object) from a .blend, scripts disabled."""
    bpy.context.preferences.filepaths.use_scripts_auto_execute = False
    with bpy.data.libraries.load(path, link=False) as (source, target):
        if look.collection:
            if look.collection not in source.collections:
                raise CharacterLoadError(f"character model {path!r} has no collection {look.collection!r}")
            target.collections = [look.collection]
        else:
            target.objects = list(source.objects)
        if look.material and look.material in source.materials:
            target.materials = [look.material]
        target.actions = list(source.actions)
    if look.collection:
        objects = list(target.collections[0].all_objects)
    else:
        objects = [obj for obj in target.objects if obj is not None]
    for obj in objects:
        if obj.name not in collection.objects:
            collection.objects.link(obj)
    return objects


def _import_gltf(path: str) -> None:
    bpy.ops.import_scene.gltf(filepath=path)


def _import_fbx(path: str) -> None:
    bpy.ops.import_scene.fbx(filepath=path)


def _import_obj(path: str) -> None:
    bpy.ops.wm.obj_import(filepath=path)


def _import_usd(path: str) -> None:
    bpy.ops.wm.usd_import(filepath=path)


IMPORTERS: dict[str, Callable[[str], None]] = {
    ".glb": _import_gltf,
    ".gltf": _import_gltf,
    ".fbx": _import_fbx,
    ".obj": _import_obj,
    ".usd": _import_usd,
    ".usda": _import_usd,
    ".usdc": _import_usd,
    ".usdz": _import_usd,
}


def import_with_operator(
    importer: Callable[[str], None], path: str, collection: bpy.types.Collection
) -> list[bpy.types.Object]:
    """Run an import operator and move whatever it created into ``collection``."""
    before = set(bpy.data.objects)
    try:
        importer(path)
    except RuntimeError as error:
        raise CharacterLoadError(f"character model {path!r} failed to import: {error}") from error
    objects = [obj for obj in bpy.data.objects if obj not in before]
    for obj in objects:
        for owner in list(obj.users_collection):
            owner.objects.unlink(obj)
        collection.objects.link(obj)
    return objects
