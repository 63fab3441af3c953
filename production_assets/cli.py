"""production: turn a film described in YAML into rendered, graded, exported footage.

PATH is a production YAML file or a production folder. Exit codes: 0 ok,
1 failed work or invalid production, 2 usage error or unreadable input.
`--json` prints one JSON document on stdout; logs go to stderr.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from production_assets.errors import ConfigError, ProductionError, ValidationFailedError
from production_assets.model.results import ValidationResult

if TYPE_CHECKING:
    from production_assets.engine.batch_process import BatchProcess

F = TypeVar("F", bound=Callable[..., Any])
TEMPLATES = ("short_film", "commercial", "game_assets")
SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}


def _print_issues(result: ValidationResult) -> None:
    colour = sys.stdout.isatty()
    for issue in result.issues:
        line = issue.format()
        click.echo(click.style(line, fg=SEVERITY_COLOURS[issue.severity]) if colour else line)


def user_errors(func: F) -> F:
    """User mistakes print one clear message and exit 1 or 2; never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from production_assets.loading.production_file import SchemaError

        try:
            return func(*args, **kwargs)
        except SchemaError as error:
            _print_issues(error.result)
            sys.exit(1)
        except ValidationFailedError as error:
            if isinstance(error.result, ValidationResult):
                _print_issues(error.result)
            click.echo(f"error: {error.message}", err=True)
            sys.exit(1)
        except ConfigError as error:
            click.echo(str(error), err=True)
            sys.exit(2)
        except ProductionError as error:
            click.echo(str(error), err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def _emit_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, default=str))


@click.group(help=__doc__)
def cli() -> None:
    """Entry point."""


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the ValidationResult as JSON.")
@click.option("--strict", is_flag=True, help="Warnings fail the validation too.")
def validate(path: Path, as_json: bool, strict: bool) -> None:
    """Check a production and print every issue with file:line:col and a fix."""
    from production_assets.validation.validators import issue_from_error, validate_file

    try:
        result, _ = validate_file(path)
        code = 0 if result.is_valid(strict) else 1
    except ConfigError as error:
        result, code = ValidationResult(production=str(path), issues=[issue_from_error(error, path)]), 2
    if as_json:
        _emit_json({**result.model_dump(mode="json"), "valid": code == 0})
    else:
        _print_issues(result)
        summary = f"{len(result.errors)} error(s), {len(result.warnings)} warning(s)"
        click.echo(("valid: " if code == 0 else "invalid: ") + summary, err=True)
    sys.exit(code)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@user_errors
def info(path: Path, as_json: bool) -> None:
    """Summarise a production: characters, locations, shots, frames, outputs."""
    from production_assets.planning.production_loader import load_validated

    loaded = load_validated(path)
    production = loaded.require_resolved()
    summary = {
        "title": production.title,
        "slug": production.slug,
        "file": production.root_file,
        "characters": list(production.characters),
        "locations": [
            {"name": loc.name, "set": loc.preset_name, "seed": loc.seed, "reason": loc.reason, "weather": loc.weather}
            for loc in production.locations.values()
        ],
        "shots": [
            {
                "id": s.id,
                "template": s.template_name,
                "scene": s.scene,
                "frames": s.frame_count,
                "location": s.location,
                "time_of_day": s.time_of_day,
                "generated": s.generated,
                "script_line": s.script_line,
            }
            for s in production.shots
        ],
        "frames": production.total_frames,
        "resolution": list(production.render.resolution),
        "outputs": [{"name": o.name, "format": o.format_name, "path": o.path} for o in production.outputs],
    }
    if as_json:
        _emit_json(summary)
        return
    click.echo(f"{production.title} ({production.slug}) — {production.root_file}")
    click.echo(f"  characters: {', '.join(production.characters) or '-'}")
    click.echo("  locations:")
    for location in production.locations.values():
        seed = f", seed {location.seed}" if location.seed is not None else ""
        click.echo(f"    {location.name:30s} {location.preset_name}{seed} ({location.reason})")
    click.echo(
        f"  shots:      {len(production.shots)} "
        f"({production.total_frames} frames at {production.render.frame_rate:g} fps)"
    )
    for shot in production.shots:
        origin = f"  from the script (line {shot.script_line})" if shot.generated else ""
        click.echo(f"    {shot.id:40s} {shot.frame_count:5d} frames  {shot.location} ({shot.time_of_day}){origin}")
    click.echo("  outputs:    " + ", ".join(f"{o.name} ({o.format_name}) -> {o.path}" for o in production.outputs))


