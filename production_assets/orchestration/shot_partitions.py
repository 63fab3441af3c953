"""The shots step: render and grade every shot of a run's partitions, each shot recorded on its own.

A run of the shots job covers one shot (the UI, the sensor, ``dagster asset
materialize --partition``) or a range of them (``production run``'s batches,
the sensor's neighbouring edits, backfills), so Dagster's per-run bookkeeping is paid once
per range instead of once per shot. Each shot is recorded as soon as it is done:
a ``shot_renders`` materialization carrying the shot's own data version (and the
versions of the inputs it was built from), its ``check_frames`` evaluation, and
a ``graded_shots`` materialization. A failed shot does not stop the others: the
step fails at the end naming them, and a retry (RetryPolicy) redoes only the
shots this run has not recorded yet.

With a kept bpy worker (orchestration.render_workers) the next shot is already
queued on the worker while it renders one, so it goes on at once and renders
while this step checks, grades and records the shot before: Dagster's
bookkeeping of a shot overlaps the render of the next instead of adding to it.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from production_assets.loading.resolve import default_threads
from production_assets.model.render_job import RenderJob
from production_assets.model.resolved import ResolvedProduction
from production_assets.orchestration import shot_progress
from production_assets.orchestration.dagster_compat import (
    PipesExecutionError,
    data_version_of,
    record_partitions_one_by_one,
    version_tags,
)
from production_assets.orchestration.metadata import problems_markdown, thumbnail_markdown
from production_assets.orchestration.render_workers import WorkerRender, keep_worker
from production_assets.planning.versions import (
    GRADE_CODE_VERSION,
    RENDER_CODE_VERSION,
    graded_data_version,
    prepared_file,
    render_job,
    shot_fingerprint,
)
from production_assets.post.shot_grading import grade_shot
from production_assets.render.prepare_contract import ASSET_KEY_EXTRAS_KEY, LOCATION_BLEND_EXTRAS_KEY
from production_assets.render.shot_log import read_log_tail, render_log_file
from production_assets.settings import env_int
from production_assets.storage.atomic import write_text_atomic
from production_assets.storage.frames import list_frames, read_frame

FRAMES_CHECK = "check_frames"
SHOTS_PER_RUN_ENV = "PRODUCTION_SHOTS_PER_RUN"
DEFAULT_SHOTS_PER_RUN = 8
ShotEvent = dg.AssetMaterialization | dg.AssetCheckEvaluation


def shots_per_run() -> int:
    """How many shots a backfill puts in one run (PRODUCTION_SHOTS_PER_RUN, default 8)."""
    return env_int(SHOTS_PER_RUN_ENV, DEFAULT_SHOTS_PER_RUN)


def render_threads() -> int:
    """Threads per render worker: PRODUCTION_RENDER_THREADS, or the machine's cores."""
    return env_int("PRODUCTION_RENDER_THREADS", default_threads(1))


@dataclass(frozen=True)
class ShotKeys:
    render: dg.AssetKey
    graded: dg.AssetKey
    render_inputs: tuple[dg.AssetKey, ...]


class ShotFailed(Exception):
    """One shot could not be rendered or graded; `retryable` when trying again may help."""

    def __init__(self, message: str, retryable: bool):
        super().__init__(message)
        self.retryable = retryable


def frame_problems(folder: Path, expected: int, resolution: tuple[int, int]) -> list[str]:
    """What is wrong with a shot's rendered frames (empty when they are complete and plausible)."""
    frames = list_frames(folder)
    problems = [f"{len(frames)} frames, expected {expected}"] if len(frames) != expected else []
    for frame in frames:
        pixels = read_frame(frame)
        if pixels.shape[1::-1] != tuple(resolution):
            found, wanted = f"{pixels.shape[1]}x{pixels.shape[0]}", f"{resolution[0]}x{resolution[1]}"
            problems.append(f"{frame.name} is {found}, expected {wanted}")
        elif pixels.max() < 3:
            problems.append(f"{frame.name} is black")
        elif pixels.std() < 0.5:
            problems.append(f"{frame.name} is a flat colour")
    return problems


