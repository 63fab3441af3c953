"""Load + resolve + validate a 10,000-shot production vs PyYAML's C loader parsing it.

Goal (issue 3): `validate_production(load_production(path))` plus resolving costs at
most 3x `yaml.load(text, Loader=yaml.CSafeLoader)` on the same file.
Run: python benchmarks/bench_loading.py [SHOTS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml

from production_assets.loading.production_file import load_production
from production_assets.loading.resolve import resolve_production
from production_assets.validation.validators import validate_production

TEMPLATES = ["wide", "medium", "close_up", "hero_cu", "two_shot", "insert"]


def generate(path: Path, shots: int) -> None:
    lines = [
        "production:",
        '  title: "Benchmark"',
        "  characters:",
        "    - {name: Hero, wardrobe: {scenes_1_500: hero_casual, scenes_501_end: hero_formal}}",
        "    - {name: Villain, wardrobe: {scenes_1_end: villain_coat}}",
        "  locations:",
        "    - {name: Warehouse, preset: industrial}",
        "    - {name: Street, preset: exterior}",
        "  shots:",
    ]
    for index in range(shots):
        template = TEMPLATES[index % len(TEMPLATES)]
        subject = (
            "characters: [Hero, Villain]"
            if template == "two_shot"
            else f"character: {'Hero' if index % 3 else 'Villain'}"
        )
        location = "Warehouse" if index % 2 else "Street"
        lines.append(
            f"    - {{template: {template}, scene: {index // 10 + 1}, {subject}, location: {location}, "
            f'duration: {24 + index % 48}, id: shot_{index:05d}, notes: "take {index % 7}"}}'
        )
    lines += ["  outputs:", '    - {name: web, format: streaming_1080p, path: "output/web/"}']
    path.write_text("\n".join(lines) + "\n")


def best_of(runs: int, action) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    shots = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "production.yaml"
        generate(path, shots)
        text = path.read_text()
        baseline = best_of(3, lambda: yaml.load(text, Loader=yaml.CSafeLoader))

        def ours() -> None:
            config = load_production(path)
            result = validate_production(config)
            assert result.is_valid(), result.errors[:3]
            resolve_production(config)

        ours()
        measured = best_of(3, ours)
    ratio = measured / baseline
    print(f"shots: {shots}, file: {len(text) / 1e6:.2f} MB")
    print(f"baseline  yaml.load(CSafeLoader):              {baseline:8.3f} s")
    print(f"ours      load + validate + resolve:           {measured:8.3f} s")
    print(f"ratio: {ratio:.2f}x (goal <= 3.00x) {'PASS' if ratio <= 3 else 'MISS'}")


if __name__ == "__main__":
    main()
