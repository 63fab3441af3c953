"""report.html: one self-contained page about a production's last run.

Beside manifest.json in the production folder. No network, no script: the CSS is
inline and every image (shot thumbnails, the contact sheet) is a ``data:`` URI
(JPEG or PNG, whichever is smaller); links to the deliverables are relative, so
the folder can be moved or zipped.

Sections: summary, the locked shots whose inputs changed (when the caller names
any), validation warnings, outputs (with their checks and links), the storyboard
(:mod:`.storyboard`: every scene and shot with its thumbnail, review status,
dialogue and notes), a contact sheet (evenly spaced graded frames of each shot,
for at most SHEET_MAX_SHOTS shots spread over the film), and timings per phase
(as given by the caller) and per shot (from the per-frame seconds in each
shot's ``render_log.json``).
"""

from __future__ import annotations

import html
import json
import urllib.parse
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from production_assets.export.deliver import read_export_record
from production_assets.export.manifest import relative_path
from production_assets.export.storyboard import STORYBOARD_CSS, image_data_uri, locked_stale_html, storyboard_html
from production_assets.export.verify import last_verification
from production_assets.model.layout import MANIFEST_NAME
from production_assets.model.production import LOCKED_STATUSES
from production_assets.model.resolved import ResolvedProduction
from production_assets.model.versions import PublishedVersions
from production_assets.storage.atomic import write_text_atomic
from production_assets.storage.frames import list_frames

SHEET_COLUMNS = 6
SHEET_TILE_WIDTH = 192
SHEET_LABEL_HEIGHT = 18
SHEET_MAX_SHOTS = 48
SHEET_JPEG_QUALITY = 90
LINKED_ROLES = ("film", "shot_clip", "timeline", "edl", "gif", "sprite_sheet", "palette")

CSS = """
:root { --ink:#1d2330; --muted:#667085; --line:#e4e7ec; --accent:#d9480f; --ok:#2b8a3e; --bad:#c92a2a; --bg:#f6f7f9; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color:var(--ink); background:var(--bg); }
header { background:#141821; color:#fff; padding:22px 32px 18px; }
header h1 { margin:0 0 4px; font-size:24px; font-weight:650; letter-spacing:.2px; }
header .sub { color:#aab2c0; font-size:13px; }
.stats { display:flex; gap:28px; margin-top:14px; }
.stat b { display:block; font-size:20px; color:#fff; }
.stat span { color:#aab2c0; font-size:12px; text-transform:uppercase; letter-spacing:.6px; }
main { padding:8px 32px 40px; max-width:1280px; }
section { margin-top:22px; }
h2 { font-size:15px; text-transform:uppercase; letter-spacing:.8px; color:var(--muted); margin:0 0 10px; }
.panel { background:#fff; border:1px solid var(--line); border-radius:8px; padding:14px 16px; }
table { width:100%; border-collapse:collapse; }
th, td { text-align:left; padding:7px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:12px; color:var(--muted); font-weight:600; text-transform:uppercase; letter-spacing:.5px; }
tr:last-child td { border-bottom:none; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
a { color:#1c64f2; text-decoration:none; } a:hover { text-decoration:underline; }
.links a { margin-right:10px; white-space:nowrap; }
.badge { white-space:nowrap; display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; font-weight:600; }
.badge.ok { background:#ebfbee; color:var(--ok); } .badge.bad { background:#fff5f5; color:var(--bad); }
.badge.none { background:#f2f4f7; color:var(--muted); }
.warnings li { margin:3px 0; color:#8a4b00; } .warnings { margin:0; padding-left:20px; }
.empty { color:var(--muted); }
.bar { background:#f2f4f7; border-radius:4px; height:10px; min-width:160px; }
.bar i { display:block; height:10px; border-radius:4px; background:var(--accent); }
.sheet img { max-width:100%; border-radius:6px; display:block; }
.nowrap { white-space:nowrap; }
.problems { margin:6px 0 0; padding-left:18px; color:var(--bad); font-size:12.5px; }
code { font:12px ui-monospace, SFMono-Regular, Menlo, monospace; color:#475467; }
"""


def _href(path: str) -> str:
    return html.escape(urllib.parse.quote(path), quote=True)


def _shot_seconds(production: ResolvedProduction, shot_id: str, published: PublishedVersions) -> list[float]:
    version = published.render.get(shot_id)
    log = production.layout.render_timings(shot_id, version) if version else None
    if log is None or not log.is_file():
        return []
    try:
        seconds = json.loads(log.read_text()).get("frame_seconds", {})
    except (OSError, ValueError):
        return []
    return [float(value) for _, value in sorted(seconds.items(), key=lambda item: int(item[0]))]


def sheet_shot_numbers(shot_count: int) -> list[int]:
    """The film positions (0-based) of the shots on the contact sheet: all of them, or SHEET_MAX_SHOTS spread
    evenly from the first shot to the last (the storyboard shows every shot)."""
    if shot_count <= SHEET_MAX_SHOTS:
        return list(range(shot_count))
    return np.unique(np.linspace(0, shot_count - 1, SHEET_MAX_SHOTS).round().astype(int)).tolist()


