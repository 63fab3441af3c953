"""manifest.json: every complete deliverable with size, sha256, media facts and source versions.

The manifest lists an output only when its last build is recorded
(``build/exports/<output>.json``), every recorded file is still there, and it is
not excluded: outputs whose checks failed are left out (and named under
``excluded`` with the reason), so a consumer never picks up a deliverable that
is partial or wrong. Its shape is :class:`~production_assets.export.manifest_schema.Manifest`
(JSON Schema: ``configs/manifest.schema.json``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from production_assets.export.deliver import read_export_record
from production_assets.export.manifest_schema import ExcludedOutput, Manifest, ManifestDeliverable, ManifestFile
from production_assets.export.probe import probe_media
from production_assets.export.verify import colour_limit, failed_outputs, last_verification
from production_assets.model.records import ExportEntry, ExportRecord
from production_assets.model.resolved import ResolvedOutput, ResolvedProduction
from production_assets.storage.atomic import write_text_atomic

VIDEO_SUFFIXES = {".mp4", ".mov"}


@dataclass(frozen=True)
class WrittenManifest:
    path: Path
    count: int
    digest: str
    excluded: tuple[str, ...] = ()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def relative_path(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` in POSIX form, or absolute when it lies outside."""
    try:
        return Path(path).resolve().relative_to(Path(base).resolve()).as_posix()
    except ValueError:
        return str(path)


def _file_entry(entry: ExportEntry, production: ResolvedProduction, output: str) -> ManifestFile:
    path = Path(entry.path)
    facts: dict[str, Any] = {}
    if path.suffix.lower() in VIDEO_SUFFIXES:
        info = probe_media(path, decode=False)
        facts = {
            "codec": info.codec,
            "profile": info.profile,
            "pix_fmt": info.pix_fmt,
            "resolution": (info.width, info.height),
            "frames": info.frames,
            "fps": info.fps,
        }
    return ManifestFile(
        output=output,
        role=entry.role,
        shot=entry.shot,
        path=relative_path(path, Path(production.base_dir)),
        bytes=path.stat().st_size,
        sha256=sha256_file(path),
        **facts,
    )


def _deliverable(
    production: ResolvedProduction, output: ResolvedOutput, record: ExportRecord, files: list[ManifestFile]
) -> ManifestDeliverable:
    base = Path(production.base_dir)
    film = next((f for f in files if f.role == "film"), None)
    return ManifestDeliverable(
        name=output.name,
        format=output.format_name,
        kind=output.kind,
        codec=output.codec,
        path=film.path if film else relative_path(Path(output.path), base),
        resolution=output.resolution,
        fps=output.frame_rate,
        frames=record.frames,
        colors=colour_limit(output) if output.kind == "retro" else None,
        files=len(files),
        bytes=sum(f.bytes for f in files),
        production_version=record.production_version,
        shot_versions=record.shot_versions,
        built_at=record.built_at,
        checks="passed" if last_verification(production, output.name) == [] else "not_run",
    )


def build_manifest(production: ResolvedProduction, exclude: Collection[str] | None = None) -> dict[str, Any]:
    """The manifest as data. ``exclude``: output names to leave out; None leaves out the outputs whose
    last check on their current build failed (:func:`~production_assets.export.verify.failed_outputs`)."""
    excluded_names = failed_outputs(production) if exclude is None else frozenset(exclude)
    deliverables: list[ManifestDeliverable] = []
    files: list[ManifestFile] = []
    excluded: list[ExcludedOutput] = []
    for output in production.outputs:
        record = read_export_record(production, output.name)
        if record is None:
            continue
        if output.name in excluded_names:
            problems = last_verification(production, output.name) or []
            reason = "; ".join(problems) if problems else "excluded by the caller"
            excluded.append(ExcludedOutput(name=output.name, reason=f"checks failed: {reason}" if problems else reason))
            continue
        entries = record.entries
        missing = [entry.path for entry in entries if not Path(entry.path).is_file()]
        if missing:
            excluded.append(
                ExcludedOutput(name=output.name, reason=f"{len(missing)} file(s) missing, first {missing[0]}")
            )
            continue
        output_files = [_file_entry(entry, production, output.name) for entry in entries]
        files.extend(output_files)
        deliverables.append(_deliverable(production, output, record, output_files))
    manifest = Manifest(
        production=production.title,
        slug=production.slug,
        version=production.version,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        shots={shot: version for d in deliverables for shot, version in d.shot_versions.items()},
        deliverables=deliverables,
        outputs=files,
        excluded=excluded,
    )
    # Absent rather than null: a file has media facts only when it is a video.
    return manifest.model_dump(mode="json", exclude_none=True)


def write_manifest(production: ResolvedProduction, exclude: Collection[str] | None = None) -> WrittenManifest:
    """Write ``manifest.json`` in the production folder atomically (see :func:`build_manifest` for ``exclude``)."""
    manifest = build_manifest(production, exclude)
    target = production.layout.manifest
    write_text_atomic(target, json.dumps(manifest, indent=2))
    stable = {key: value for key, value in manifest.items() if key != "created"}
    digest = hashlib.sha256(json.dumps(stable, sort_keys=True).encode()).hexdigest()[:16]
    return WrittenManifest(
        target, len(manifest["deliverables"]), digest, tuple(e["name"] for e in manifest["excluded"])
    )
