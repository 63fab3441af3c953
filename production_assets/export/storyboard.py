"""The report's storyboard: the film told scene by scene, one card per shot, and the locked shots left
out of date.

A scene is a run of consecutive shots with the same scene number, in film order, under its screenplay
heading (``ResolvedProduction.scene_headings``, else "Scene N"). A card holds the thumbnail of the
shot's published graded version, its id, template, subjects, location, time of day and duration, its
review status (approved and final are locked), whether it was cut from the script, the dialogue heard
during it (for at least a frame) and its notes.

Every card costs one small image (the 320 px thumbnail, as JPEG or PNG, whichever is smaller) and
a few hundred bytes of markup, and scenes outside the window are neither laid out nor painted
(``content-visibility``), so a film of thousands of shots stays one light, self-contained page.
Every piece of text from the production is escaped.
"""

from __future__ import annotations

import base64
import html
import io
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from itertools import groupby
from pathlib import Path

from PIL import Image

from production_assets.model.layout import Layout
from production_assets.model.production import LOCKED_STATUSES, ReviewStatus
from production_assets.model.resolved import ResolvedProduction, ResolvedShot, ShotLine

REVIEW_STATUSES: tuple[ReviewStatus, ...] = ("wip", "review", "approved", "final")
JPEG_QUALITY = 82

STORYBOARD_CSS = """
.board-summary { color:var(--muted); margin:0 0 12px; font-size:13px; }
.board-summary .badge { margin-left:4px; }
.scene { margin:0 0 22px; content-visibility:auto; contain-intrinsic-size:auto 900px; }
.scene h3 { display:flex; align-items:baseline; gap:10px; margin:0 0 8px; padding:8px 12px; border-radius:6px;
  background:#141821; color:#fff; letter-spacing:.4px; font:600 14px/1.3 ui-monospace, Menlo, monospace; }
.scene h3 .sn { color:#ffb088; }
.scene h3 small { margin-left:auto; font:12px -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color:#aab2c0; }
.board { list-style:none; margin:0; padding:0; display:grid; gap:12px;
  grid-template-columns:repeat(auto-fill, minmax(290px, 1fr)); }
.card { position:relative; background:#fff; border:1px solid var(--line); border-top:4px solid #d0d5dd;
  border-radius:8px; overflow:hidden; font-size:12.5px; }
.card.s-review { border-top-color:#f59f00; } .card.s-approved { border-top-color:var(--ok); }
.card.s-final { border-top-color:#1c64f2; }
.card.stale { border-color:var(--bad); box-shadow:0 0 0 1px var(--bad); }
.card > img, .card > .nothumb { display:block; width:100%; aspect-ratio:16/9; object-fit:cover; background:#000; }
.card > .nothumb { background:#e9ecf1; color:var(--muted); display:flex; align-items:center; justify-content:center; }
.card > div { padding:8px 11px 10px; }
.card p { margin:0 0 3px; }
.card > .badge, .card > .badge.locked { position:absolute; top:8px; right:8px; box-shadow:0 1px 3px rgba(0,0,0,.35); }
.card .id { display:flex; align-items:baseline; gap:6px; font-weight:650; font-size:13px; }
.card .id code { font-weight:600; color:var(--ink); word-break:break-all; }
.card .id span { margin-left:auto; color:var(--muted); font-weight:400; font-size:12px; white-space:nowrap; }
.card .facts { color:var(--muted); }
.card .from { color:var(--muted); font-size:11.5px; } .card .from code { font-size:11px; color:var(--muted); }
.card ul { list-style:none; margin:6px 0 2px; padding:6px 0 0; border-top:1px dashed var(--line); }
.card li { margin:0 0 3px; }
.card li b { font-variant:small-caps; letter-spacing:.3px; }
.card li i { color:var(--muted); font-style:normal; font-size:11px; white-space:nowrap; }
.card li em { color:#7048e8; font-size:11px; }
.card .note { margin-top:6px; padding:5px 8px; background:#fff9db; border-radius:4px; white-space:pre-line; }
.card .why { margin-top:6px; padding:5px 8px; background:#fff5f5; color:var(--bad); border-radius:4px; }
.badge.s-wip { background:#f2f4f7; color:var(--muted); } .badge.s-review { background:#fff4e6; color:#b35c00; }
.badge.s-approved { background:#ebfbee; color:var(--ok); } .badge.s-final { background:#e7f0ff; color:#1c64f2; }
.badge.locked { position:relative; padding-left:19px; }
.badge.locked::before { content:""; position:absolute; left:7px; top:8px; width:8px; height:6px; border-radius:1px;
  background:currentColor; }
.badge.locked::after { content:""; position:absolute; left:8.5px; top:4px; width:5px; height:5px;
  border:1.5px solid currentColor; border-bottom:none; border-radius:3px 3px 0 0; }
.stale-list p { margin:0 0 8px; color:#8a4b00; }
"""


