"""Procedural sets from :class:`LocationPreset`: floor, walls with openings, props, lights, world.

A set lives in the collection :data:`SET_COLLECTION` (lights included) and
its untinted world is :data:`WORLD_NAME`, so a prepared location .blend holds
exactly those two datablocks; the style's world tint is applied per shot by
:func:`tint_world`, on a freshly built set or on one appended from a file.

What the time of day needs travels with the objects as custom properties
(saved in the .blend, so an appended set behaves like a built one):
:data:`ROLE_KEY` on lights (sun, window, practical, fill) and on the
materials of window panes and lamp shades (window, practical), with their
planned power in :data:`BASE_KEY`.
"""

from __future__ import annotations

import os
import sys

import bpy

from production_assets.model.base import Color
from production_assets.model.presets import LightSpec, LocationPreset, PropSpec, WorldSpec
from production_assets.render.lights import add_light
from production_assets.render.materials import principled_material
from production_assets.render.primitives import add_instance
from production_assets.sets.shell import shell_lights, shell_parts

SET_COLLECTION = "Set"
WORLD_NAME = "World"
NO_TINT: Color = (1.0, 1.0, 1.0)
ROLE_KEY = "set_role"
BASE_KEY = "set_base"
FLOOR_ROUGHNESS = 0.8
MaterialKey = tuple[Color, float, float, float, str]


class LocationLoadError(RuntimeError):
    """A prepared location .blend cannot be loaded or lacks the set."""


def build_location(location: LocationPreset) -> bpy.types.Collection:
    """Build the set into its own collection and make its (untinted) world the scene's world."""
    collection = bpy.data.collections.new(SET_COLLECTION)
    bpy.context.scene.collection.children.link(collection)
    materials: dict[MaterialKey, bpy.types.Material] = {}
    _build_floor(location, collection)
    for index, part in enumerate([*shell_parts(location), *location.props]):
        name = f"Prop.{index:03d}.{part.group}" if part.group else f"Prop.{index:03d}"
        add_instance(
            name, part.shape, _material(part, materials), part.location, part.scale, part.rotation_deg, collection
        )
    for index, light in enumerate([*location.lights, *shell_lights(location)]):
        _add_set_light(f"{light.role.title()}.{index:02d}", light, collection)
    bpy.context.scene.world = build_world(location.world)
    return collection


def load_prepared_location(path: str) -> bpy.types.Collection:
    """Append the set and its world from a prepared location .blend (scripts disabled)."""
    if not os.path.isfile(path):
        raise LocationLoadError(f"prepared location {path!r} does not exist")
    bpy.context.preferences.filepaths.use_scripts_auto_execute = False
    with bpy.data.libraries.load(path, link=False) as (source, target):
        if SET_COLLECTION not in source.collections or WORLD_NAME not in source.worlds:
            raise LocationLoadError(f"{path!r} is not a prepared location (no {SET_COLLECTION!r} collection)")
        target.collections = [SET_COLLECTION]
        target.worlds = [WORLD_NAME]
    collection, world = target.collections[0], target.worlds[0]
    bpy.context.scene.collection.children.link(collection)
    bpy.context.scene.world = world
    return collection


def _material(part: PropSpec, cache: dict[MaterialKey, bpy.types.Material]) -> bpy.types.Material:
    """One material per distinct look, so hundreds of primitives compile a handful of shaders."""
    key = (tuple(part.color), part.roughness, part.metallic, part.emission, part.role)
    material = cache.get(key)  # type: ignore[arg-type]
    if material is None:
        material = principled_material(
            f"Set.{part.role}.{len(cache):03d}", part.color, part.roughness, part.emission, part.metallic
        )
        if part.role != "solid":
            material[ROLE_KEY] = part.role
            material[BASE_KEY] = part.emission
        cache[key] = material  # type: ignore[index]
    return material


def _add_set_light(name: str, spec: LightSpec, collection: bpy.types.Collection) -> bpy.types.Object:
    obj = add_light(name, spec, collection=collection)
    obj[ROLE_KEY] = spec.role
    obj[BASE_KEY] = spec.energy
    return obj


def _build_floor(location: LocationPreset, collection: bpy.types.Collection) -> None:
    half = location.floor_size / 2.0
    min_x, max_x, min_y, max_y = location.floor_bounds or (-half, half, -half, half)
    centre = ((min_x + max_x) / 2.0, (min_y + max_y) / 2.0, 0.0)
    material = principled_material("Floor", location.floor_color, roughness=FLOOR_ROUGHNESS)
    add_instance(
        "Floor", "plane", material, centre, ((max_x - min_x) / 2.0, (max_y - min_y) / 2.0, 1.0), collection=collection
    )


def build_world(world: WorldSpec) -> bpy.types.World:
    """World background (Blender manual: World > Surface): a colour, sky texture or HDRI."""
    scene_world = bpy.data.worlds.new(WORLD_NAME)
    if scene_world.node_tree is None:
        scene_world.use_nodes = True
    background = _background(scene_world)
    background.inputs["Strength"].default_value = world.strength
    source = _world_texture(scene_world.node_tree.nodes, world)
    if source is None:
        background.inputs["Color"].default_value = (*world.color, 1.0)
    else:
        scene_world.node_tree.links.new(source.outputs["Color"], background.inputs["Color"])
    return scene_world


def tint_world(scene_world: bpy.types.World, tint: Color) -> None:
    """Multiply the world's background by the style's ``tint`` (a colour, or a texture through a Mix node)."""
    if tuple(tint) == NO_TINT:
        return
    nodes, links = scene_world.node_tree.nodes, scene_world.node_tree.links
    color = _background(scene_world).inputs["Color"]
    if not color.is_linked:
        red, green, blue, alpha = color.default_value
        color.default_value = (red * tint[0], green * tint[1], blue * tint[2], alpha)
        return
    source = color.links[0].from_socket
    multiply = nodes.new("ShaderNodeMix")
    multiply.data_type = "RGBA"
    multiply.blend_type = "MULTIPLY"
    multiply.inputs["Factor"].default_value = 1.0
    links.new(source, _socket(multiply.inputs, "A_Color"))
    _socket(multiply.inputs, "B_Color").default_value = (*tint, 1.0)
    links.new(_socket(multiply.outputs, "Result_Color"), color)


def _background(scene_world: bpy.types.World) -> bpy.types.Node:
    return next(node for node in scene_world.node_tree.nodes if node.bl_idname == "ShaderNodeBackground")


def _socket(sockets: bpy.types.NodeInputs | bpy.types.NodeOutputs, identifier: str) -> bpy.types.NodeSocket:
    """A Mix node socket by identifier (its names repeat across data types)."""
    return next(socket for socket in sockets if socket.identifier == identifier)


def _world_texture(nodes: bpy.types.Nodes, world: WorldSpec) -> bpy.types.Node | None:
    if world.kind == "sky":
        sky = nodes.new("ShaderNodeTexSky")
        sky.sky_type = "SINGLE_SCATTERING"
        sky.sun_disc = False
        return sky
    if world.kind == "hdri":
        if world.hdri_path and os.path.isfile(world.hdri_path):
            environment = nodes.new("ShaderNodeTexEnvironment")
            environment.image = bpy.data.images.load(world.hdri_path, check_existing=True)
            return environment
        print(f"warning: HDRI {world.hdri_path!r} not found, using the world colour", file=sys.stderr)
    return None
