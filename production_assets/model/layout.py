"""Where a production's files live: every path under ``<production folder>/build/`` and the two
files beside the production file. No other module spells a folder or file name of the build.

Frames know their version: a shot's rendered frames live in a folder named after the data version
they were rendered for, and its graded frames in a folder named after the graded version::

    build/shots/<shot id>/renders/<render version>/frames/frame_0001.png   finished frames
                                                  /.staging/                frames being rendered
                                                  /render_job.json          the job, as rendered
                                                  /fingerprint.json         what the pixels depend on
                                                  /render.log, render_log.json
    build/shots/<shot id>/graded/<graded version>/frame_0001.png, thumbnail.png
                                 /.<graded version>.staging-<token>/       a grade being written

A frame file in ``renders/<v>/frames`` was rendered for version ``v`` and nothing else, so resume
never mixes two versions of the YAML in one shot, and the frames of a version survive an
interruption. A graded folder appears whole (it is written under a temporary name and renamed), so
delivery, which reads only the graded version Dagster recorded, never sees a half-graded shot.
Older versions stay until `production clean` removes them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

BUILD = "build"
MANIFEST_NAME = "manifest.json"
REPORT_NAME = "report.html"
THUMBNAIL_NAME = "thumbnail.png"
_SAFE = re.compile(r"[^A-Za-z0-9_-]+")


def safe_name(name: str) -> str:
    """A name fit for file names and Dagster asset keys: [A-Za-z0-9_-], unique per input."""
    safe = _SAFE.sub("_", name).strip("_")[:48] or "x"
    return safe if safe == name else f"{safe}_{hashlib.sha1(name.encode()).hexdigest()[:6]}"


@dataclass(frozen=True)
class Layout:
    """The paths of one production folder (``base_dir`` holds the production file)."""

    base_dir: Path

    # ----- beside the production file -----------------------------------------------------------
    @property
    def manifest(self) -> Path:
        return self.base_dir / MANIFEST_NAME

    @property
    def report(self) -> Path:
        return self.base_dir / REPORT_NAME

    # ----- production-wide files under build/ ---------------------------------------------------
    @cached_property
    def build_dir(self) -> Path:
        return self.base_dir / BUILD

    @property
    def resolved_config(self) -> Path:
        return self.build_dir / "production_config.json"

    @property
    def names_cache(self) -> Path:
        """The asset graph's names, cached by the production files' content hash."""
        return self.build_dir / "definitions_names.json"

    @property
    def loaded_cache(self) -> Path:
        """The production as loaded, validated and resolved, for the next command (orchestration.production_cache)."""
        return self.build_dir / "loaded_production.json"

    @property
    def frame_counts(self) -> Path:
        """How many frames each version folder held when `production run` last counted (storage.frames.FrameCounts)."""
        return self.build_dir / "frame_counts.json"

    @property
    def run_checkpoint(self) -> Path:
        """What the last `production run` was asked for and how it ended (engine.checkpoint)."""
        return self.build_dir / "run_checkpoint.json"

    @property
    def run_lock(self) -> Path:
        return self.build_dir / ".run.lock"

    def worker_log(self, slot: int) -> Path:
        return self.build_dir / "logs" / f"worker_{slot}.log"

    def prepared_blend(self, kind: str, name: str) -> Path:
        """A prepared character or location: ``build/characters/<name>.blend``."""
        return self.build_dir / f"{kind}s" / f"{safe_name(name)}.blend"

    def prepared_record(self, kind: str, name: str) -> Path:
        """The version the prepared .blend was built for (model.records.PreparedRecord)."""
        return self.prepared_blend(kind, name).with_suffix(".json")

    def export_record(self, output: str) -> Path:
        return self.build_dir / "exports" / f"{output}.json"

    def export_checks(self, output: str) -> Path:
        return self.build_dir / "exports" / f"{output}.checks.json"

    def audio_cache(self) -> Path:
        return self.build_dir / "audio"

    # ----- shots ------------------------------------------------------------------------------
    @cached_property
    def shots_dir(self) -> Path:
        return self.build_dir / "shots"

    def shot_dir(self, shot_id: str) -> Path:
        return self.shots_dir / shot_id

    def renders_dir(self, shot_id: str) -> Path:
        return self.shot_dir(shot_id) / "renders"

    # One joinpath per path: planning asks for two folders of every shot (10,000 in a feature film).
    def render_dir(self, shot_id: str, version: str) -> Path:
        return self.shots_dir.joinpath(shot_id, "renders", version)

    def frames_dir(self, shot_id: str, version: str) -> Path:
        return self.shots_dir.joinpath(shot_id, "renders", version, "frames")

    def staging_dir(self, shot_id: str, version: str) -> Path:
        return self.render_dir(shot_id, version) / ".staging"

    def render_job_file(self, shot_id: str, version: str) -> Path:
        return self.render_dir(shot_id, version) / "render_job.json"

    def fingerprint_file(self, shot_id: str, version: str) -> Path:
        return self.render_dir(shot_id, version) / "fingerprint.json"

    def render_log(self, shot_id: str, version: str) -> Path:
        """Written by the worker beside the frames folder (render.shot_log.render_log_file)."""
        return self.render_dir(shot_id, version) / "render.log"

    def render_timings(self, shot_id: str, version: str) -> Path:
        """Seconds per frame, written by the worker beside the frames folder (render.render_log)."""
        return self.render_dir(shot_id, version) / "render_log.json"

    def graded_root(self, shot_id: str) -> Path:
        return self.shot_dir(shot_id) / "graded"

    def graded_dir(self, shot_id: str, graded_version: str) -> Path:
        return self.shots_dir.joinpath(shot_id, "graded", graded_version)

    def thumbnail(self, shot_id: str, graded_version: str) -> Path:
        return self.graded_dir(shot_id, graded_version) / THUMBNAIL_NAME

    def render_versions(self, shot_id: str) -> list[str]:
        """The versions a shot has render folders for."""
        return _subfolders(self.renders_dir(shot_id))

    def graded_versions(self, shot_id: str) -> list[str]:
        """The graded versions a shot has complete folders for (partial ones are not listed)."""
        return _subfolders(self.graded_root(shot_id))


def _subfolders(folder: Path) -> list[str]:
    try:
        return sorted(entry.name for entry in folder.iterdir() if entry.is_dir() and not entry.name.startswith("."))
    except OSError:
        return []