def contact_sheet(production: ResolvedProduction, published: PublishedVersions) -> Image.Image | None:
    """A grid: one row per shot (see :func:`sheet_shot_numbers`), up to SHEET_COLUMNS evenly spaced graded
    frames of its published version, labelled with its number in the film and its id."""
    rows = []
    for position in sheet_shot_numbers(len(production.shots)):
        shot = production.shots[position]
        version = published.graded.get(shot.id)
        frames = list_frames(production.layout.graded_dir(shot.id, version)) if version else []
        if frames:
            picks = np.unique(np.linspace(0, len(frames) - 1, min(SHEET_COLUMNS, len(frames))).round().astype(int))
            rows.append((f"{position + 1:02d}  {shot.id}", [frames[i] for i in picks]))
    if not rows:
        return None
    with Image.open(rows[0][1][0]) as first:
        tile_height = max(1, round(first.height * SHEET_TILE_WIDTH / first.width))
    gap = 4
    width = SHEET_COLUMNS * SHEET_TILE_WIDTH + (SHEET_COLUMNS + 1) * gap
    row_height = SHEET_LABEL_HEIGHT + tile_height + gap
    sheet = Image.new("RGB", (width, len(rows) * row_height + gap), (20, 24, 33))
    draw = ImageDraw.Draw(sheet)
    for row, (label, frames) in enumerate(rows):
        top = gap + row * row_height
        draw.text((gap + 2, top + 3), label, fill=(220, 224, 232))
        for column, frame in enumerate(frames):
            with Image.open(frame) as image:
                tile = image.convert("RGB").resize((SHEET_TILE_WIDTH, tile_height), Image.Resampling.BOX)
            sheet.paste(tile, (gap + column * (SHEET_TILE_WIDTH + gap), top + SHEET_LABEL_HEIGHT))
    return sheet


def _check_badge(problems: list[str] | None, excluded: bool) -> str:
    if problems:
        return f'<span class="badge bad" title="{html.escape("; ".join(problems))}">failed</span>'
    if excluded:
        return '<span class="badge bad">not in manifest</span>'
    if problems == []:
        return '<span class="badge ok">passed</span>'
    return '<span class="badge none">not run</span>'


def _outputs_rows(production: ResolvedProduction, manifest: dict[str, Any] | None) -> str:
    base = Path(production.base_dir)
    excluded = {item["name"] for item in (manifest or {}).get("excluded", [])}
    rows = []
    for output in production.outputs:
        record = read_export_record(production, output.name)
        size = f"{output.resolution[0]}x{output.resolution[1]}"
        if record is None:
            rows.append(
                f"<tr><td><b>{html.escape(output.name)}</b></td><td>{html.escape(output.format_name)}</td>"
                f"<td>{html.escape(output.codec)}</td><td>{size}</td><td class='num'>–</td>"
                f"<td><span class='badge none'>not built</span></td><td class='empty'>–</td></tr>"
            )
            continue
        links = []
        main = relative_path(Path(output.path), base) + "/"
        links.append(f'<a href="{_href(main)}">{html.escape(main)}</a>')
        for entry in record.entries:
            if entry.role in LINKED_ROLES:
                target = relative_path(Path(entry.path), base)
                links.append(f'<a href="{_href(target)}">{html.escape(Path(target).name)}</a>')
        problems = last_verification(production, output.name)
        badge = _check_badge(problems, output.name in excluded)
        problems_html = (
            "<ul class='problems'>" + "".join(f"<li>{html.escape(p)}</li>" for p in problems[:5]) + "</ul>"
            if problems
            else ""
        )
        rows.append(
            f"<tr><td><b>{html.escape(output.name)}</b></td><td>{html.escape(output.format_name)}</td>"
            f"<td>{html.escape(output.codec)}</td><td class='nowrap'>{size} · {output.frame_rate:g} fps</td>"
            f"<td class='num'>{record.frames}</td><td>{badge}</td><td class='links'>{' '.join(links)}{problems_html}</td></tr>"
        )
    return "".join(rows)


def _bar_rows(items: Sequence[tuple[str, float, str]]) -> str:
    longest = max((seconds for _, seconds, _ in items), default=0.0) or 1.0
    return "".join(
        f"<tr><td>{html.escape(name)}</td><td class='num'>{seconds:.2f} s</td>"
        f"<td><div class='bar'><i style='width:{100 * seconds / longest:.1f}%'></i></div></td>"
        f"<td class='empty'>{html.escape(note)}</td></tr>"
        for name, seconds, note in items
    )


