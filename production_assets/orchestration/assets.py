"""The asset graph of one production.

``production_config`` -> ``characters/<name>``, ``locations/<name>`` ->
``shot_renders`` (a partition per shot) -> ``graded_shots`` (same partitions)
-> ``exports/<output>`` -> ``manifest``. The two shot assets are one step
(orchestration.shot_partitions) so a run can cover a range of shots. Bodies are
thin: they call the library (render worker through Pipes, post, export) and
report metadata.
"""

import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import dagster as dg
from dagster import AssetExecutionContext

from production_assets.errors import ProductionError, ValidationFailedError
from production_assets.export.deliver import Delivered, deliver_output
from production_assets.export.manifest import write_manifest
from production_assets.export.report import write_report
from production_assets.export.verify import verify_output
from production_assets.hashing import file_digest, hash_json, hash_text
from production_assets.loading.resolve import production_slug
from production_assets.model.layout import safe_name
from production_assets.model.production import ProductionConfig
from production_assets.model.records import PreparedRecord
from production_assets.model.resolved import ResolvedProduction
from production_assets.model.results import ValidationIssue
from production_assets.orchestration.dagster_compat import PipesExecutionError
from production_assets.orchestration.metadata import issues_markdown, problems_markdown
from production_assets.orchestration.run_tags import shot_partitions_name
from production_assets.orchestration.shot_partitions import FRAMES_CHECK, ShotEvent, ShotKeys, run_shots, shots_per_run
from production_assets.orchestration.staleness import plan_production, recorded_versions
from production_assets.planning.production_loader import (
    SHAPE_KINDS,
    GraphShape,
    LoadedProduction,
    graph_shape,
    load_validated,
)
from production_assets.planning.versions import (
    GRADE_CODE_VERSION,
    PREPARE_CODE_VERSION,
    RENDER_CODE_VERSION,
    character_looks,
    prepared_file,
)
from production_assets.render.prepare_contract import (
    ASSET_KEY_EXTRAS_KEY,
    PREPARE_COMMAND_MODULE,
    PREPARE_EXTRAS_KEY,
    PrepareJob,
    character_prepare_job,
    location_prepare_job,
)
from production_assets.settings import env_int
from production_assets.storage.atomic import resume_publishing, stop_publishing, write_text_atomic
from production_assets.validation.validators import CHECK_FAMILIES, issue_from_error

OWNERS = ["team:production"]
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class ProductionNames:
    """What the graph's shape depends on; read from the YAML at definition time."""

    slug: str
    path: Path
    title: str
    characters: list[str]
    locations: list[str]
    outputs: list[str]

    @classmethod
    def from_config(cls, path: Path, config: ProductionConfig) -> "ProductionNames":
        return cls(slug=production_slug(config), path=path, title=config.title, **graph_shape(config))

    @property
    def shape(self) -> GraphShape:
        return {kind: getattr(self, kind) for kind in SHAPE_KINDS}

    def key(self, *parts: str) -> dg.AssetKey:
        return dg.AssetKey([self.slug, *parts])

    def spec(
        self, key: dg.AssetKey, deps: Sequence[dg.AssetKey], kind: str, description: str, **more: Any
    ) -> dg.AssetSpec:
        """An asset of this production's group."""
        return dg.AssetSpec(
            key, group_name=self.slug, owners=OWNERS, deps=deps, kinds={kind}, description=description, **more
        )

    @property
    def partitions(self) -> dg.DynamicPartitionsDefinition:
        return dg.DynamicPartitionsDefinition(name=shot_partitions_name(self.slug))


def _loaded(path: Path) -> LoadedProduction:
    try:
        return load_validated(path)
    except ProductionError as error:
        raise dg.Failure(description=str(error), allow_retries=False) from None


def production_issues(path: Path) -> list[ValidationIssue]:
    """Every issue of the production, load errors included."""
    try:
        return load_validated(path).validation.issues
    except ValidationFailedError as error:
        return error.result.issues  # type: ignore[attr-defined]
    except ProductionError as error:
        return [issue_from_error(error, path)]


def family_check_results(issues: list[ValidationIssue]) -> Iterator[dg.AssetCheckResult]:
    for family in CHECK_FAMILIES:
        found = [issue for issue in issues if issue.family == family]
        errors = [issue for issue in found if issue.severity == "error"]
        # Warnings fail the check at WARN severity: yellow in the UI, blocking nothing.
        yield dg.AssetCheckResult(
            check_name=f"check_{family}",
            passed=not errors and not any(issue.severity == "warning" for issue in found),
            severity=dg.AssetCheckSeverity.ERROR if errors else dg.AssetCheckSeverity.WARN,
            metadata={
                "errors": len(errors),
                "warnings": sum(issue.severity == "warning" for issue in found),
                "issues": issues_markdown(found),
            },
        )


