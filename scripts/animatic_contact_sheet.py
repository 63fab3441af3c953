"""Build docs/animatic_contact_sheet.png from a finished run of the animatic example.

    python benchmarks/bench_animatic.py --keep /tmp/animatic      # or: production run <a copy of the example>
    python scripts/animatic_contact_sheet.py /tmp/animatic [--output docs/animatic_contact_sheet.png]

Eight frames of the delivered film with burned-in subtitles (the example's `web` output), taken
from named shots: the office by day and by night, Mike and Jo face to face, a line over Jo's
shoulder, the dual dialogue, the rooftop at dusk, at night and at dawn. Each tile is captioned with its time in the
film, its scene heading, the shot's template and who is in it. The shots' places in the film come
from the output's export record (build/exports/<output>.json: frames per shot, in film order).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from production_assets.model.layout import Layout  # noqa: E402
from production_assets.planning.production_loader import load_validated  # noqa: E402

OUTPUT = "web"
# (shot id, where in the shot 0..1): what each tile shows is said in the module docstring.
PICKS: list[tuple[str, float]] = [
    ("s002_establishing_wide_gazette_office", 0.3),
    ("s009_establishing_wide_gazette_office", 0.3),
    ("s002_wide_mike_jo", 0.8),
    ("s002_over_the_shoulder_jo_mike", 0.5),
    ("s012_two_shot_mike_jo", 0.5),
    ("s014_over_the_shoulder_jo_mike", 0.5),
    ("s021_over_the_shoulder_mike_jo", 0.5),
    ("s025_over_the_shoulder_mike_jo", 0.5),
]
COLUMNS = 2
TILE = (480, 270)
CAPTION_HEIGHT = 26
GAP = 6
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def film_frames(production: Path) -> dict[str, tuple[int, int]]:
    """Shot id -> (first frame in the film, frame count), from the output's export record."""
    record = json.loads(Layout(production).export_record(OUTPUT).read_text())
    places, first = {}, 0
    for shot_id, count in record["shots"].items():
        places[shot_id] = (first, count)
        first += count
    return places


def decoded(film: Path, wanted: set[int]) -> dict[int, np.ndarray]:
    frames = {}
    with av.open(str(film)) as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index in wanted:
                frames[index] = frame.to_ndarray(format="rgb24")
            if len(frames) == len(wanted):
                break
    return frames


def caption_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.truetype(str(FONT), size) if FONT.is_file() else ImageFont.load_default(size)


def build(production: Path, target: Path) -> None:
    resolved = load_validated(production).require_resolved()
    shots = {shot.id: shot for shot in resolved.shots}
    film = Path(next(output.path for output in resolved.outputs if output.name == OUTPUT)) / f"{resolved.slug}.mp4"
    places = film_frames(production)
    missing = [shot_id for shot_id, _ in PICKS if shot_id not in places]
    if missing:
        sys.exit(f"shots not in the film: {', '.join(missing)}")
    indices = [places[shot][0] + min(places[shot][1] - 1, int(places[shot][1] * where)) for shot, where in PICKS]
    pictures = decoded(film, set(indices))
    rows = (len(PICKS) + COLUMNS - 1) // COLUMNS
    width, height = TILE[0] * COLUMNS + GAP * (COLUMNS + 1), (TILE[1] + CAPTION_HEIGHT + GAP) * rows + GAP
    sheet = Image.new("RGB", (width, height), (18, 20, 26))
    draw = ImageDraw.Draw(sheet)
    font = caption_font(14)
    for number, ((shot_id, _where), index) in enumerate(zip(PICKS, indices, strict=True)):
        column, row = number % COLUMNS, number // COLUMNS
        left, top = GAP + column * (TILE[0] + GAP), GAP + row * (TILE[1] + CAPTION_HEIGHT + GAP)
        sheet.paste(Image.fromarray(pictures[index]).resize(TILE, Image.Resampling.LANCZOS), (left, top))
        shot = shots[shot_id]
        heading = resolved.scene_headings.get(shot.scene, f"Scene {shot.scene}")
        seconds = index / resolved.render.frame_rate
        who = "/".join(shot.subjects)
        label = f"{int(seconds // 60)}:{seconds % 60:04.1f}  {heading}  ·  {shot.template_name} {who}"
        draw.text((left + 2, top + TILE[1] + 5), label, fill=(220, 224, 232), font=font)
    target.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(target, optimize=True)
    print(f"{target}: {len(PICKS)} frames, {sheet.size[0]}x{sheet.size[1]}, {target.stat().st_size // 1024} KiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("production", type=Path, help="A finished run of the animatic example.")
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "animatic_contact_sheet.png")
    args = parser.parse_args()
    build(args.production.resolve(), args.output)


if __name__ == "__main__":
    main()
