"""Wire every production found into one Dagster Definitions object."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import warnings
from pathlib import Path
from typing import Any

import dagster as dg

from production_assets.errors import ProductionError
from production_assets.export.atomic import write_text_atomic
from production_assets.loading.production_file import find_production_file, load_production
from production_assets.loading.resolve import slug_for_file
from production_assets.model.layout import Layout
from production_assets.orchestration.assets import ProductionNames, build_assets
from production_assets.orchestration.discovery import configured_paths, discover_productions
from production_assets.orchestration.production_loader import content_hash, production_files
from production_assets.orchestration.sensors import build_production_sensor


def production_names(path: Path) -> ProductionNames:
    """The names the graph is built from; cached in build/ by the files' content hash.

    Every run process and the UI load the code location, so its cost must not grow
    with the shot count: only a changed production is parsed again.
    """
    files = production_files(path)
    digest = content_hash(files)
    cache = Layout(files[0].parent).names_cache
    try:
        cached = json.loads(cache.read_text())
        if cached.get("digest") == digest:
            return ProductionNames(path=path, **cached["names"])
    except (OSError, ValueError, TypeError, KeyError):
        pass
    names = ProductionNames.from_config(path, load_production(path))
    shape = {key: value for key, value in dataclasses.asdict(names).items() if key != "path"}
    try:
        write_text_atomic(cache, json.dumps({"digest": digest, "names": shape}))
    except OSError:
        pass
    return names


QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def job_names(slug: str) -> dict[str, str]:
    return {"prepare": f"{slug}_prepare", "shots": f"{slug}_shots", "deliver": f"{slug}_deliver"}


def build_jobs(names: ProductionNames) -> list[dg.UnresolvedAssetJobDefinition]:
    slug = names.slug
    jobs = job_names(slug)
    prefix = dg.AssetSelection.key_prefixes([slug])
    prepare = (
        dg.AssetSelection.assets(names.key("production_config"))
        | dg.AssetSelection.key_prefixes([slug, "characters"])
        | dg.AssetSelection.key_prefixes([slug, "locations"])
    )
    shots = dg.AssetSelection.assets(names.key("shot_renders"), names.key("graded_shots"))
    deliver = dg.AssetSelection.key_prefixes([slug, "exports"]) | dg.AssetSelection.assets(names.key("manifest"))
    return [
        dg.define_asset_job(
            jobs["prepare"],
            selection=prepare & prefix,
            executor_def=dg.in_process_executor,
            description="Resolve the production and prepare its characters and locations.",
        ),
        dg.define_asset_job(
            jobs["shots"],
            selection=shots,
            executor_def=dg.in_process_executor,
            description="Render and grade shots (the render itself runs in a Pipes worker process).",
        ),
        dg.define_asset_job(
            jobs["deliver"],
            selection=deliver,
            executor_def=dg.in_process_executor,
            description="Encode every output, check it, and write the manifest and report.",
        ),
    ]


def production_slug_at(path: Path) -> str:
    """The slug (asset-key prefix, repository name) of the production at a file or folder; parses nothing."""
    return slug_for_file(find_production_file(Path(path)).resolve())


RESOURCES = {"pipes_subprocess_client": dg.PipesSubprocessClient()}


def configured_productions(paths: list[Path] | None = None) -> dict[str, Path]:
    """slug -> production file for the productions at `paths` (default: PRODUCTION_PATHS or the
    examples). The slug comes from the path alone, so finding one production parses none."""
    found: dict[str, Path] = {}
    for path in discover_productions(paths if paths is not None else configured_paths()):
        slug = slug_for_file(path)
        if slug in found:
            warnings.warn(f"production {path} is skipped: another production is named {slug!r}", stacklevel=2)
            continue
        found[slug] = path
    return found


def _production_definitions(path: Path) -> dict[str, Any]:
    """The keyword arguments of one production's Definitions: assets, jobs, sensor, resources."""
    try:
        names = production_names(path)
    except ProductionError as error:
        warnings.warn(f"production {path} does not load; its structure check says why: {error}", stacklevel=2)
        names = ProductionNames(slug_for_file(path), path, "(does not load)", [], [], [])
    jobs = build_jobs(names)
    return {
        "assets": build_assets(names),
        "jobs": jobs,
        "sensors": [build_production_sensor(names, job_names(names.slug), jobs[1:])],
        "resources": RESOURCES,
    }


def build_definitions(paths: list[Path] | None = None) -> dg.Definitions:
    """Every production at `paths` (default: PRODUCTION_PATHS or the examples) as one Definitions."""
    parts = [_production_definitions(path) for path in configured_productions(paths).values()]
    return dg.Definitions(
        assets=[asset for part in parts for asset in part["assets"]],
        jobs=[job for part in parts for job in part["jobs"]],
        sensors=[sensor for part in parts for sensor in part["sensors"]],
        resources=RESOURCES,
    )


def build_repository(slug: str, path: Path) -> dg.RepositoryDefinition:
    """One production as a repository named by its slug, for a code location that holds several."""
    return dg.create_repository_using_definitions_args(name=slug, **_production_definitions(path))


@functools.cache
def _configured_productions(production_paths: str) -> dict[str, Path]:
    return configured_productions(configured_paths(production_paths))


@functools.cache
def _repository(slug: str, path: Path) -> dg.RepositoryDefinition:
    return build_repository(slug, path)


def configured_slugs() -> list[str]:
    """The slugs of the productions in PRODUCTION_PATHS (found once per process and value)."""
    return list(_configured_productions(os.environ.get("PRODUCTION_PATHS", "")))


def production_repository(slug: str) -> dg.RepositoryDefinition | None:
    """The repository of the production `slug` in PRODUCTION_PATHS (built once per process), or None."""
    path = _configured_productions(os.environ.get("PRODUCTION_PATHS", "")).get(slug)
    return None if path is None else _repository(slug, path)