def _phase_items(production: ResolvedProduction, timings: Mapping[str, Any] | None) -> list[tuple[str, float, str]]:
    items = [
        (str(name), float(value), "") for name, value in (timings or {}).items() if isinstance(value, (int, float))
    ]
    for output in production.outputs:
        record = read_export_record(production, output.name)
        if record and "seconds" in record:
            items.append((f"export {output.name}", float(record.seconds), ""))
    return items


def _shot_items(production: ResolvedProduction, published: PublishedVersions) -> list[tuple[str, float, str]]:
    items = []
    for shot in production.shots:
        seconds = _shot_seconds(production, shot.id, published)
        note = f"{len(seconds)} frames, {sum(seconds) / len(seconds):.2f} s/frame" if seconds else "no render log"
        items.append((shot.id, sum(seconds), note))
    return items


def render_report(
    production: ResolvedProduction,
    warnings: Sequence[str],
    timings: Mapping[str, Any] | None,
    published: PublishedVersions,
    locked_stale: Mapping[str, str] | None = None,
) -> str:
    """The report as an HTML string, about the shot versions in ``published``."""
    manifest_path = production.layout.manifest
    manifest = json.loads(manifest_path.read_text()) if manifest_path.is_file() else None
    locked_stale = locked_stale or {}
    sheet = contact_sheet(production, published)
    sheet_html = (
        f'<img src="{image_data_uri(sheet, quality=SHEET_JPEG_QUALITY)}" alt="contact sheet">'
        if sheet
        else '<p class="empty">No frames yet.</p>'
    )
    sheet_title = "Contact sheet"
    if len(production.shots) > SHEET_MAX_SHOTS:
        sheet_title += f" <small>({SHEET_MAX_SHOTS} of {len(production.shots)} shots, spread over the film)</small>"
    stale_section = (
        f"<section><h2>Locked shots out of date</h2>{locked_stale_html(production, locked_stale)}</section>"
        if locked_stale
        else ""
    )
    warning_html = (
        "<ul class='warnings'>" + "".join(f"<li>{html.escape(w)}</li>" for w in warnings) + "</ul>"
        if warnings
        else "<p class='empty'>No warnings.</p>"
    )
    built = sum(read_export_record(production, o.name) is not None for o in production.outputs)
    manifest_link = f'<a href="{MANIFEST_NAME}">{MANIFEST_NAME}</a>' if manifest else "no manifest yet"
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    stats = [
        (len(production.shots), "shots"),
        (production.total_frames, "frames"),
        (f"{production.render.resolution[0]}x{production.render.resolution[1]}", production.render.engine),
        (f"{built}/{len(production.outputs)}", "outputs built"),
        (sum(shot.status in LOCKED_STATUSES for shot in production.shots), "shots locked"),
        (len(warnings), "warnings"),
    ]
    stat_html = "".join(
        f'<div class="stat"><b>{html.escape(str(v))}</b><span>{html.escape(k)}</span></div>' for v, k in stats
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(production.title)} — production report</title><style>{CSS}{STORYBOARD_CSS}</style></head>
<body><header><h1>{html.escape(production.title)}</h1>
<div class="sub">version {html.escape(production.version)} · style {html.escape(production.style_name)} · {production.render.frame_rate:g} fps · generated {generated} · {manifest_link}</div>
<div class="stats">{stat_html}</div></header>
<main>
{stale_section}
<section><h2>Warnings</h2><div class="panel">{warning_html}</div></section>
<section><h2>Outputs</h2><div class="panel"><table><tr><th>output</th><th>format</th><th>codec</th><th>size</th><th class="num">frames</th><th>checks</th><th>files</th></tr>{_outputs_rows(production, manifest)}</table></div></section>
<section><h2>Storyboard</h2>{storyboard_html(production, published.graded, locked_stale)}</section>
<section><h2>{sheet_title}</h2><div class="panel sheet">{sheet_html}</div></section>
<section><h2>Timings per phase</h2><div class="panel"><table>{_bar_rows(_phase_items(production, timings)) or "<tr><td class='empty'>No timings recorded.</td></tr>"}</table></div></section>
<section><h2>Render time per shot</h2><div class="panel"><table>{_bar_rows(_shot_items(production, published))}</table></div></section>
</main></body></html>
"""


def write_report(
    production: ResolvedProduction,
    warnings: list[str],
    published: PublishedVersions,
    timings: dict[str, Any] | None = None,
    *,
    locked_stale: Mapping[str, str] | None = None,
) -> Path:
    """Write ``report.html`` beside manifest.json (atomically) and return its path.

    ``warnings``: validation warnings as lines; ``published``: the shot versions to show;
    ``timings``: seconds per phase (e.g. ``{"prepare": 1.2, "shots": 95.0}``; non-numbers are ignored);
    ``locked_stale``: approved or final shots whose inputs changed but that were kept as they are, shot id ->
    what changed (``{"s003_close_up_jo": "lens 35 -> 50"}``), listed near the top and marked on their cards.
    """
    target = production.layout.report
    write_text_atomic(target, render_report(production, warnings, timings, published, locked_stale))
    return target