def run_shots(
    context: dg.AssetExecutionContext,
    client: dg.PipesSubprocessClient,
    production: ResolvedProduction,
    keys: ShotKeys,
) -> Iterator[ShotEvent]:
    """Render and/or grade (as selected) every shot of the run's partitions; see the module docstring."""
    instance = context.instance
    selected = context.selected_asset_keys
    inputs = {key: instance.get_latest_data_version_record(key) for key in keys.render_inputs}
    todo: list[tuple[str, list[dg.AssetKey]]] = []
    for shot_id in context.partition_keys:
        wanted = [key for key in (keys.render, keys.graded) if key in selected]
        if context.retry_number:
            wanted = [key for key in wanted if not _recorded_in_run(context, key, shot_id)]
        if wanted:
            todo.append((shot_id, wanted))
    keep = keep_worker(len(context.partition_keys))
    renders = _rendered_in_turn(
        [ShotRender(context, client, production, s, keys.render, keep) for s, wanted in todo if keys.render in wanted],
        ahead=2 if keep else 1,  # a kept worker has the next shot queued; a worker process is started per shot
    )
    failures: dict[str, ShotFailed] = {}
    try:
        for shot_id, wanted in todo:
            try:
                rendered: str | None = None
                if keys.render in wanted:
                    rendered = yield from next(renders).record(inputs)
                else:
                    shot_progress.shot_started(shot_id, context.run.run_id)
                if keys.graded in wanted:
                    yield from _grade(context, production, shot_id, keys, rendered)
            except ShotFailed as failure:
                failures[shot_id] = failure
            except Exception as error:  # noqa: BLE001 - one shot's surprise must not stop the others
                failures[shot_id] = ShotFailed(f"{type(error).__name__}: {error}", retryable=True)
            if shot_id in failures:
                context.log.error(f"shot {shot_id} failed: {failures[shot_id]}")
            failure = failures.get(shot_id)
            shot_progress.shot_finished(
                shot_id, context.run.run_id, "" if failure is None else str(failure) or "failed"
            )
    finally:
        renders.close()
    record_partitions_one_by_one(context)
    if failures:
        listed = "\n".join(f"{shot_id}: {failure}" for shot_id, failure in failures.items())
        raise dg.Failure(
            description=f"{len(failures)} of {len(context.partition_keys)} shot(s) failed:\n{listed}",
            allow_retries=any(failure.retryable for failure in failures.values()),
        )


def _recorded_in_run(context: dg.AssetExecutionContext, key: dg.AssetKey, shot_id: str) -> bool:
    record = context.instance.get_latest_data_version_record(key, partition_key=shot_id)
    return record is not None and record.run_id == context.run.run_id


def _render_request(
    production: ResolvedProduction, shot_id: str, asset_key: dg.AssetKey
) -> tuple[RenderJob, dict[str, object]]:
    """The shot's render job (also written to its version folder) and the Pipes extras that carry it."""
    if shot_id not in {shot.id for shot in production.shots}:
        raise ShotFailed(f"shot {shot_id!r} is no longer in {Path(production.root_file).name}", retryable=False)
    job = render_job(production, shot_id, render_threads())
    write_text_atomic(production.layout.render_job_file(shot_id, job.data_version), job.model_dump_json(indent=2))
    extras: dict[str, object] = {"job": job.model_dump(mode="json"), ASSET_KEY_EXTRAS_KEY: asset_key.to_user_string()}
    location_blend = prepared_file(production, "location", job.location_name)
    if location_blend.is_file() and not production.shot(shot_id).props:  # shot props change the set: built there
        extras[LOCATION_BLEND_EXTRAS_KEY] = str(location_blend)
    return job, extras


