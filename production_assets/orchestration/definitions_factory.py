"""Wire every production found into one Dagster Definitions object."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import dagster as dg

from production_assets.errors import ProductionError
from production_assets.export.atomic import write_text_atomic
from production_assets.loading.production_file import load_production
from production_assets.loading.resolve import production_slug, slug_for_file
from production_assets.orchestration.assets import ProductionNames, build_assets
from production_assets.orchestration.discovery import configured_paths, discover_productions
from production_assets.orchestration.production_loader import content_hash, production_files
from production_assets.orchestration.sensors import build_production_sensor

NAMES_CACHE = "definitions_names.json"


def production_names(path: Path) -> ProductionNames:
    """The names the graph is built from; cached in build/ by the files' content hash.

    Every run process and the UI load the code location, so its cost must not grow
    with the shot count: only a changed production is parsed again.
    """
    files = production_files(path)
    digest = content_hash(files)
    cache = files[0].parent / "build" / NAMES_CACHE
    try:
        cached = json.loads(cache.read_text())
        if cached.get("digest") == digest:
            return ProductionNames(path=path, **cached["names"])
    except (OSError, ValueError, TypeError, KeyError):
        pass
    config = load_production(path)
    names = {
        "slug": production_slug(config),
        "title": config.title,
        "characters": [c.name for c in config.characters],
        "locations": [loc.name for loc in config.locations],
        "outputs": [o.output_name for o in config.outputs],
    }
    try:
        write_text_atomic(cache, json.dumps({"digest": digest, "names": names}))
    except OSError:
        pass
    return ProductionNames(path=path, **names)


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


def build_definitions(paths: list[Path] | None = None) -> dg.Definitions:
    """Definitions for the productions at `paths` (default: PRODUCTION_PATHS or the examples)."""
    assets: list[dg.AssetsDefinition] = []
    jobs: list[dg.UnresolvedAssetJobDefinition] = []
    sensors: list[dg.SensorDefinition] = []
    seen: set[str] = set()
    for path in discover_productions(paths if paths is not None else configured_paths()):
        try:
            names = production_names(path)
        except ProductionError as error:
            warnings.warn(f"production {path} does not load; its structure check says why: {error}", stacklevel=2)
            names = ProductionNames(slug_for_file(path), path, "(does not load)", [], [], [])
        if names.slug in seen:
            warnings.warn(f"production {path} is skipped: another production is named {names.slug!r}", stacklevel=2)
            continue
        seen.add(names.slug)
        assets.extend(build_assets(names))
        production_jobs = build_jobs(names)
        jobs.extend(production_jobs)
        sensors.append(build_production_sensor(names, job_names(names.slug), production_jobs[1:]))
    return dg.Definitions(
        assets=assets,
        jobs=jobs,
        sensors=sensors,
        resources={"pipes_subprocess_client": dg.PipesSubprocessClient()},
    )
