"""Prepared characters: the model and every wardrobe look it needs, in one .blend.

Layout of a prepared character file (written by :mod:`.prepare`):

- every object of the model, as loaded from its file or built (a built-in
  body: its armature, with the body and face parts hung on its bones);
- for a built-in body, one material set per look, ``wardrobe.<look>.<role>``;
- for a model file, every material, collection and action of the file, so a
  look's ``material`` or ``collection``, and an action named like a clip, are
  found by name exactly as in the source.

A shot appends the objects (or the look's collection) and dresses them; the
file is never opened as the main file, and its scripts never run.
"""

from __future__ import annotations

import os
import sys

import bpy

from production_assets.acting.bodies import BUILTIN_MODELS
from production_assets.model.presets import WardrobeLook
from production_assets.model.render_job import CharacterPlacement
from production_assets.render.mannequin import ROLES, build_body, dress, look_materials, look_prefix
from production_assets.render.model_files import CharacterLoadError, import_model, load_model_file


def build_character_for_prepare(
    name: str, model: str, looks: dict[str, WardrobeLook], collection: bpy.types.Collection
) -> list[bpy.types.Object]:
    """Build or load the model into ``collection`` with every look's materials; return its objects."""
    if model in BUILTIN_MODELS:
        sets = {look_name: look_materials(look_prefix(look_name), look) for look_name, look in looks.items()}
        return build_body(name, model, next(iter(sets.values())), collection)
    objects = _load_whole_model(model, collection)
    for look_name, look in looks.items():
        if look.material and look.material not in bpy.data.materials:
            raise CharacterLoadError(
                f"character model {model!r} has no material {look.material!r} (look {look_name!r})"
            )
        if look.collection and look.collection not in bpy.data.collections:
            raise CharacterLoadError(
                f"character model {model!r} has no collection {look.collection!r} (look {look_name!r})"
            )
    return objects


def _load_whole_model(path: str, collection: bpy.types.Collection) -> list[bpy.types.Object]:
    """Every object, collection, material and action of a model file (scripts disabled)."""
    return import_model(path, collection, _append_whole_blend)


def _append_whole_blend(path: str, collection: bpy.types.Collection) -> list[bpy.types.Object]:
    bpy.context.preferences.filepaths.use_scripts_auto_execute = False
    with bpy.data.libraries.load(path, link=False) as (source, target):
        target.objects = list(source.objects)
        target.collections = list(source.collections)
        target.materials = list(source.materials)
        target.actions = list(source.actions)
    objects = [obj for obj in target.objects if obj is not None]
    for obj in objects:
        if obj.name not in collection.objects:
            collection.objects.link(obj)
    return objects


def load_prepared_character(
    path: str, placement: CharacterPlacement, collection: bpy.types.Collection
) -> list[bpy.types.Object]:
    """Append a prepared character into ``collection``, dressed in the placement's look."""
    if not os.path.isfile(path):
        raise CharacterLoadError(f"prepared character {path!r} does not exist")
    if placement.model not in BUILTIN_MODELS:
        return load_model_file(path, placement.look, collection)
    bpy.context.preferences.filepaths.use_scripts_auto_execute = False
    wanted = [f"{look_prefix(placement.look_name)}.{role}" for role in ROLES]
    with bpy.data.libraries.load(path, link=False) as (source, target):
        target.objects = list(source.objects)
        prepared_look = all(name in source.materials for name in wanted)
        if prepared_look:
            target.materials = wanted
    objects = [obj for obj in target.objects if obj is not None]
    if not objects:
        raise CharacterLoadError(f"prepared character {path!r} holds no objects")
    for obj in objects:
        collection.objects.link(obj)
    if prepared_look:
        materials = dict(zip(ROLES, target.materials, strict=True))
    else:
        print(f"warning: look {placement.look_name!r} is not in {path}, dressing it from the job", file=sys.stderr)
        materials = look_materials(placement.name, placement.look)
    dress(objects, materials)
    return objects