class ShotRender:
    """One shot's render: :meth:`start` writes its job and hands it to a worker, :meth:`finish` waits for it
    (either keeps why the shot could not be rendered in ``failure`` instead of raising), :meth:`record` records
    it."""

    def __init__(
        self,
        context: dg.AssetExecutionContext,
        client: dg.PipesSubprocessClient,
        production: ResolvedProduction,
        shot_id: str,
        asset_key: dg.AssetKey,
        keep: bool,
    ) -> None:
        self.context, self.client, self.production, self.shot_id = context, client, production, shot_id
        self.asset_key, self.keep = asset_key, keep
        self.job: RenderJob | None = None
        self.results: Sequence[dg.MaterializeResult | dg.AssetCheckResult] = ()
        self.failure: ShotFailed | None = None
        self._worker: WorkerRender | None = None

    def start(self) -> None:
        try:
            self.job, extras = _render_request(self.production, self.shot_id, self.asset_key)
            self._worker = WorkerRender(self.context, self.client, extras, self.keep)
        except Exception as error:  # noqa: BLE001 - kept for this shot's turn
            self.failure = self._failure(error)

    def announce(self) -> None:
        """Tell whoever follows the run that the worker is on this shot now."""
        shot_progress.shot_started(self.shot_id, self.context.run.run_id)

    def finish(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            try:
                self.results = worker.result().get_results()
            except Exception as error:  # noqa: BLE001 - kept for this shot's turn
                self.failure = self._failure(error)

    def abandon(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.abandon()

    def record(self, inputs: Mapping[dg.AssetKey, dg.EventLogRecord | None]) -> Generator[ShotEvent, None, str]:
        """Record the finished render and check its frames (raising why the shot failed, if it did); returns the
        shot's data version. ``inputs``: the records of the render's inputs, for its provenance."""
        if self.failure is not None:
            raise self.failure
        job = self.job
        assert job is not None
        shot_id = self.shot_id
        fingerprint = self.production.layout.fingerprint_file(shot_id, job.data_version)
        write_text_atomic(fingerprint, json.dumps(shot_fingerprint(job), indent=2))
        shot = self.production.shot(shot_id)
        reported = next((dict(r.metadata or {}) for r in self.results if r.asset_key == self.asset_key), {})
        yield dg.AssetMaterialization(
            self.asset_key,
            partition=shot_id,
            metadata={**reported, "review_status": shot.status, "notes": shot.notes or "-"},
            tags=version_tags(job.data_version, RENDER_CODE_VERSION, inputs),
        )
        problems = frame_problems(Path(job.frames_dir), job.frame_count, job.resolution)
        yield dg.AssetCheckEvaluation(
            asset_key=self.asset_key,
            check_name=FRAMES_CHECK,
            passed=not problems,
            partition=shot_id,
            blocking=True,
            metadata={"problems": problems_markdown(problems)},
        )
        if problems:
            raise ShotFailed(f"{FRAMES_CHECK} failed: {'; '.join(problems)}", retryable=False)
        return job.data_version

    def _failure(self, error: Exception) -> ShotFailed:
        if isinstance(error, ShotFailed):
            return error
        if not isinstance(error, PipesExecutionError) or self.job is None:
            return ShotFailed(f"{type(error).__name__}: {error}", retryable=True)
        tail = read_log_tail(render_log_file(self.job.frames_dir), lines=12) or "(no render.log)"
        reasons = [line.removeprefix("==== failed: ") for line in tail.splitlines() if line.startswith("==== failed:")]
        reason = reasons[-1] if reasons else str(error)
        log = self.production.layout.render_log(self.shot_id, self.job.data_version)
        return ShotFailed(f"render worker failed: {reason}\nlast lines of {log}:\n{tail}", retryable=True)


def _rendered_in_turn(renders: list[ShotRender], ahead: int) -> Generator[ShotRender, None, None]:
    """The renders in order, each finished. ``ahead`` of them are handed to the worker at a time, so a kept worker
    goes on to the next shot at once and renders it while the caller records the last; closing this gives up on
    the ones handed over and not finished."""
    try:
        for render in renders[:ahead]:
            render.start()
        for index, render in enumerate(renders):
            if index == 0:
                render.announce()
            render.finish()
            if index + 1 < len(renders):
                renders[index + 1].announce()  # the worker goes on to it now
            if index + ahead < len(renders):
                renders[index + ahead].start()
            yield render
    finally:
        for render in renders:
            render.abandon()


def _grade(
    context: dg.AssetExecutionContext,
    production: ResolvedProduction,
    shot_id: str,
    keys: ShotKeys,
    render_version: str | None,
) -> Iterator[ShotEvent]:
    """Grade the frames of ``render_version`` (just rendered), else of the version Dagster recorded."""
    rendered = context.instance.get_latest_data_version_record(keys.render, partition_key=shot_id)
    if render_version is None:
        render_version = (
            data_version_of(rendered.asset_materialization.tags)
            if rendered and rendered.asset_materialization
            else None
        )
    if render_version is None:
        raise ShotFailed(f"shot {shot_id!r} has not been rendered yet: materialize shot_renders first", retryable=False)
    graded_version = graded_data_version(render_version, production)
    try:
        graded = grade_shot(production, shot_id, render_version, graded_version)
    except Exception as error:  # noqa: BLE001 - reported per shot
        raise ShotFailed(str(error), retryable=False) from None
    yield dg.AssetMaterialization(
        keys.graded,
        partition=shot_id,
        metadata={
            "frames": graded.frames,
            "graded_dir": dg.MetadataValue.path(str(graded.folder)),
            "thumbnail": thumbnail_markdown(graded.thumbnail, shot_id),
        },
        tags=version_tags(graded_version, GRADE_CODE_VERSION, {keys.render: rendered}),
    )
