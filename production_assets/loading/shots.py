"""Shot expansion: the film's shots in order, with stable ids, script coverage merged in, and locations.

A shot's id is ``s<scene>_<template>_<subject>`` (or its explicit ``id``), so it does not depend on the
shot's position: inserting, removing or reordering shots never renames another shot. Shots written in
the YAML that share that base get a suffix from a hash of their own content; shots generated from the
script get ``_2``, ``_3``... in scene order, so editing a line's words never renames them.

With ``script_coverage`` the script's scenes are covered (:mod:`.coverage`) and the YAML's shots merged
in: a shot written for a scene replaces the generated shot of the same scene, template and subjects
(the first written one the first generated one, and so on) at its place in the cut, keeping its own
duration; the others follow the scene's generated shots. Scenes come in script order.

A shot's location is its own ``location``, else the location of its scene: the declared location whose
name the scene heading's place names, else a stand-in location named after the place itself (see
:func:`implicit_locations`), else the production's only location.
"""

from __future__ import annotations

import hashlib
import json
import re
import string
from dataclasses import dataclass

from production_assets.loading.coverage import cover_screenplay
from production_assets.loading.fountain import Screenplay, ScriptScene
from production_assets.loading.script_timing import time_screenplay
from production_assets.model.production import ProductionConfig, Shot


@dataclass(frozen=True)
class ExpandedShot:
    """A shot with its id, its index in the YAML (None when generated from the script) and its location."""

    id: str
    shot: Shot
    source_index: int | None
    location: str | None
    script_line: int | None = None
    script_start_ms: int | None = None
    """Where the beats a generated shot covers start, in ms from its scene's start (a written shot that
    replaces a generated one keeps it); None for a shot played after the one before it."""

    @property
    def generated(self) -> bool:
        return self.source_index is None


@dataclass(frozen=True)
class ImplicitLocation:
    """A place of the screenplay that no declared location names: it is shot on a stand-in set."""

    name: str
    place: str
    scene: int
    line: int


def slugify(text: str, fallback: str = "x") -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return slug[:40] or fallback


def _base_id(shot: Shot, location: str | None) -> str:
    subject = "_".join(shot.subjects()) or location or "set"
    return f"s{shot.scene:03d}_{slugify(shot.template)}_{slugify(subject)}"


def _content_hash(shot: Shot) -> str:
    text = json.dumps(shot.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha1(text.encode()).hexdigest()[:6]


def _declared_for(place: str, names: list[str]) -> str | None:
    lowered = place.lower()
    exact = [name for name in names if name.lower() == lowered]
    return (exact or [name for name in names if name.lower() in lowered] or [None])[0]


def place_name(scene: ScriptScene) -> str:
    """The stand-in location's name for a scene heading's place: "MIKE'S OFFICE" -> "Mike's Office"."""
    return string.capwords(scene.place.strip()) or f"Scene {scene.number}"


def scene_location(config: ProductionConfig, screenplay: Screenplay | None, scene: int) -> str | None:
    """The location of a scene (see the module docstring); None when nothing decides it."""
    names = [location.name for location in config.locations]
    script_scene = screenplay.scene(scene) if screenplay else None
    if script_scene is not None and script_scene.place.strip():
        return _declared_for(script_scene.place, names) or place_name(script_scene)
    return names[0] if len(names) == 1 else None


def implicit_locations(
    config: ProductionConfig, screenplay: Screenplay | None, shots: list[ExpandedShot]
) -> list[ImplicitLocation]:
    """The stand-in locations the shots use: places of the script no declared location names."""
    declared = {location.name for location in config.locations}
    found: dict[str, ImplicitLocation] = {}
    for expanded in shots:
        name = expanded.location
        script_scene = screenplay.scene(expanded.shot.scene) if screenplay else None
        if name and name not in declared and name not in found and script_scene is not None:
            found[name] = ImplicitLocation(name, script_scene.place, script_scene.number, script_scene.line)
    return list(found.values())


Entry = tuple[Shot, int | None, int | None, int | None]  # shot, YAML index (None: generated), script line, start ms


def _merged(config: ProductionConfig, screenplay: Screenplay) -> list[Entry]:
    timeline = time_screenplay(screenplay, config.script_timing)
    characters = [character.name for character in config.characters]
    covered = cover_screenplay(timeline, characters, config.coverage, config.render_settings.frame_rate)
    written: dict[tuple[int, str, tuple[str, ...]], list[int]] = {}
    for index, shot in enumerate(config.shots):
        written.setdefault((shot.scene, shot.template, tuple(shot.subjects())), []).append(index)
    by_scene: dict[int, list[Entry]] = {}
    for generated in covered:
        shot = generated.shot
        waiting = written.get((shot.scene, shot.template, tuple(shot.subjects())))
        start = generated.start_ms
        entry: Entry = (
            (config.shots[waiting[0]], waiting.pop(0), None, start) if waiting else (shot, None, generated.line, start)
        )
        by_scene.setdefault(shot.scene, []).append(entry)
    for index in sorted(index for indices in written.values() for index in indices):
        by_scene.setdefault(config.shots[index].scene, []).append((config.shots[index], index, None, None))
    return [entry for scene in sorted(by_scene) for entry in by_scene[scene]]


def expand_shots(config: ProductionConfig, screenplay: Screenplay | None = None) -> list[ExpandedShot]:
    """Every shot of the production in film order, with stable ids and locations."""
    if config.script_coverage and screenplay:
        entries = _merged(config, screenplay)
    else:
        entries = [(shot, index, None, None) for index, shot in enumerate(config.shots)]
    expanded: list[ExpandedShot] = []
    used: set[str] = set()
    for shot, index, line, start_ms in entries:
        location = shot.location or scene_location(config, screenplay, shot.scene)
        shot_id = shot.id or _base_id(shot, location)
        if shot_id in used and index is not None:
            shot_id = f"{shot_id}_{_content_hash(shot)}"
        base, serial = shot_id, 2
        while shot_id in used:
            shot_id, serial = f"{base}_{serial}", serial + 1
        used.add(shot_id)
        expanded.append(ExpandedShot(shot_id, shot, index, location, line, start_ms))
    return expanded
