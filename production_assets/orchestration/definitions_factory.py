"""Turn productions into Dagster definitions: one production's (``production_definitions``, what
ProductionComponent builds) and every configured production's in one Definitions (``build_definitions``,
the code location's ``defs``)."""

from __future__ import annotations

import dataclasses
import json
import warnings
from pathlib import Path

import dagster as dg

from production_assets.errors import ProductionError
from production_assets.loading.production_file import find_production_file, load_production
from production_assets.loading.resolve import slug_for_file
from production_assets.model.layout import Layout
from production_assets.orchestration.assets import ProductionNames, build_assets
from production_assets.orchestration.discovery import configured_paths, discover_productions
from production_assets.orchestration.sensors import build_production_sensor
from production_assets.planning.production_loader import content_hash, load_validated, production_files
from production_assets.storage.atomic import write_text_atomic


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
    try:  # in a run's own process the production is loaded already: its names cost nothing more
        loaded = load_validated(path)
        names = ProductionNames(path=path, slug=production_slug_at(path), title=loaded.title, **loaded.shape)
    except ProductionError:  # it does not validate: the names of what it says, for its failing checks
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
    """The slug (asset-key prefix, group and job-name prefix) of the production at a file or folder; parses nothing."""
    return slug_for_file(find_production_file(Path(path)).resolve())


# One object for every production: Definitions.merge (and a project merging several ProductionComponents)
# accepts a resource key twice only when it is the same object.
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


def production_definitions(path: Path) -> dg.Definitions:
    """One production's assets, checks, jobs, sensor and the resource they use.

    A production that does not load (unreadable YAML, schema errors) still gets its
    ``production_config`` asset, whose ``check_structure`` says why, so one broken
    file never takes down the code location that holds it.
    """
    try:
        names = production_names(path)
    except ProductionError as error:
        warnings.warn(f"production {path} does not load; its structure check says why: {error}", stacklevel=2)
        names = ProductionNames(slug_for_file(path), path, "(does not load)", [], [], [])
    jobs = build_jobs(names)
    return dg.Definitions(
        assets=build_assets(names),
        jobs=jobs,
        sensors=[build_production_sensor(names, job_names(names.slug), jobs[1:])],
        resources=RESOURCES,
    )


def build_definitions(paths: list[Path] | None = None) -> dg.Definitions:
    """Every production at `paths` (default: PRODUCTION_PATHS or the examples) as one Definitions."""
    parts = [production_definitions(path) for path in configured_productions(paths).values()]
    return dg.Definitions.merge(dg.Definitions(resources=RESOURCES), *parts)
