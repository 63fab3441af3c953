"""Time of day and weather on a built set: sky, sun, window light, lamps (Blender manual: World, Light Objects).

:func:`apply_conditions` runs right after the set is built or appended. It
finds what to change through the roles the set carries
(:data:`~production_assets.render.locations.ROLE_KEY` on lights and on
window and lamp materials) and sets every value from the planned one
(:data:`~production_assets.render.locations.BASE_KEY`), so applying it again
changes nothing. The numbers live in :mod:`production_assets.sets.conditions`.

- Sky worlds (exteriors): the sky texture's sun follows the time of day; a
  ``Conditions`` mix node in front of the background greys the sky when
  overcast and replaces it by the night sky after dark.
- Colour worlds (interiors): the colour is dimmed and tinted; an HDRI is dimmed.
- Lights: ``sun`` is moved, tinted and dimmed (moonlight at night);
  ``window`` takes the window colour and strength; ``practical`` lamps are
  on at night and low by day; ``fill`` room lights dim at night. Lights
  without a role (the style's rig, when it is already built) are dimmed and
  tinted too, so call this after the rig to have the characters' light
  follow the time of day.
- Surfaces: window panes show the outside's colour; lamp shades glow with
  their lamps.
- Weather adds overcast and, outdoors, fog cards, rain or snow
  (:mod:`.weather`).
"""

from __future__ import annotations

import math

import bpy
from mathutils import Vector

from production_assets.model.base import Color
from production_assets.model.render_job import RenderJob
from production_assets.render.locations import BASE_KEY, ROLE_KEY
from production_assets.render.materials import principled_bsdf, srgb_to_linear
from production_assets.render.weather import add_weather
from production_assets.sets.conditions import LIGHTING, OVERCAST_SKY, WEATHER, Lighting, WeatherLook
from production_assets.sets.parts import aim_rotation

CONDITIONS_NODE = "Conditions"
RIG_BASE_KEY = "rig_base"
MOON_ELEVATION_DEG = 40.0
DAY_SUN_STRENGTH = LIGHTING["day"].sun_strength
OVERCAST_SUN_ANGLE_DEG = 25.0


def apply_conditions(scene: bpy.types.Scene, job: RenderJob) -> None:
    """Light the set for ``job.time_of_day`` and ``job.weather`` (idempotent)."""
    lighting, weather = LIGHTING[job.time_of_day], WEATHER[job.weather]
    if scene.world is not None:
        _apply_to_world(scene.world, lighting, weather)
    for obj in scene.objects:
        if obj.type == "LIGHT" and ROLE_KEY in obj:
            _apply_to_light(obj, lighting, weather)
        elif obj.type == "LIGHT":
            _apply_to_rig_light(obj, lighting)
    for material in bpy.data.materials:
        if ROLE_KEY in material:
            _apply_to_surface(material, lighting, weather)
    add_weather(scene, job, lighting)


def _apply_to_world(world: bpy.types.World, lighting: Lighting, weather: WeatherLook) -> None:
    nodes = world.node_tree.nodes
    background = next(node for node in nodes if node.bl_idname == "ShaderNodeBackground")
    base = world.get(BASE_KEY)
    if base is None:
        color = background.inputs["Color"].default_value
        base = [background.inputs["Strength"].default_value, *color[:3]]
        world[BASE_KEY] = base
    strength = base[0]
    sky = next((node for node in nodes if node.bl_idname == "ShaderNodeTexSky"), None)
    if sky is None:
        dim = lighting.ambient * (1.0 - 0.3 * weather.overcast)
        if background.inputs["Color"].is_linked:  # an HDRI: only its strength can follow the time of day
            background.inputs["Strength"].default_value = strength * dim
            return
        tint = lighting.ambient_tint
        background.inputs["Color"].default_value = (*(c * t * dim for c, t in zip(base[1:4], tint, strict=True)), 1.0)
        background.inputs["Strength"].default_value = strength
        return
    sky.sun_elevation = math.radians(max(lighting.sun_elevation, -4.0))
    night = lighting.night_sky is not None
    mix = _conditions_mix(world, background)
    mix.inputs["Factor"].default_value = 1.0 if night else weather.overcast
    grey = tuple(c * (0.35 + 0.65 * lighting.sky_strength) for c in OVERCAST_SKY)
    replacement = lighting.night_sky if lighting.night_sky is not None else grey
    if night and weather.overcast:
        replacement = tuple(c * 1.6 for c in replacement)
    _socket(mix.inputs, "B_Color").default_value = (*replacement, 1.0)
    background.inputs["Strength"].default_value = strength * (1.0 if night else max(lighting.sky_strength, 0.05))


