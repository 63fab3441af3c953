"""Acceptance: the animatic example (a 29-scene screenplay) from scratch to a subtitled, voiced film.

Copies configs/production/examples/animatic to a fresh folder, runs `production run` on it with a
fresh DAGSTER_HOME, and prints, each against its baseline:

- script:   printed pages (counted the way a screenplay prints: Courier 12, 55 lines a page, action
            wrapped at 60 characters, dialogue at 35, parentheticals at 25, a blank line before
            every element, dual dialogue side by side), words of dialogue and of action;
- parse:    parse + timing of the screenplay (median of many runs) vs reading its bytes;
- length:   the film's length (decoded) vs the script's timing (frames apart), and minutes of film
            per page vs the one-page-per-minute rule;
- render:   wall-clock of the whole run, of its phases (from the ProductionResult) and seconds of
            render per second of film;
- counts:   shots, dialogue lines, subtitle cues (.srt and .vtt), audio of the film.

Never asserts on wall-clock. Run: python benchmarks/bench_animatic.py [--keep DIR] [--parallel N]
(--keep leaves the finished production in DIR, e.g. for scripts/animatic_contact_sheet.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from production_assets.export.probe import probe_media  # noqa: E402
from production_assets.loading.fountain import Dialogue, Screenplay, ScriptElement, load_fountain  # noqa: E402
from production_assets.loading.production_file import load_production  # noqa: E402
from production_assets.loading.script_timing import time_screenplay  # noqa: E402
from production_assets.model.production import Output  # noqa: E402

EXAMPLE = REPO / "configs" / "production" / "examples" / "animatic"
LEFT_BEHIND = ("build", "output", "manifest.json", "report.html")  # a previous run's files are not copied
LINES_PER_PAGE = 55
ACTION_WIDTH, DIALOGUE_WIDTH, PARENTHETICAL_WIDTH, HEADING_WIDTH = 60, 35, 25, 60
PARSE_RUNS = 30


def wrapped(text: str, width: int) -> int:
    """Printed lines of ``text`` in a column ``width`` characters wide (its own line breaks kept)."""
    return sum(max(1, len(textwrap.wrap(row, width))) for row in text.split("\n"))


def dialogue_lines(element: Dialogue) -> int:
    return (
        1 + sum(wrapped(p, PARENTHETICAL_WIDTH) for p in element.parentheticals) + wrapped(element.text, DIALOGUE_WIDTH)
    )


def element_lines(element: ScriptElement) -> int:
    if isinstance(element, Dialogue):
        return dialogue_lines(element)
    if element.kind in ("action", "centered", "lyrics"):
        return wrapped(element.text, ACTION_WIDTH)
    return 1 if element.kind == "transition" else 0


def printed_pages(screenplay: Screenplay) -> float:
    """Pages as the screenplay prints (see the module docstring); the title page is not counted."""
    lines = 0
    blocks = [(None, screenplay.preamble)] + [(scene.heading, scene.elements) for scene in screenplay.scenes]
    for heading, elements in blocks:
        if heading is not None:
            lines += 1 + wrapped(heading, HEADING_WIDTH)
        previous = 0
        for element in elements:
            own = element_lines(element)
            if own == 0:
                continue
            if isinstance(element, Dialogue) and element.dual:
                lines += max(0, own - previous)  # printed beside its partner
            else:
                lines += 1 + own
            previous = own
    return lines / LINES_PER_PAGE


def median_seconds(action: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def copy_example(target: Path) -> Path:
    shutil.copytree(
        EXAMPLE, target, ignore=lambda folder, names: [n for n in names if Path(folder) == EXAMPLE and n in LEFT_BEHIND]
    )
    return target


def fresh_dagster_home(root: Path) -> Path:
    home = root / "dagster_home"
    home.mkdir()
    shutil.copyfile(REPO / "deploy" / "local" / "dagster.yaml", home / "dagster.yaml")
    return home


def subtitle_cues(path: Path) -> int:
    return sum(1 for row in path.read_text(encoding="utf-8").splitlines() if "-->" in row)


def run(production: Path, home: Path, parallel: int | None) -> tuple[dict, float]:
    command = [sys.executable, "-m", "production_assets", "run", str(production), "--json"]
    command += ["--parallel", str(parallel)] if parallel else []
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "DAGSTER_HOME": str(home)})
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"production run failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout), wall


def film_row(production: Path, output: Output, script_seconds: float) -> str:
    folder = production / output.path
    path = folder / f"{production.name}.mp4"
    film = probe_media(path)
    audio = film.audio
    sound = f"{audio.codec}, peak {audio.peak or 0:.2f}" if audio else "none"
    srt, vtt = (subtitle_cues(folder / f"{production.name}{suffix}") for suffix in (".srt", ".vtt"))
    return (
        f"film       {output.output_name}: {film.duration:.2f} s ({film.frames} frames at {film.fps:g} fps, "
        f"{film.width}x{film.height}, {path.stat().st_size / 1e6:.0f} MB) vs the script's {script_seconds:.2f} s: "
        f"{film.frames - script_seconds * film.fps:+.1f} frames apart; audio {sound}; "
        f"subtitles {output.subtitles}: {srt} .srt cues, {vtt} .vtt cues"
    )


def report(production: Path, result: dict, wall: float) -> None:
    config = load_production(production / "production.yaml")
    assert config.script is not None, "the example has a script"
    script_path = production / config.script
    screenplay = load_fountain(script_path)
    timeline = time_screenplay(screenplay, config.script_timing)
    read = median_seconds(script_path.read_bytes, PARSE_RUNS)
    parse = median_seconds(lambda: time_screenplay(load_fountain(script_path), config.script_timing), PARSE_RUNS)
    pages = printed_pages(screenplay)
    elements = [element for scene in screenplay.scenes for element in scene.elements]
    spoken = [e for e in elements if isinstance(e, Dialogue) and e.words]
    action = [e for e in elements if e.kind == "action"]
    film_seconds = timeline.duration
    per_page = film_seconds / 60 / pages
    phases = result.get("phases", {})
    shots = len(result.get("completed_shot_ids", [])) + len(result.get("skipped_shot_ids", []))
    frames = result.get("frames_rendered", 0)
    render = phases.get("shots", {}).get("seconds", 0.0)
    rows = [
        f"script     {script_path.name}: {len(screenplay.scenes)} scenes, {pages:.1f} printed pages, "
        f"{len(spoken)} lines ({sum(e.words for e in spoken)} words), "
        f"{len(action)} action paragraphs ({sum(e.words for e in action)} words)",
        f"parse      parse + timing {parse * 1000:.2f} ms vs reading the file {read * 1000:.3f} ms "
        f"({parse / read:.0f}x)",
        *(film_row(production, output, film_seconds) for output in config.outputs),
        f"pages      {film_seconds / 60:.2f} min of film for {pages:.1f} pages: {per_page:.2f} min a page "
        f"({per_page:.2f}x the one-page-per-minute rule)",
        f"counts     {shots} shots, {frames} frames rendered, {len(timeline.dialogue_cues())} dialogue lines timed, "
        f"{len(result.get('failed_shots', []))} failed",
        f"render     whole run {wall:.0f} s ({wall / 60:.1f} min) wall-clock; "
        + ", ".join(f"{name} {phase.get('seconds', 0):.0f} s" for name, phase in phases.items()),
        f"speed      shots phase {render:.0f} s: {render / film_seconds:.2f} s per second of film, "
        f"{render / max(frames, 1):.2f} s a frame; the whole run {wall / film_seconds:.2f}x the film's length",
    ]
    print("\n".join(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="Run in this folder (must not exist) and keep it.")
    parser.add_argument("--parallel", type=int, help="Passed to production run (default: its own).")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench_animatic_"))
    try:
        target = args.keep.resolve() if args.keep else root / "animatic"
        if target.exists():
            sys.exit(f"{target} exists: give --keep a new folder")
        production = copy_example(target)
        home = fresh_dagster_home(root)
        print(f"running    {production} (DAGSTER_HOME {home})", flush=True)
        result, wall = run(production, home, args.parallel)
        report(production, result, wall)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