@cli.command(name="list")
@click.argument("directory", required=False, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True)
def list_productions(directory: Path | None, as_json: bool) -> None:
    """List the productions in DIR (default: the current folder, else the examples)."""
    from production_assets.orchestration.discovery import default_production_paths, discover_productions
    from production_assets.planning.production_loader import load_validated

    paths = (
        discover_productions([directory])
        if directory
        else discover_productions([Path.cwd()]) or discover_productions(default_production_paths())
    )
    rows = []
    for path in paths:
        try:
            loaded = load_validated(path)
            rows.append(
                {
                    "name": path.parent.name,
                    "path": str(path),
                    "title": loaded.title,
                    "shots": loaded.shot_count,
                    "valid": loaded.validation.is_valid(),
                }
            )
        except ProductionError as error:
            rows.append(
                {
                    "name": path.parent.name,
                    "path": str(path),
                    "title": None,
                    "shots": 0,
                    "valid": False,
                    "error": str(error),
                }
            )
    if as_json:
        _emit_json(rows)
        return
    for row in rows:
        state = "ok" if row["valid"] else "INVALID"
        click.echo(f"{state:8s} {row['title'] or '?':30s} {row['shots']:4d} shots  {row['path']}")


@cli.command()
@click.argument("name")
@click.option("--template", type=click.Choice(TEMPLATES), default="short_film", show_default=True)
@user_errors
def create(name: str, template: str) -> None:
    """Start a new production folder NAME from a template."""
    from production_assets.loading.templates import create_production

    created = create_production(Path(name), template)
    click.echo(f"created {created} — next: production validate {name} && production run {name}")


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--validate-only", is_flag=True, help="Validate and stop.")
@click.option("--dry-run", is_flag=True, help="Print the plan and change nothing.")
@click.option(
    "--resume",
    is_flag=True,
    help="Continue the last run's plan (its --only shots); refused when its shots changed since. "
    "Every run skips finished frames and up-to-date shots anyway.",
)
@click.option("--parallel", type=click.IntRange(1, 64), default=None, help="Render workers (default: cores / 2).")
@click.option("--chunk-size", type=click.IntRange(1, 10000), default=None, help="Shots per worker process.")
@click.option(
    "--include-locked", is_flag=True, help="Render approved and final shots whose inputs changed too (held otherwise)."
)
@click.option("--only", multiple=True, help="Limit to this shot id (repeatable) and what depends on it.")
@click.option("--json", "as_json", is_flag=True, help="Print the ProductionResult as JSON.")
@user_errors
def run(
    path: Path,
    validate_only: bool,
    dry_run: bool,
    resume: bool,
    parallel: int | None,
    chunk_size: int | None,
    include_locked: bool,
    only: tuple[str, ...],
    as_json: bool,
) -> None:
    """Validate, render, grade and deliver a production through Dagster.

    Every run resumes: finished frames and up-to-date shots are never rendered again. --resume
    continues exactly the last run (the shots it was asked for, at the versions it started with)
    and refuses, rendering nothing, when the production changed since.
    """
    warm = None if dry_run or validate_only else _warm_worker(path)
    try:
        from production_assets.engine.progress import default_reporter
        from production_assets.engine.runner import ExecutionEngine, ParallelConfig, RunOptions, default_parallel

        loaded = _load_for_run(path, validate_only)
        if loaded is None:
            return
        unknown = [shot_id for shot_id in only if shot_id not in {s.id for s in loaded.require_resolved().shots}]
        if unknown:
            raise click.UsageError(f"unknown shot id(s): {', '.join(unknown)}; see `production info {path}`")
        if resume and only:
            raise click.UsageError("--resume continues the last run's shots; leave out --only")
        options = RunOptions(
            parallel=ParallelConfig(max_workers=parallel or default_parallel(), chunk_size=chunk_size),
            only=list(only) or None,
            resume=resume,
            include_locked=include_locked,
        )
        if dry_run:
            _print_plan(ExecutionEngine(path, options, read_only=True), as_json)
            return
        engine = ExecutionEngine(path, options, default_reporter() if not as_json else None, warm_worker=warm)
        click.echo(f"DAGSTER_HOME: {os.environ['DAGSTER_HOME']}", err=True)
        try:
            result = engine.execute()
        except KeyboardInterrupt:
            click.echo("interrupted: finished frames are kept; the next `production run` resumes", err=True)
            sys.exit(130)
        if as_json:
            _emit_json(result.model_dump(mode="json"))
        else:
            _print_result(result)
        sys.exit(0 if result.success else 1)
    finally:
        if warm is not None:
            warm.release()


