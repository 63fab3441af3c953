"""Reliability figures: run the fault, hostile-input and fuzz suite and print what it proved.

``python benchmarks/reliability.py`` runs ``production_assets_tests/reliability``
with pytest (real tiny bpy renders, about five minutes on 2 cores) and prints:
faults injected / survived, hostile inputs tried / refused cleanly, fuzz
examples run, frames lost and partial files published (both must be 0).
``--from FIGURES.json`` prints figures saved by an earlier run
(``RELIABILITY_FIGURES=FIGURES.json pytest production_assets_tests/reliability``).
Exit status 0 when the suite passed and nothing was lost or published partially.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUITE = "production_assets_tests/reliability"


def run_suite(extra: list[str]) -> tuple[dict, float]:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "figures.json"
        env = {**os.environ, "RELIABILITY_FIGURES": str(target)}
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-m", "pytest", SUITE, "-q", "-p", "no:cacheprovider", *extra],
            cwd=ROOT,
            env=env,
            check=False,
        )
        seconds = time.monotonic() - started
        if not target.is_file():
            raise SystemExit("the suite wrote no figures (did it start?)")
        return json.loads(target.read_text()), seconds


def report(figures: dict, seconds: float | None) -> str:
    rows = [
        ("faults injected / survived", f"{figures['faults_injected']} / {figures['faults_survived']}"),
        ("hostile inputs tried / refused cleanly", f"{figures['hostile_tried']} / {figures['hostile_refused']}"),
        ("fuzz examples run", f"{figures['fuzz_examples']}"),
        ("frames lost", f"{figures['frames_lost']}"),
        ("partial files published", f"{figures['partial_files_published']}"),
        ("pytest exit status", f"{figures.get('exit_status', '?')}"),
    ]
    if seconds is not None:
        rows.append(("suite wall time", f"{seconds:.0f} s"))
    width = max(len(name) for name, _ in rows)
    lines = ["| figure | value |", "|---|---|"] + [f"| {name:{width}s} | {value} |" for name, value in rows]
    failing = [name for name, state in figures["faults"].items() if state != "survived"]
    failing += [name for name, state in figures["hostile"].items() if state != "refused"]
    if failing:
        lines.append("")
        lines.append("not survived / not refused: " + ", ".join(sorted(failing)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source", type=Path, help="print figures saved by an earlier run")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments (e.g. -k fuzz)")
    args = parser.parse_args(argv)
    if args.source:
        figures, seconds = json.loads(args.source.read_text()), None
    else:
        figures, seconds = run_suite(args.pytest_args)
    print(report(figures, seconds))
    clean = figures["frames_lost"] == 0 and figures["partial_files_published"] == 0
    return 0 if clean and figures.get("exit_status", 0) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
