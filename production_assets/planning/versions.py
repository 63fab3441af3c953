"""Data versions: what a shot's pixels depend on, hashed, and why a shot is stale.

A shot's fingerprint is its render job without machine-specific paths, plus
the content hashes of the model files it uses. Equal fingerprints mean equal
pixels, so the version survives moving the production folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from production_assets.acting.shot_acting import stage_resolved_shot
from production_assets.hashing import file_digest, hash_json
from production_assets.model.base import StrictModel
from production_assets.model.presets import LocationPreset, WardrobeLook
from production_assets.model.render_job import CharacterPlacement, RenderJob
from production_assets.model.resolved import ResolvedProduction, ResolvedShot
from production_assets.sets import place_props

RENDER_CODE_VERSION = "3"
PREPARE_CODE_VERSION = "3"
GRADE_CODE_VERSION = "1"
_MACHINE_FIELDS = {"frames_dir", "staging_dir", "threads", "data_version"}


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


class ShotVersions:
    """The render jobs and data versions of one production's shots.

    Every job embeds the set and the style, which may hold hundreds of values; they are hashed once per
    production here (a job's version hashes them by their own hash), and a character's prepared file is
    looked up once, so planning thousands of shots costs little more than reading their fields.
    """

    def __init__(self, production: ResolvedProduction, known: dict[str, str] | None = None):
        """``known``: versions already computed for this very production (the loader keeps them)."""
        self.production = production
        self._hashes: dict[int, str] = {}
        self._prepared: dict[str, str | None] = {}
        self._versions: dict[str, str] = dict(known or {})

    def _prepared_blend(self, name: str) -> str | None:
        if name not in self._prepared:
            prepared = prepared_file(self.production, "character", name)
            self._prepared[name] = str(prepared) if prepared.is_file() else None
        return self._prepared[name]

    def _placements(self, shot: ResolvedShot) -> list[CharacterPlacement]:
        """The shot's characters: model, look, and the acting staged for them (acting.shot_acting)."""
        production = self.production
        staged = stage_resolved_shot(
            shot, production.characters, production.locations[shot.location].preset.marks, production.render.frame_rate
        )
        placements = []
        for name in shot.subjects:
            character = production.characters[name]
            look_name = shot.looks.get(name, "default")
            placements.append(
                CharacterPlacement(
                    name=name,
                    model=character.model,
                    look=_look(production, look_name),
                    look_name=look_name,
                    height=character.height,
                    scale=character.scale,
                    prepared_blend=self._prepared_blend(name),
                    **staged[name].placement_fields(),
                )
            )
        return placements

    def _location(self, shot: ResolvedShot) -> LocationPreset:
        """The shot's set: its location's, with the shot's own props placed on it."""
        location = self.production.locations[shot.location]
        return place_props(location.preset, shot.props, location.seed or 0) if shot.props else location.preset

    def job(self, shot_id: str, threads: int = 0) -> RenderJob:
        """The job the bpy worker renders for one shot (prepared character files used when built).

        Its frames go to the folder of its own data version, so a frame on disk belongs to exactly
        one version of the shot (see :mod:`production_assets.model.layout`).
        """
        production = self.production
        shot = production.shot(shot_id)
        render = shot.render
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
            denoise=render.denoise,
            motion_blur=render.motion_blur,
            seed=render.seed,
            threads=threads or render.threads,
            frame_rate=render.frame_rate,
            location_name=shot.location,
            location=self._location(shot),
            characters=self._placements(shot),
            camera=shot.camera,
            style=production.style,
            time_of_day=shot.time_of_day,
            weather=shot.weather,
        )
        version = shot_data_version(job, self._hashes)
        self._versions[shot_id] = version
        layout = production.layout
        return job.model_copy(
            update={
                "data_version": version,
                "frames_dir": str(layout.frames_dir(shot_id, version)),
                "staging_dir": str(layout.staging_dir(shot_id, version)),
            }
        )

    def version(self, shot_id: str) -> str:
        """The data version the YAML asks for now."""
        return self._versions.get(shot_id) or self.job(shot_id).data_version


def render_job(production: ResolvedProduction, shot_id: str, threads: int = 0) -> RenderJob:
    """One shot's render job (see :meth:`ShotVersions.job`; use a ShotVersions for many shots)."""
    return ShotVersions(production).job(shot_id, threads)


def shot_fingerprint(job: RenderJob) -> dict[str, Any]:
    """What the shot's pixels depend on, as comparable data (prepared files render the same pixels)."""
    exclude: dict[str, Any] = {field: True for field in _MACHINE_FIELDS}
    exclude["characters"] = {"__all__": {"prepared_blend"}}
    fields = job.model_dump(mode="json", exclude=exclude)
    return {"code": RENDER_CODE_VERSION, "job": fields, "files": _file_digests(job)}


def _file_digests(job: RenderJob) -> dict[str, str]:
    files = {c.name: file_digest(c.model) for c in job.characters if not c.model.startswith("builtin:")}
    hdri = job.location.world.hdri_path
    if hdri:
        files["hdri"] = file_digest(hdri)
    return files


def shot_data_version(job: RenderJob, memo: dict[int, str] | None = None) -> str:
    """The hash of :func:`shot_fingerprint`, with the set and the style hashed on their own (``memo``:
    their hashes by object, shared by the jobs of one production)."""
    memo = {} if memo is None else memo

    def hashed(part: StrictModel) -> str:
        if id(part) not in memo:
            memo[id(part)] = hash_json(part.model_dump(mode="json"))
        return memo[id(part)]

    exclude: dict[str, Any] = {field: True for field in (*_MACHINE_FIELDS, "location", "style")}
    exclude["characters"] = {"__all__": {"prepared_blend"}}
    fields = job.model_dump(mode="json", exclude=exclude)
    fields["location"], fields["style"] = hashed(job.location), hashed(job.style)
    return hash_json({"code": RENDER_CODE_VERSION, "job": fields, "files": _file_digests(job)})


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