def _conditions_mix(world: bpy.types.World, background: bpy.types.Node) -> bpy.types.Node:
    """The mix node between whatever feeds the background colour and the background (created once)."""
    nodes, links = world.node_tree.nodes, world.node_tree.links
    existing = nodes.get(CONDITIONS_NODE)
    if existing is not None:
        return existing
    mix = nodes.new("ShaderNodeMix")
    mix.name = CONDITIONS_NODE
    mix.data_type = "RGBA"
    mix.blend_type = "MIX"
    color = background.inputs["Color"]
    source = color.links[0].from_socket if color.is_linked else None
    if source is not None:
        links.new(source, _socket(mix.inputs, "A_Color"))
    else:
        _socket(mix.inputs, "A_Color").default_value = color.default_value
    links.new(_socket(mix.outputs, "Result_Color"), color)
    return mix


def _socket(sockets: bpy.types.NodeInputs | bpy.types.NodeOutputs, identifier: str) -> bpy.types.NodeSocket:
    return next(socket for socket in sockets if socket.identifier == identifier)


def _apply_to_light(obj: bpy.types.Object, lighting: Lighting, weather: WeatherLook) -> None:
    role, base = obj[ROLE_KEY], float(obj[BASE_KEY])
    light = obj.data
    if role == "sun":
        _aim_sun(obj, lighting)
        light.color = lighting.sun_color
        light.energy = base * lighting.sun_strength / DAY_SUN_STRENGTH * (1.0 - 0.85 * weather.overcast)
        if light.type == "SUN":
            light.angle = math.radians(0.5 + OVERCAST_SUN_ANGLE_DEG * weather.overcast)
    elif role == "window":
        light.color = lighting.window_color
        light.energy = base * lighting.window_strength * (1.0 - 0.5 * weather.overcast)
    elif role == "practical":
        light.energy = base * lighting.practical
    else:
        light.energy = base * lighting.fill


def _apply_to_rig_light(obj: bpy.types.Object, lighting: Lighting) -> None:
    """A light that is not the set's (the style's rig): dimmed and tinted, from its own values kept on first touch."""
    if RIG_BASE_KEY not in obj:
        obj[RIG_BASE_KEY] = [obj.data.energy, *obj.data.color]
    energy, *color = obj[RIG_BASE_KEY]
    obj.data.energy = energy * lighting.rig
    obj.data.color = [c * t for c, t in zip(color, lighting.rig_tint, strict=True)]


def _aim_sun(obj: bpy.types.Object, lighting: Lighting) -> None:
    """Keep the sun's compass direction, set its height (the moon stands at 40 degrees at night)."""
    beam = obj.rotation_euler.to_matrix() @ Vector((0.0, 0.0, -1.0))
    heading = math.atan2(beam.y, beam.x)
    elevation = math.radians(lighting.sun_elevation if lighting.sun_elevation > 0 else MOON_ELEVATION_DEG)
    direction = (math.cos(heading) * math.cos(elevation), math.sin(heading) * math.cos(elevation), -math.sin(elevation))
    obj.rotation_euler = [math.radians(angle) for angle in aim_rotation(direction)]


def _apply_to_surface(material: bpy.types.Material, lighting: Lighting, weather: WeatherLook) -> None:
    bsdf = principled_bsdf(material)
    base = float(material[BASE_KEY])
    if material[ROLE_KEY] == "window":
        color: Color = srgb_to_linear(_overcast(lighting.window_color, weather))
        bsdf.inputs["Emission Color"].default_value = (*color, 1.0)
        bsdf.inputs["Base Color"].default_value = (*(c * 0.2 for c in color), 1.0)
        bsdf.inputs["Emission Strength"].default_value = (
            base * lighting.window_strength * (1.0 - 0.4 * weather.overcast)
        )
    else:
        bsdf.inputs["Emission Strength"].default_value = base * lighting.practical


def _overcast(color: Color, weather: WeatherLook) -> Color:
    """``color`` pulled toward the overcast grey."""
    return tuple(c + (g - c) * weather.overcast for c, g in zip(color, OVERCAST_SKY, strict=True))  # type: ignore[return-value]