def _warm_worker(path: Path) -> BatchProcess | None:
    """A render worker started first thing, so it gets ready (Python, Dagster, bpy) while the production is
    loaded and planned: an edit's shot starts rendering sooner. Only for a production built before (the
    edit-and-look loop; a first run has minutes of work ahead and writes nothing before it is validated)."""
    from production_assets.engine.batch_process import warm_batch
    from production_assets.loading.production_file import find_production_file
    from production_assets.model.layout import Layout

    try:
        file = find_production_file(path)
    except ProductionError:
        return None
    layout = Layout(file.parent.resolve())
    if not layout.build_dir.is_dir():
        return None
    return warm_batch(file, layout.worker_log(0))


def _load_for_run(path: Path, validate_only: bool) -> Any:
    from production_assets.planning.production_loader import load_validated

    loaded = load_validated(path)
    if not loaded.validation.is_valid():
        raise ValidationFailedError(f"{path} is invalid; nothing was rendered", loaded.validation)
    if validate_only:
        _print_issues(loaded.validation)
        click.echo("valid", err=True)
        return None
    return loaded


def _print_plan(engine: Any, as_json: bool) -> None:
    from production_assets.engine.dependencies import asset_groups
    from production_assets.engine.estimate import estimate_production

    plan = engine.resume_plan() if engine.options.resume else engine.plan()
    estimate = estimate_production(engine.production, plan, engine.options.parallel.max_workers, calibrate=False)
    document = {
        "shots": [vars(shot) for shot in plan.shots],
        "frames_to_render": plan.frames_to_render,
        "deliver": plan.deliver,
        "deliver_reason": plan.deliver_reason,
        "outputs": [output.path for output in engine.production.outputs] if plan.deliver else [],
        "groups": asset_groups(engine.production),
        "estimate": {"phases": estimate.phases, "total": estimate.total, "source": estimate.source},
    }
    if as_json:
        _emit_json(document)
        return
    click.echo("phase shots:")
    for shot in plan.shots:
        todo = shot.frame_count - shot.frames_done if shot.needs_work else 0
        click.echo(f"  {shot.shot_id:40s} {shot.label:10s} {todo:5d} frames  {shot.reason}")
    click.echo(f"frames to render: {plan.frames_to_render}")
    if plan.deliver:
        click.echo("phase export: " + ", ".join(f"{o.name} -> {o.path}" for o in engine.production.outputs))
    else:
        click.echo("phase export: up to date")
    click.echo(f"estimate: {estimate.total:.0f} s ({estimate.source}); nothing was changed (dry run)")