def _resolved(path: Path):  # type: ignore[no-untyped-def]
    loaded = _loaded(path)
    if loaded.resolved is None:
        raise dg.Failure(
            description=f"{path} is invalid ({len(loaded.validation.errors)} errors); nothing was rendered",
            metadata={"issues": issues_markdown(loaded.validation.errors)},
            allow_retries=False,
        )
    return loaded.resolved


def prepare_job(production: ResolvedProduction, kind: str, name: str) -> PrepareJob:
    """The bpy job that builds a character's or location's prepared .blend."""
    target = prepared_file(production, kind, name)
    if kind == "character":
        character = production.characters[name]
        looks = character_looks(production, name)
        version = hash_json(
            [
                PREPARE_CODE_VERSION,
                character.model_dump(mode="json"),
                file_digest(character.model) if not character.model.startswith("builtin:") else "builtin",
                {k: v.model_dump(mode="json") for k, v in looks.items()},
            ]
        )
        return character_prepare_job(name, character.model, looks, target, version)
    location = production.locations[name]
    version = hash_json([PREPARE_CODE_VERSION, location.model_dump(mode="json")])
    return location_prepare_job(name, location.preset, target, version)


def _prepared_is_current(record: Path, blend: Path, version: str) -> bool:
    try:
        return PreparedRecord.model_validate_json(record.read_bytes()).data_version == version and blend.is_file()
    except (OSError, ValueError):
        return False


def departments_current(production: ResolvedProduction) -> bool:
    """Whether every character's and location's prepared .blend was built from its current inputs: a prepare
    run then builds nothing, it only records them and the resolved production."""
    for kind, names in (("character", production.characters), ("location", production.locations)):
        for name in names:
            job = prepare_job(production, kind, name)
            record = production.layout.prepared_record(kind, name)
            if not _prepared_is_current(record, Path(job.output_blend), job.data_version):
                return False
    return True


def build_assets(names: ProductionNames) -> list[dg.AssetsDefinition]:
    path = names.path
    slug = names.slug
    group = slug
    partitions = names.partitions

    @dg.asset(
        key=names.key("production_config"),
        group_name=group,
        owners=OWNERS,
        kinds={"yaml"},
        code_version="1",
        check_specs=[
            dg.AssetCheckSpec(
                f"check_{family}",
                asset=names.key("production_config"),
                blocking=True,
                description=f"The production's {family} are valid; an error blocks everything downstream.",
            )
            for family in CHECK_FAMILIES
        ],
        description=f"The resolved production '{names.title}' ({path}): presets, templates and shots resolved. "
        "Its checks are the validator families; an invalid production records nothing and renders nothing.",
    )
    def production_config(context: AssetExecutionContext) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
        issues = production_issues(path)
        errors = [issue for issue in issues if issue.severity == "error"]
        if errors:
            yield from family_check_results(issues)
            raise dg.Failure(
                description=f"{path} is invalid ({len(errors)} errors); nothing was rendered. "
                f"First: {errors[0].format()}",
                metadata={"issues": issues_markdown(errors)},
                allow_retries=False,
            )
        resolved = _resolved(path)
        document = resolved.model_dump_json(indent=2)  # pydantic's own writer: ~8x json.dumps at 10,000 shots
        target = resolved.layout.resolved_config
        write_text_atomic(target, document)
        yield dg.MaterializeResult(
            data_version=dg.DataVersion(hash_text(document)),
            metadata={
                "title": resolved.title,
                "shots": len(resolved.shots),
                "frames": resolved.total_frames,
                "resolution": "x".join(map(str, resolved.render.resolution)),
                "file": dg.MetadataValue.path(resolved.root_file),
                "resolved_config": dg.MetadataValue.path(str(target)),
            },
        )
        yield from family_check_results(issues)

    department_keys = {
        names.key(kind, safe_name(name)): (kind[:-1], name)
        for kind, listed in (("characters", names.characters), ("locations", names.locations))
        for name in listed
    }
    departments = [_departments_asset(names, production_config.key, department_keys)] if department_keys else []

    keys = ShotKeys(
        render=names.key("shot_renders"),
        graded=names.key("graded_shots"),
        render_inputs=(production_config.key, *department_keys),
    )

    @dg.multi_asset(
        name=names.key("shots").to_python_identifier(),
        specs=[
            names.spec(
                keys.render,
                keys.render_inputs,
                "blender",
                "Frames of one shot rendered by Blender in a worker process (Dagster Pipes); resumes per frame. "
                "A run may cover a range of shots; each is recorded on its own.",
                code_version=RENDER_CODE_VERSION,
                skippable=True,
            ),
            names.spec(
                keys.graded,
                [keys.render],
                "numpy",
                "The shot's frames graded with the production's style (one compiled pass a frame), plus a thumbnail.",
                code_version=GRADE_CODE_VERSION,
                skippable=True,
            ),
        ],
        check_specs=[
            dg.AssetCheckSpec(
                FRAMES_CHECK,
                asset=keys.render,
                blocking=True,
                description="Every frame is there, at the render resolution, and none is black or empty.",
            )
        ],
        partitions_def=partitions,
        can_subset=True,
        retry_policy=dg.RetryPolicy(max_retries=env_int("PRODUCTION_RENDER_RETRIES", 1, minimum=0)),
        backfill_policy=dg.BackfillPolicy.multi_run(shots_per_run()),
    )
    def shots(context: AssetExecutionContext, pipes_subprocess_client: dg.PipesSubprocessClient) -> Iterator[ShotEvent]:
        yield from run_shots(context, pipes_subprocess_client, _resolved(path), keys)

    exports = [_exports_asset(names, names.outputs, keys.graded)] if names.outputs else []

    @dg.asset(
        key=names.key("manifest"),
        group_name=group,
        owners=OWNERS,
        deps=exports,
        kinds={"json"},
        description="manifest.json (every deliverable that passed its checks: size, sha256, media facts, source "
        "versions) and report.html (thumbnails, contact sheet, timings, warnings, links).",
    )
    def manifest(context: AssetExecutionContext) -> dg.MaterializeResult:
        loaded = _loaded(path)
        resolved = loaded.require_resolved()
        written = write_manifest(resolved)
        published = recorded_versions(context.instance, resolved.slug)
        plan = plan_production(context.instance, resolved, known_versions=loaded.versions)
        held = {shot.shot_id: shot.reason for shot in plan.shots if shot.locked}
        warnings = [issue.format() for issue in loaded.validation.warnings]
        report = write_report(resolved, warnings, published, locked_stale=held)
        return dg.MaterializeResult(
            metadata={
                "manifest": dg.MetadataValue.path(str(written.path)),
                "report": dg.MetadataValue.path(str(report)),
                "deliverables": written.count,
                "excluded": ", ".join(written.excluded) or "none",
            },
            data_version=dg.DataVersion(written.digest),
        )

    return [production_config, *departments, shots, *exports, manifest]


