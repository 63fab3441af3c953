"""Prepare characters and locations once: ``python -m production_assets.render.prepare [--job PREPARE.json ...]``.

A prepare job (:class:`~production_assets.render.prepare_contract.PrepareJob`
as JSON) builds one character (the model with every wardrobe look it needs)
or one location (set, practical lights, world) in a fresh Blender scene and
publishes it atomically as ``output_blend`` (temp file, fsync, rename: a
killed run leaves the previous file). Every shot then appends it instead of
building it again.

Without arguments the command runs under Dagster Pipes: the job comes from
``pipes.extras["prepare"]`` and the result is reported as an asset
materialization (kind, name, output_blend, objects, materials, looks, bytes,
seconds) with the job's data version. With ``--job`` it prepares the given
file(s) standalone and prints each report as one JSON line on stdout.
Exit status 0 on success, 1 when preparing fails (one line on stderr),
2 on bad usage or an unreadable job.
"""

from __future__ import annotations

import argparse
import json
import sys

from production_assets.render.cli_common import (
    EXIT_FAILED,
    EXIT_USAGE,
    JobFileError,
    launched_by_pipes,
    load_job_file,
    one_line,
    parse_extra,
)
from production_assets.render.prepare_contract import (
    ASSET_KEY_EXTRAS_KEY,
    PREPARE_EXTRAS_KEY,
    PrepareJob,
    PrepareReport,
)


def prepare(job: PrepareJob) -> PrepareReport:
    """Build and publish one prepared asset (imports bpy)."""
    from production_assets.render.prepare_build import prepare_asset

    return prepare_asset(job)


def run_standalone(job_paths: list[str]) -> int:
    """Prepare job files one after another, printing one JSON report line each."""
    try:
        jobs = [load_job_file(path, PrepareJob, "prepare job") for path in job_paths]
    except JobFileError as error:
        print(f"prepare: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    for job in jobs:
        try:
            report = prepare(job)
        except Exception as error:  # noqa: BLE001 - any failure is reported as one line, never a traceback
            print(f"prepare: error: {job.kind} {job.name!r} failed: {one_line(error)}", file=sys.stderr)
            return EXIT_FAILED
        print(json.dumps(report.as_metadata(), sort_keys=True), flush=True)
    return 0


def run_pipes() -> int:
    """Prepare the job passed through Dagster Pipes extras and report the materialization."""
    from dagster_pipes import open_dagster_pipes

    if not launched_by_pipes():
        message = "prepare: error: not launched by Dagster Pipes; pass --job PREPARE.json to run standalone"
        print(message, file=sys.stderr)
        return EXIT_USAGE
    with open_dagster_pipes() as pipes:
        try:
            job = parse_extra(pipes.extras[PREPARE_EXTRAS_KEY], PrepareJob)
            report = prepare(job)
        except Exception as error:  # noqa: BLE001 - reported to Dagster and as one line on stderr
            message = f"prepare: error: {one_line(error)}"
            pipes.log.error(message)
            print(message, file=sys.stderr)
            raise SystemExit(EXIT_FAILED) from None
        pipes.log.info(f"prepared {job.kind} {job.name!r}: {report.objects} objects, {report.bytes} bytes")
        key = pipes.extras.get(ASSET_KEY_EXTRAS_KEY)  # the departments step selects several assets
        pipes.report_asset_materialization(metadata=report.as_metadata(), data_version=job.data_version, asset_key=key)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point: Pipes without arguments, standalone with ``--job``."""
    parser = argparse.ArgumentParser(
        prog="python -m production_assets.render.prepare", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--job", action="append", metavar="PREPARE.json", help="prepare this job file (repeatable)")
    args = parser.parse_args(argv)
    if args.job:
        return run_standalone(args.job)
    return run_pipes()


if __name__ == "__main__":
    sys.exit(main())
