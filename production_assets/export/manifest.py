"""manifest.json: every complete deliverable with size, sha256, media facts and source versions."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from production_assets.export.atomic import write_text_atomic
from production_assets.export.deliver import export_record_path, shot_versions
from production_assets.export.probe import probe_media
from production_assets.model.resolved import ResolvedProduction

MANIFEST_NAME = "manifest.json"
MEDIA_SUFFIXES = {".mp4", ".mov", ".gif"}


@dataclass(frozen=True)
class WrittenManifest:
    path: Path
    count: int
    digest: str


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _relative(path: Path, base: Path) -> str:
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


def _entry(path: Path, production: ResolvedProduction, output: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "output": output,
        "path": _relative(path, Path(production.base_dir)),
        "bytes": path.stat().st_size,
        "sha256": sha256_file(path),
    }
    if path.suffix.lower() in {".mp4", ".mov"}:
        info = probe_media(path)
        entry.update(
            codec=info.codec,
            profile=info.profile,
            pix_fmt=info.pix_fmt,
            resolution=[info.width, info.height],
            frames=info.frames,
            fps=info.fps,
        )
    return entry


def build_manifest(production: ResolvedProduction) -> dict[str, Any]:
    entries = []
    for output in production.outputs:
        record_path = export_record_path(production, output.name)
        if not record_path.is_file():
            continue
        record = json.loads(record_path.read_text())
        entries.extend(_entry(Path(f), production, output.name) for f in record["files"] if Path(f).is_file())
    return {
        "production": production.title,
        "slug": production.slug,
        "version": production.version,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "shots": shot_versions(production),
        "outputs": entries,
    }


def write_manifest(production: ResolvedProduction) -> WrittenManifest:
    manifest = build_manifest(production)
    target = Path(production.base_dir) / MANIFEST_NAME
    write_text_atomic(target, json.dumps(manifest, indent=2))
    stable = {key: value for key, value in manifest.items() if key != "created"}
    return WrittenManifest(target, len(manifest["outputs"]), hashlib.sha256(json.dumps(stable, sort_keys=True).encode()).hexdigest()[:16])