def _encoded(image: Image.Image, kind: str, **options: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=kind, **options)  # PNG optimize=True costs ~20x the time for a few percent
    return buffer.getvalue()


def image_data_uri(image: Image.Image, png: bytes | None = None, quality: int = JPEG_QUALITY) -> str:
    """``image`` as a ``data:`` URI in the smaller of PNG and JPEG: a rendered frame costs about a tenth of
    its PNG as a JPEG, while flat pictures (retro palettes, test patterns) stay smaller and sharp as PNG.
    ``png``: the image's PNG file when there is one (encoding a rendered frame as PNG is ~80x slower than JPEG)."""
    rgb = image.convert("RGB")
    encodings = {"png": png or _encoded(rgb, "PNG"), "jpeg": _encoded(rgb, "JPEG", quality=quality)}
    kind = min(encodings, key=lambda name: len(encodings[name]))
    return f"data:image/{kind};base64," + base64.b64encode(encodings[kind]).decode("ascii")


def _thumbnail_html(path: Path | None) -> str:
    if path is None or not path.is_file():
        return '<div class="nothumb">not rendered</div>'
    data = path.read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        uri = image_data_uri(image, png=data if image.format == "PNG" else None)
    return f'<img src="{uri}" alt="">'


def _seconds(frames: int, frame_rate: float) -> str:
    return f"{frames / frame_rate:.2f} s"


def status_badge(status: ReviewStatus) -> str:
    locked = " locked" if status in LOCKED_STATUSES else ""
    title = ' title="locked: not re-rendered when its inputs change"' if locked else ""
    return f'<span class="badge s-{status}{locked}"{title}>{status}</span>'


def _line_html(line: ShotLine) -> str:
    off_screen = " <em>off-screen</em>" if line.off_screen else ""
    return (
        f"<li><b>{html.escape(line.speaker)}</b>{off_screen} {html.escape(line.text)} "
        f"<i>{max(line.start, 0.0):.1f}–{line.end:.1f} s</i></li>"
    )


def heard_lines(shot: ResolvedShot, frame_rate: float) -> list[ShotLine]:
    """The shot's lines that last at least a frame in it: the cut is rounded to frames, so a line can reach a
    neighbouring shot by a sliver no frame shows."""
    return [line for line in shot.lines if line.end - max(line.start, 0.0) >= 1 / frame_rate]


def _card_html(
    shot: ResolvedShot, number: str, graded: str | None, layout: Layout, frame_rate: float, stale: str | None
) -> str:
    classes = f"card s-{shot.status}" + (" stale" if stale is not None else "")
    subjects = ", ".join(shot.subjects) or "set"
    facts = " · ".join((shot.template_name, subjects, shot.location, shot.time_of_day))
    duration = f"{shot.frame_count} f · {_seconds(shot.frame_count, frame_rate)}"
    origin = f"from the script, line {shot.script_line}" if shot.generated else "written in the production file"
    version = f" · graded <code>{html.escape(graded)}</code>" if graded else ""
    thumbnail = _thumbnail_html(layout.thumbnail(shot.id, graded) if graded else None)
    heard = heard_lines(shot, frame_rate)
    lines = "<ul>" + "".join(_line_html(line) for line in heard) + "</ul>" if heard else ""
    note = f'<p class="note">{html.escape(shot.notes)}</p>' if shot.notes else ""
    why = f'<p class="why">out of date, not re-rendered: {html.escape(stale)}</p>' if stale is not None else ""
    return (
        f'<li class="{classes}" id="shot-{html.escape(shot.id)}">{thumbnail}'
        f'{status_badge(shot.status)}<div><p class="id">{number}<code>{html.escape(shot.id)}</code>'
        f"<span>{duration}</span></p>"
        f'<p class="facts">{html.escape(facts)}</p><p class="from">{origin}{version}</p>{lines}{note}{why}</div></li>'
    )


