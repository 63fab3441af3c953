"""Procedural sets from :class:`LocationPreset`: floor, walls, props, practical lights, world.

A set lives in the collection :data:`SET_COLLECTION` (lights included) and
its untinted world is :data:`WORLD_NAME`, so a prepared location .blend holds
exactly those two datablocks; the style's world tint is applied per shot by
:func:`tint_world`, on a freshly built set or on one appended from a file.
"""

from __future__ import annotations

import os
import sys

import bpy

from production_assets.model.base import Color
from production_assets.model.presets import LocationPreset, WorldSpec
from production_assets.render.lights import add_light
from production_assets.render.materials import assign_material, principled_material
from production_assets.render.primitives import add_primitive

WALL_THICKNESS = 0.1
SIDE_WALL_FACTOR = 1.5
SET_COLLECTION = "Set"
WORLD_NAME = "World"
NO_TINT: Color = (1.0, 1.0, 1.0)


class LocationLoadError(RuntimeError):
    """A prepared location .blend cannot be loaded or lacks the set."""


def build_location(location: LocationPreset) -> bpy.types.Collection:
    """Build the set into its own collection and make its (untinted) world the scene's world."""
    collection = bpy.data.collections.new(SET_COLLECTION)
    bpy.context.scene.collection.children.link(collection)
    _build_floor(location, collection)
    if location.wall_color is not None:
        _build_walls(location, location.wall_color, collection)
    for index, prop in enumerate(location.props):
        obj = add_primitive(f"Prop.{index:02d}", prop.shape, prop.location, prop.scale, prop.rotation_deg, collection)
        assign_material(obj, principled_material(obj.name, prop.color, prop.roughness, prop.emission))
    for index, light in enumerate(location.lights):
        add_light(f"Practical.{index:02d}", light, collection=collection)
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


def _build_floor(location: LocationPreset, collection: bpy.types.Collection) -> None:
    half = location.floor_size / 2.0
    floor = add_primitive("Floor", "plane", (0.0, 0.0, 0.0), (half, half, 1.0), collection=collection)
    assign_material(floor, principled_material("Floor", location.floor_color, roughness=0.8))


def _build_walls(location: LocationPreset, color: Color, collection: bpy.types.Collection) -> None:
    """A back wall at +``wall_distance`` and two side walls, all ``wall_height`` tall."""
    material = principled_material("Wall", color, roughness=0.9)
    depth, half_height = location.wall_distance, location.wall_height / 2.0
    side_x = depth * SIDE_WALL_FACTOR
    walls = [
        ("Wall.Back", (0.0, depth, half_height), (side_x, WALL_THICKNESS, half_height)),
        ("Wall.Left", (-side_x, 0.0, half_height), (WALL_THICKNESS, depth, half_height)),
        ("Wall.Right", (side_x, 0.0, half_height), (WALL_THICKNESS, depth, half_height)),
    ]
    for name, centre, half_size in walls:
        assign_material(add_primitive(name, "cube", centre, half_size, collection=collection), material)


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