def _departments_asset(
    names: ProductionNames, config_key: dg.AssetKey, departments: dict[dg.AssetKey, tuple[str, str]]
) -> dg.AssetsDefinition:
    """Every character and location as one step that prepares the selected ones side by side
    (one bpy process each, as many at once as there are cores)."""
    path = names.path

    @dg.multi_asset(
        name=names.key("departments").to_python_identifier(),
        specs=[
            names.spec(
                key,
                [config_key],
                "blender",
                f"Prepared {kind} '{name}' as a .blend (model and every wardrobe look, or the set, lights and "
                "world), built once by a bpy worker (Dagster Pipes) and appended by every shot.",
            )
            for key, (kind, name) in departments.items()
        ],
        can_subset=True,
    )
    def prepare_departments(
        context: AssetExecutionContext, pipes_subprocess_client: dg.PipesSubprocessClient
    ) -> Iterator[dg.MaterializeResult]:
        resolved = _resolved(path)
        todo = [key for key in departments if key in context.selected_asset_keys]

        def prepare(key: dg.AssetKey) -> dg.MaterializeResult | str:
            kind, name = departments[key]
            # A client per thread: a client's message reader is not meant to serve two sessions at once.
            client = dg.PipesSubprocessClient(env=pipes_subprocess_client.env, cwd=pipes_subprocess_client.cwd)
            return _prepare_department(context, client, resolved, kind, name, key)

        outcomes = [outcome for _, outcome in _side_by_side(prepare, todo)]
        failures = [outcome for outcome in outcomes if isinstance(outcome, str)]
        yield from (outcome for outcome in outcomes if not isinstance(outcome, str))
        if failures:
            raise dg.Failure(description="\n".join(failures), allow_retries=False)

    return prepare_departments


def _prepare_department(
    context: AssetExecutionContext,
    client: dg.PipesSubprocessClient,
    production: ResolvedProduction,
    kind: str,
    name: str,
    key: dg.AssetKey,
) -> dg.MaterializeResult | str:
    """Build one prepared .blend unless it is current; the result, or why it failed."""
    job = prepare_job(production, kind, name)
    record = production.layout.prepared_record(kind, name)
    metadata: dict[str, object] = {"blend": dg.MetadataValue.path(job.output_blend)}
    if not _prepared_is_current(record, Path(job.output_blend), job.data_version):
        try:
            reported = client.run(
                command=[sys.executable, "-m", PREPARE_COMMAND_MODULE],
                context=context,
                extras={PREPARE_EXTRAS_KEY: job.model_dump(mode="json"), ASSET_KEY_EXTRAS_KEY: key.to_user_string()},
            ).get_results()
        except PipesExecutionError:
            source = job.character.model if job.character else f"the {name} set"
            return f"{kind} {name!r} could not be prepared: Blender could not build it from {source}"
        write_text_atomic(record, PreparedRecord(data_version=job.data_version).model_dump_json())
        metadata.update(next((dict(r.metadata or {}) for r in reported if r.asset_key == key), {}))
    return dg.MaterializeResult(asset_key=key, data_version=dg.DataVersion(job.data_version), metadata=metadata)