def scene_runs(shots: Sequence[ResolvedShot]) -> Iterator[tuple[int, list[ResolvedShot]]]:
    """(scene number, its shots) for each run of consecutive shots of one scene, in film order."""
    for scene, run in groupby(shots, key=lambda shot: shot.scene):
        yield scene, list(run)


def scene_heading(production: ResolvedProduction, scene: int) -> str:
    return production.scene_headings.get(scene) or f"Scene {scene}"


def _scene_title(production: ResolvedProduction, scene: int) -> str:
    heading = production.scene_headings.get(scene)
    return f'<span class="sn">{scene}</span>{html.escape(heading)}' if heading else f"Scene {scene}"


def storyboard_html(
    production: ResolvedProduction, graded_versions: Mapping[str, str], locked_stale: Mapping[str, str]
) -> str:
    """Every scene of the film with a card per shot (thumbnails of the ``graded_versions`` given)."""
    layout = production.layout
    frame_rate = production.render.frame_rate
    width = max(2, len(str(len(production.shots))))
    counts = Counter(shot.status for shot in production.shots)
    summary = " ".join(f"{status_badge(status)}&nbsp;{counts[status]}" for status in REVIEW_STATUSES if counts[status])
    runs = list(scene_runs(production.shots))
    scenes = []
    number = 0
    for scene, shots in runs:
        cards = []
        for shot in shots:
            number += 1
            stale = locked_stale.get(shot.id)
            cards.append(
                _card_html(shot, f"{number:0{width}d}", graded_versions.get(shot.id), layout, frame_rate, stale)
            )
        frames = sum(shot.frame_count for shot in shots)
        scenes.append(
            f'<div class="scene"><h3>{_scene_title(production, scene)}'
            f"<small>{len(shots)} shot{'s' if len(shots) != 1 else ''} · {_seconds(frames, frame_rate)}</small></h3>"
            f'<ol class="board">{"".join(cards)}</ol></div>'
        )
    return (
        f'<p class="board-summary">{len(runs)} scene{"s" if len(runs) != 1 else ""} · {len(production.shots)} shots · '
        f"{_seconds(production.total_frames, frame_rate)} · {summary}</p>{''.join(scenes)}"
    )


def locked_stale_html(production: ResolvedProduction, locked_stale: Mapping[str, str]) -> str:
    """The locked shots whose inputs changed since they were approved, in film order, as a table."""
    shots = {shot.id: shot for shot in production.shots}
    ordered = sorted(
        locked_stale, key=lambda shot_id: (shots[shot_id].order if shot_id in shots else len(shots), shot_id)
    )
    rows = []
    for shot_id in ordered:
        shot = shots.get(shot_id)
        name = f'<a href="#shot-{html.escape(shot_id)}">{html.escape(shot_id)}</a>' if shot else html.escape(shot_id)
        status = status_badge(shot.status) if shot else '<span class="badge none">not in the film</span>'
        scene = html.escape(scene_heading(production, shot.scene)) if shot else "–"
        rows.append(
            f"<tr><td><code>{name}</code></td><td>{status}</td><td>{scene}</td><td>{html.escape(locked_stale[shot_id])}</td></tr>"
        )
    return (
        '<div class="panel stale-list"><p>Approved and final shots whose inputs changed: not re-rendered. '
        "They keep the frames that were approved until someone asks for a re-render.</p>"
        f"<table><tr><th>shot</th><th>status</th><th>scene</th><th>what changed</th></tr>{''.join(rows)}</table></div>"
    )
