"""Parse and time a 120-page Fountain screenplay vs reading the file; then a 10 MB one for linearity.

Goal (issue 16): parse + timing of a feature-length script "well under a second".
The script is generated (seeded): ~55 printed lines per page, counted the way a
screenplay prints (action wraps at 60 characters, dialogue at 35), with headings,
action, dialogue with parentheticals and extensions, dual dialogue, transitions,
notes and emphasis. Each figure is the median of several runs.
Run: python benchmarks/bench_fountain.py [PAGES] [RUNS]
"""

from __future__ import annotations

import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from production_assets.loading.fountain import load_fountain
from production_assets.loading.script_timing import time_screenplay
from production_assets.model.script import ScriptTiming

LINES_PER_PAGE = 55
WORDS = (
    "the rain door light she he waits turns looks away back into room window slowly again never "
    "nothing something hand table coffee cold dark street car engine gun phone ring silence "
    "quiet loud breath stops runs falls stares smiles laughs where why what now later tonight"
).split()
NAMES = ["MARA", "TOM", "DR. OKAFOR", "NINA", "OSCAR", "THE GIRL"]
PLACES = ["KITCHEN", "HARBOUR WAREHOUSE", "CAR", "POLICE STATION - INTERVIEW ROOM", "ROOFTOP", "DINER"]
TIMES = ["DAY", "NIGHT", "DUSK", "DAWN", "CONTINUOUS", "LATER", "MORNING"]


def sentence(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    if rng.random() < 0.15:
        index = rng.randrange(len(words))
        words[index] = f"*{words[index]}*"
    return " ".join(words).capitalize() + rng.choice([".", ".", "?", "!"])


def generate(pages: int, seed: int = 16) -> str:
    """A screenplay of about ``pages`` printed pages."""
    rng = random.Random(seed)
    blocks = ["Title: Benchmark\nAuthor: Generated\nDraft date: 2026", "FADE IN:"]
    printed = 0
    scene = 0
    while printed < pages * LINES_PER_PAGE:
        if scene == 0 or rng.random() < 0.06:
            scene += 1
            blocks.append(f"{rng.choice(['INT.', 'EXT.', 'INT./EXT.'])} {rng.choice(PLACES)} - {rng.choice(TIMES)}")
            printed += 2
        if rng.random() < 0.4:
            text = " ".join(sentence(rng, 4, 14) for _ in range(rng.randint(1, 4)))
            if rng.random() < 0.05:
                text += " [[Check this with the director.]]"
            blocks.append(text)
            printed += math.ceil(len(text) / 60) + 1
        else:
            cue = rng.choice(NAMES) + rng.choice(["", "", "", " (V.O.)", " (O.S.)", " (CONT'D)"])
            lines = [cue + (" ^" if rng.random() < 0.02 else "")]
            if rng.random() < 0.2:
                lines.append(f"({rng.choice(WORDS)})")
            lines.extend(sentence(rng, 2, 12) for _ in range(rng.randint(1, 3)))
            blocks.append("\n".join(lines))
            printed += sum(math.ceil(len(line) / 35) for line in lines) + 1
        if rng.random() < 0.02:
            blocks.append("CUT TO:")
            printed += 2
    return "\n\n".join(blocks) + "\n"


def median_of(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 120
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    timing = ScriptTiming()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feature.fountain"
        path.write_text(generate(pages), encoding="utf-8")
        text = path.read_text(encoding="utf-8")
        screenplay = load_fountain(path)
        timeline = time_screenplay(screenplay, timing)
        reading = median_of(runs, lambda: path.read_text(encoding="utf-8"))
        parsing = median_of(runs, lambda: load_fountain(path))
        both = median_of(runs, lambda: time_screenplay(load_fountain(path), timing))

        big = Path(folder) / "ten_megabytes.fountain"
        copies = math.ceil(10e6 / len(text))
        big.write_text(text * copies, encoding="utf-8")
        big_parse = median_of(3, lambda: load_fountain(big))

    size = len(text) / 1e3
    print(f"script: {pages} pages, {text.count(chr(10))} lines, {size:.0f} kB, {len(screenplay.scenes)} scenes")
    print(f"timed film: {timeline.duration / 60:.1f} min ({timeline.duration / pages:.0f} s per page)")
    print(f"(a) read the file:        {reading * 1e3:8.2f} ms   1.0x")
    print(f"(b) read + parse:         {parsing * 1e3:8.2f} ms   {parsing / reading:6.1f}x (a)")
    print(f"(c) read + parse + time:  {both * 1e3:8.2f} ms   {both / reading:6.1f}x (a)")
    print(f"goal: parse + time well under a second (< 0.5 s): {'PASS' if both < 0.5 else 'MISS'}")
    small_rate = parsing / (len(text) / 1e6)
    big_rate = big_parse / (len(text) * copies / 1e6)
    print(f"linearity: {len(text) * copies / 1e6:.1f} MB parses in {big_parse:.2f} s")
    print(
        f"  {big_rate * 1e3:.0f} ms/MB vs {small_rate * 1e3:.0f} ms/MB at {pages} pages ({big_rate / small_rate:.2f}x)"
    )


if __name__ == "__main__":
    main()