_MANIFEST_LOCK = threading.Lock()


def _exports_asset(names: ProductionNames, outputs: list[str], graded_shots: dg.AssetKey) -> dg.AssetsDefinition:
    """Every output as one step that builds the selected ones side by side (as many at once as cores),
    each with its blocking deliverable check."""
    path = names.path
    keys = {names.key("exports", safe_name(output)): output for output in outputs}

    @dg.multi_asset(
        name=names.key("exports").to_python_identifier(),
        specs=[
            names.spec(
                key,
                [graded_shots],
                "video",
                f"The '{output}' deliverable, built from every graded shot in film order (film, per-shot clips "
                "and editorial timelines for video; frames, GIF, sprite sheet and palette for retro).",
            )
            for key, output in keys.items()
        ],
        check_specs=[
            dg.AssetCheckSpec(
                "check_deliverable",
                asset=key,
                blocking=True,
                description="Codec, profile, resolution, frame rate, frame count (and palette for retro) as specified.",
            )
            for key in keys
        ],
        can_subset=True,
    )
    def build_exports(context: AssetExecutionContext) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
        resolved = _resolved(path)
        todo = [key for key in keys if key in context.selected_asset_keys]
        failures: list[str] = []
        published = recorded_versions(context.instance, resolved.slug).graded_for([shot.id for shot in resolved.shots])
        for key, outcome in _deliver_side_by_side(resolved, published, [(key, keys[key]) for key in todo]):
            if isinstance(outcome, ProductionError):
                failures.append(str(outcome))
                continue
            delivered, problems = outcome
            output = next(o for o in resolved.outputs if o.name == keys[key])
            yield dg.MaterializeResult(
                asset_key=key,
                data_version=dg.DataVersion(delivered.digest),
                metadata={
                    "files": len(delivered.files),
                    "main_file": dg.MetadataValue.path(str(delivered.files[0])) if delivered.files else "",
                    "frames": delivered.frames,
                    "codec": output.codec,
                    "resolution": "x".join(map(str, output.resolution)),
                },
            )
            yield dg.AssetCheckResult(
                asset_key=key,
                check_name="check_deliverable",
                passed=not problems,
                metadata={"problems": problems_markdown(problems)},
            )
        if failures:
            raise dg.Failure(description="\n".join(failures))

    return build_exports


DeliverOutcome = tuple[Delivered, list[str]] | ProductionError


def _side_by_side(work: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[T, R]]:
    """``(item, work(item))`` in order, as many at once as there are cores (threads: the work
    waits on bpy processes or encoders). One item runs in this thread, so an interrupt stops it
    where it is; with several, the caller decides what an interrupt means for the others."""
    if len(items) <= 1:
        yield from ((item, work(item)) for item in items)
        return
    pool = ThreadPoolExecutor(max_workers=min(len(items), os.cpu_count() or 1))
    futures = [(item, pool.submit(work, item)) for item in items]
    try:
        for item, future in futures:
            yield item, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _deliver_side_by_side(
    production: ResolvedProduction, published: dict[str, str], outputs: list[tuple[dg.AssetKey, str]]
) -> Iterator[tuple[dg.AssetKey, DeliverOutcome]]:
    """Build the outputs side by side; an interrupt stops publishing, so the others give up at their
    next frame and no file outlives its manifest."""

    def outcome(output: tuple[dg.AssetKey, str]) -> DeliverOutcome:
        try:
            return _deliver(production, published, output[1])
        except ProductionError as error:
            return error

    resume_publishing()
    try:
        for (key, _), result in _side_by_side(outcome, outputs):
            yield key, result
    except BaseException:
        stop_publishing()
        raise


def _deliver(
    production: ResolvedProduction, published: dict[str, str], output_name: str
) -> tuple[Delivered, list[str]]:
    """Build one output and check it; a failed check takes it out of the current manifest at once
    (the check blocks the manifest step)."""
    output = next(o for o in production.outputs if o.name == output_name)
    delivered = deliver_output(production, output, published)
    problems = verify_output(production, output)
    if problems:
        with _MANIFEST_LOCK:
            write_manifest(production)
    return delivered, problems
