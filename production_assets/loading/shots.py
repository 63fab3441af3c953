"""Shot expansion: stable ids, shots generated from the script, scene locations.

A shot's id is ``s<scene>_<template>_<subject>`` (or its explicit ``id``), so it
does not depend on the shot's position: inserting, removing or reordering
shots never renames another shot. Shots that share that base get a suffix from
a hash of their own content; give them an explicit ``id`` for full control.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from production_assets.loading.fountain import Screenplay
from production_assets.model.production import ProductionConfig, Shot


@dataclass(frozen=True)
class ExpandedShot:
    """A shot with its id, its index in the YAML (None when generated) and its location."""

    id: str
    shot: Shot
    source_index: int | None
    location: str | None


def slugify(text: str, fallback: str = "x") -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return slug[:40] or fallback


def _base_id(shot: Shot, location: str | None) -> str:
    subject = "_".join(shot.subjects()) or location or "set"
    return f"s{shot.scene:03d}_{slugify(shot.template)}_{slugify(subject)}"


def _content_hash(shot: Shot) -> str:
    text = json.dumps(shot.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha1(text.encode()).hexdigest()[:6]


def scene_location(config: ProductionConfig, screenplay: Screenplay | None, scene: int) -> str | None:
    """The location of a scene: named in its script heading, or the only location."""
    names = [location.name for location in config.locations]
    if screenplay and (script_scene := screenplay.scene(scene)):
        place = script_scene.place.lower()
        for name in names:
            if name.lower() == place or name.lower() in place:
                return name
    return names[0] if len(names) == 1 else None


def _generated_shots(screenplay: Screenplay, characters: list[str]) -> list[Shot]:
    """An establishing shot per scene and a close-up per speaking character the production knows."""
    known = {name.lower(): name for name in characters}
    shots: list[Shot] = []
    for scene in screenplay.scenes:
        shots.append(Shot(template="establishing_wide", scene=scene.number, duration="2s"))
        shots.extend(
            Shot(template="close_up", scene=scene.number, character=known[name.lower()], duration="2s")
            for name in scene.speakers
            if name.lower() in known
        )
    return shots


def expand_shots(config: ProductionConfig, screenplay: Screenplay | None = None) -> list[ExpandedShot]:
    """Every shot of the production in film order, with stable ids and locations."""
    entries: list[tuple[Shot, int | None]] = [(shot, index) for index, shot in enumerate(config.shots)]
    if config.script_coverage and screenplay:
        generated = _generated_shots(screenplay, [character.name for character in config.characters])
        entries = [(shot, None) for shot in generated] + entries
        entries.sort(key=lambda entry: entry[0].scene)
    expanded: list[ExpandedShot] = []
    used: set[str] = set()
    for shot, index in entries:
        location = shot.location or scene_location(config, screenplay, shot.scene)
        shot_id = shot.id or _base_id(shot, location)
        if shot_id in used:
            shot_id = f"{shot_id}_{_content_hash(shot)}"
        serial = 2
        while shot_id in used:
            shot_id, serial = f"{shot_id}_{serial}", serial + 1
        used.add(shot_id)
        expanded.append(ExpandedShot(shot_id, shot, index, location))
    return expanded
