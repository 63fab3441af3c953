"""Cheap weather for Cycles on the CPU: fog cards, rain streaks and snow flakes as one mesh each, a wet or white ground.

No volumes and no particle systems: fog is a few large semi-transparent,
self-lit planes beyond the action (a depth-graded veil that costs a few
transparent bounces); rain and snow are one mesh of a couple of thousand
small quads facing the camera side. Only exteriors get them; indoors the
weather shows in the windows (overcast, :mod:`.time_of_day`). Everything is
seeded from the location's name, so every frame and every run is the same.
"""

from __future__ import annotations

from random import Random

import bpy

from production_assets.model.base import Color
from production_assets.model.render_job import RenderJob
from production_assets.render.locations import SET_COLLECTION
from production_assets.render.materials import principled_bsdf, srgb_to_linear
from production_assets.sets.conditions import WEATHER, Lighting, WeatherLook
from production_assets.sets.library import stable_seed

WEATHER_COLLECTION = "Weather"
FOG_CARD_DEPTHS = (2.0, 6.0, 14.0, 30.0)
FOG_COLOR: Color = (0.78, 0.8, 0.83)
SNOW_GROUND_LINEAR = 0.6
PRECIPITATION_BOX = ((-12.0, 12.0), (-1.5, 26.0), (0.0, 9.0))


def add_weather(scene: bpy.types.Scene, job: RenderJob, lighting: Lighting) -> None:
    """Fog cards, rain or snow and the ground's look for ``job.weather`` (once per scene)."""
    weather = WEATHER[job.weather]
    if job.location.setting != "exterior" or job.weather == "clear" or WEATHER_COLLECTION in bpy.data.collections:
        return
    collection = bpy.data.collections.new(WEATHER_COLLECTION)
    scene.collection.children.link(collection)
    brightness = 0.08 + 0.9 * lighting.sky_strength
    if weather.haze > 0:
        _fog_cards(collection, weather, brightness)
    if weather.particles:
        rng = Random(stable_seed("weather", job.location_name, job.weather))
        _precipitation(collection, weather, brightness, rng)
    _tint_ground(weather)


def _veil_material(name: str, color: Color, brightness: float, alpha: float) -> bpy.types.Material:
    """A self-lit, partly transparent surface: Emission mixed with Transparent (no BSDF to light, so cheap)."""
    material = bpy.data.materials.new(name)
    if material.node_tree is None:
        material.use_nodes = True
    nodes, links = material.node_tree.nodes, material.node_tree.links
    for node in [node for node in nodes if node.bl_idname != "ShaderNodeOutputMaterial"]:
        nodes.remove(node)
    output = next(node for node in nodes if node.bl_idname == "ShaderNodeOutputMaterial")
    emission, transparent, mix = (
        nodes.new(kind) for kind in ("ShaderNodeEmission", "ShaderNodeBsdfTransparent", "ShaderNodeMixShader")
    )
    emission.inputs["Color"].default_value = (*srgb_to_linear(color), 1.0)
    emission.inputs["Strength"].default_value = brightness
    mix.inputs["Fac"].default_value = alpha
    links.new(transparent.outputs["BSDF"], mix.inputs[1])
    links.new(emission.outputs["Emission"], mix.inputs[2])
    links.new(mix.outputs["Shader"], output.inputs["Surface"])
    return material


def _fog_cards(collection: bpy.types.Collection, weather: WeatherLook, brightness: float) -> None:
    """Vertical planes across the view, each veiling what lies behind it a little more."""
    per_card = 1.0 - (1.0 - weather.haze) ** (1.0 / len(FOG_CARD_DEPTHS))
    material = _veil_material("Weather.Fog", FOG_COLOR, brightness, per_card)
    for index, depth in enumerate(FOG_CARD_DEPTHS):
        half_width, height = 12.0 + depth * 1.5, 6.0 + depth * 0.6
        vertices = [
            (-half_width, depth, 0.0),
            (half_width, depth, 0.0),
            (half_width, depth, height),
            (-half_width, depth, height),
        ]
        mesh = bpy.data.meshes.new(f"Weather.Fog.{index}")
        mesh.from_pydata(vertices, [], [(0, 1, 2, 3)])
        mesh.materials.append(material)
        _link_camera_only(collection, mesh)


def _precipitation(collection: bpy.types.Collection, weather: WeatherLook, brightness: float, rng: Random) -> None:
    """Rain streaks (long, thin, slanted) or snow flakes (small squares): quads facing -Y in one mesh."""
    length, width = weather.particle_size
    (x0, x1), (y0, y1), (z0, z1) = PRECIPITATION_BOX
    slant = 0.08 * length
    vertices: list[tuple[float, float, float]] = []
    faces = []
    for _ in range(weather.particles):
        x, y, z = rng.uniform(x0, x1), rng.uniform(y0, y1), rng.uniform(z0, z1)
        scale = 1.0 + y * 0.04
        w, h, s = width * scale / 2.0, length * scale / 2.0, slant * scale
        start = len(vertices)
        vertices += [(x - w - s, y, z - h), (x + w - s, y, z - h), (x + w + s, y, z + h), (x - w + s, y, z + h)]
        faces.append((start, start + 1, start + 2, start + 3))
    mesh = bpy.data.meshes.new("Weather.Precipitation")
    mesh.from_pydata(vertices, [], faces)
    alpha = 0.45 if length > width * 2 else 0.9
    mesh.materials.append(_veil_material("Weather.Precipitation", weather.particle_color, brightness * 1.5, alpha))
    _link_camera_only(collection, mesh)


def _link_camera_only(collection: bpy.types.Collection, mesh: bpy.types.Mesh) -> None:
    """An object seen by the camera only (Object > Visibility > Ray Visibility): it casts no shadow and shows in no
    reflection, so the set's lighting is unchanged and the veil costs one transparent hit per camera ray."""
    obj = bpy.data.objects.new(mesh.name, mesh)
    obj.visible_shadow = False
    obj.visible_diffuse = False
    obj.visible_glossy = False
    obj.visible_transmission = False
    obj.visible_volume_scatter = False
    collection.objects.link(obj)


def _tint_ground(weather: WeatherLook) -> None:
    """Darker, glossier ground in the rain; whiter under snow."""
    floor = bpy.data.objects.get("Floor")
    if floor is None or tuple(weather.ground_tint) == (1.0, 1.0, 1.0) or SET_COLLECTION not in bpy.data.collections:
        return
    material = floor.material_slots[0].material
    bsdf = principled_bsdf(material)
    red, green, blue, alpha = bsdf.inputs["Base Color"].default_value
    tint = weather.ground_tint
    if tint[0] > 1.0:
        snow = SNOW_GROUND_LINEAR
        bsdf.inputs["Base Color"].default_value = (
            (red + snow) / 2.0,
            (green + snow) / 2.0,
            (blue + snow * 1.05) / 2.0,
            alpha,
        )
        return
    bsdf.inputs["Base Color"].default_value = (red * tint[0], green * tint[1], blue * tint[2], alpha)
    bsdf.inputs["Roughness"].default_value = 0.25