def _print_result(result: Any) -> None:
    from production_assets.engine.progress import phases_line

    click.echo(
        f"{'done' if result.success else 'FAILED'} in {result.total_time:.1f} s: "
        f"{result.shots_completed} shots rendered ({result.frames_rendered} frames), "
        f"{result.shots_skipped} up to date, {result.shots_failed} failed"
    )
    click.echo(f"  {phases_line(result.phases)}")
    for failure in result.failed_shots:
        click.echo(f"  {failure.location or '?'}: shot {failure.shot_id} failed: {failure.message}")
        for line in failure.log_tail.splitlines()[-5:]:
            click.echo(f"      | {line}")
    for error in result.errors:
        click.echo(f"  error: {error}")
    for name, where in result.deliverables.items():
        click.echo(f"  {name}: {where}")
    if result.manifest_path:
        click.echo(f"  manifest: {result.manifest_path}")


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--parallel", type=click.IntRange(1, 64), default=None, help="Render workers to plan for.")
@click.option("--json", "as_json", is_flag=True)
@user_errors
def estimate(path: Path, parallel: int | None, as_json: bool) -> None:
    """Seconds per phase and in total, from recorded timings or a calibration render (it says which)."""
    from production_assets.engine.estimate import estimate_production
    from production_assets.engine.instance import get_instance
    from production_assets.engine.runner import default_parallel
    from production_assets.orchestration.staleness import plan_production
    from production_assets.planning.production_loader import load_validated

    production = load_validated(path).require_resolved()
    plan = plan_production(get_instance(create=False), production)
    result = estimate_production(production, plan, parallel or default_parallel())
    if as_json:
        _emit_json(
            {
                "phases": result.phases,
                "total": result.total,
                "source": result.source,
                "seconds_per_frame": result.seconds_per_frame,
            }
        )
        return
    for phase, seconds in result.phases.items():
        click.echo(f"  {phase:14s} {seconds:8.1f} s")
    click.echo(
        f"  {'total':14s} {result.total:8.1f} s  (from {result.source}; {result.seconds_per_frame:.2f} s per frame)"
    )


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True)
@user_errors
def status(path: Path, as_json: bool) -> None:
    """Per-shot progress of a production, from the Dagster instance (works while a run is going)."""
    from production_assets.engine.runner import ExecutionEngine

    engine = ExecutionEngine(path, read_only=True)
    state = engine.state()
    if as_json:
        _emit_json(state.model_dump(mode="json"))
        return
    click.echo(f"{state.production}: latest run {state.latest_run_id or '-'} {state.latest_run_status or ''}")
    last = engine.last_checkpoint()
    if last is not None and last.run_outcome != "succeeded":
        shots = ", ".join(last.selection) if last.selection else "all shots"
        click.echo(
            f"  last `production run` ({shots}, started {last.saved_at}): {last.run_outcome}; "
            "`production run --resume` continues it"
        )
    for shot in state.shots:
        versions = f"published {shot.published_version or '-'}"
        if shot.building_version:
            versions += f", building {shot.building_version} ({shot.frames_done}/{shot.frame_count} frames)"
        click.echo(f"  {shot.shot_id:40s} {shot.label:10s} {shot.frame_count:5d} frames  {versions}  {shot.reason}")


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what would be removed; remove nothing.")
@click.option("--json", "as_json", is_flag=True)
@user_errors
def clean(path: Path, dry_run: bool, as_json: bool) -> None:
    """Remove rendered files nothing reads again: shots the YAML no longer has, superseded shot versions."""
    from production_assets.engine.cleanup import clean_production
    from production_assets.engine.instance import get_instance
    from production_assets.orchestration.staleness import recorded_versions
    from production_assets.planning.production_loader import load_validated

    production = load_validated(path).require_resolved()
    published = recorded_versions(get_instance(create=False), production.slug)
    result = clean_production(production, published, dry_run=dry_run)
    if as_json:
        _emit_json({"removed": result.removed, "freed_bytes": result.freed_bytes, "dry_run": dry_run})
        return
    verb = "would remove" if dry_run else "removed"
    for folder in result.removed:
        click.echo(f"  {verb} build/{folder}/")
    click.echo(f"{verb} {len(result.removed)} folder(s), {result.freed_bytes / 1e6:.1f} MB")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--port", type=int, default=3000, show_default=True)
def ui(paths: tuple[Path, ...], port: int) -> None:
    """Start the Dagster web UI and daemon on 127.0.0.1 for these productions."""
    from production_assets.engine.ui import run_ui

    sys.exit(run_ui(list(paths), port))


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the production file."""
    from production_assets.model.schema import production_file_schema

    _emit_json(production_file_schema())


def main() -> None:
    cli(prog_name="production")
