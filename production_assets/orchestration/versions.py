"""Data versions: what a shot's pixels depend on, hashed, and why a shot is stale.

A shot's fingerprint is its render job without machine-specific paths, plus
the content hashes of the model files it uses. Equal fingerprints mean equal
pixels, so the version survives moving the production folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from production_assets.hashing import file_digest, hash_json
from production_assets.model.presets import WardrobeLook
from production_assets.model.render_job import CharacterPlacement, RenderJob
from production_assets.model.resolved import ResolvedProduction, ResolvedShot

RENDER_CODE_VERSION = "1"
PREPARE_CODE_VERSION = "1"
GRADE_CODE_VERSION = "1"
_MACHINE_FIELDS = {"frames_dir", "staging_dir", "threads", "data_version"}


def _placements(production: ResolvedProduction, shot: ResolvedShot) -> list[CharacterPlacement]:
    count = len(shot.subjects)
    placements = []
    for index, name in enumerate(shot.subjects):
        character = production.characters[name]
        look_name = shot.looks.get(name, "default")
        look = _look(production, look_name)
        prepared = prepared_file(production, "character", name)
        offset = (index - (count - 1) / 2) * 0.9
        placements.append(
            CharacterPlacement(
                name=name,
                model=character.model,
                look=look,
                look_name=look_name,
                position=(offset, 0.0, 0.0),
                facing_deg=-15.0 * offset if count > 1 else 0.0,
                height=character.height,
                scale=character.scale,
                prepared_blend=str(prepared) if prepared.is_file() else None,
            )
        )
    return placements


def character_looks(production: ResolvedProduction, name: str) -> dict[str, WardrobeLook]:
    """Every look a character wears in the production (its wardrobe, plus the default)."""
    wardrobe = production.characters[name].wardrobe
    return {look: _look(production, look) for look in ["default", *wardrobe.values()]}


def _look(production: ResolvedProduction, look_name: str) -> WardrobeLook:
    """A wardrobe preset, or a material/collection of that name in the model file."""
    return production.wardrobes.get(look_name) or production.wardrobes["default"].model_copy(
        update={"material": look_name, "collection": look_name}
    )


def prepared_file(production: ResolvedProduction, kind: str, name: str) -> Path:
    """Where the prepared .blend of a character or location lives."""
    return production.layout.prepared_blend(kind, name)


def render_job(production: ResolvedProduction, shot_id: str, threads: int = 0) -> RenderJob:
    """The job the bpy worker renders for one shot (prepared character files used when built).

    Its frames go to the folder of its own data version, so a frame on disk belongs to exactly
    one version of the shot (see :mod:`production_assets.model.layout`).
    """
    shot = production.shot(shot_id)
    render = production.render
    job = RenderJob(
        shot_id=shot.id,
        scene_number=shot.scene,
        data_version="pending",
        frames_dir="pending",
        staging_dir="pending",
        frame_count=shot.frame_count,
        resolution=render.resolution,
        engine=render.engine,
        samples=render.samples,
        seed=render.seed,
        threads=threads or render.threads,
        frame_rate=render.frame_rate,
        location_name=shot.location,
        location=production.locations[shot.location].preset,
        characters=_placements(production, shot),
        camera=shot.camera,
        style=production.style,
    )
    version = shot_data_version(job)
    layout = production.layout
    return job.model_copy(
        update={
            "data_version": version,
            "frames_dir": str(layout.frames_dir(shot_id, version)),
            "staging_dir": str(layout.staging_dir(shot_id, version)),
        }
    )


def shot_fingerprint(job: RenderJob) -> dict[str, Any]:
    """What the shot's pixels depend on, as comparable data (prepared files render the same pixels)."""
    exclude: dict[str, Any] = {field: True for field in _MACHINE_FIELDS}
    exclude["characters"] = {"__all__": {"prepared_blend"}}
    fields = job.model_dump(mode="json", exclude=exclude)
    files = {c.name: file_digest(c.model) for c in job.characters if not c.model.startswith("builtin:")}
    hdri = job.location.world.hdri_path
    if hdri:
        files["hdri"] = file_digest(hdri)
    return {"code": RENDER_CODE_VERSION, "job": fields, "files": files}


def shot_data_version(job: RenderJob) -> str:
    return hash_json(shot_fingerprint(job))


def graded_data_version(render_version: str, production: ResolvedProduction) -> str:
    return hash_json([GRADE_CODE_VERSION, render_version, production.style.grade.model_dump(mode="json")])


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(value, list) and value and isinstance(value[0], dict):
        flat = {}
        for index, item in enumerate(value):
            flat.update(_flatten(item, f"{prefix}[{index}]"))
        return flat
    return {prefix: value}


def explain_change(old: dict[str, Any] | None, new: dict[str, Any]) -> str:
    """'frame_count 48 -> 72', 'hero.blend changed', ... for a stale shot."""
    if old is None:
        return "never rendered"
    old_flat, new_flat = _flatten(old), _flatten(new)
    reasons = []
    for key in sorted(set(old_flat) | set(new_flat)):
        before, after = old_flat.get(key), new_flat.get(key)
        if before == after:
            continue
        if key.startswith("files."):
            reasons.append(f"{key[6:]} file changed")
        elif key == "code":
            reasons.append("renderer code changed")
        else:
            reasons.append(f"{key.removeprefix('job.')} {before} -> {after}")
    return "; ".join(reasons[:4]) + (f" (+{len(reasons) - 4} more)" if len(reasons) > 4 else "") or "inputs changed"
