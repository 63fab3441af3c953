"""The shape of manifest.json as pydantic models; ``configs/manifest.schema.json`` is generated from them.

    python -m production_assets.export.manifest_schema > configs/manifest.schema.json

The published copy ships with the package (the built-in configs).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

import production_assets.configs
from production_assets.model.records import FileRole

MANIFEST_SCHEMA_VERSION = 1
SCHEMA_ID = "https://production-assets.example/manifest.schema.json"
PUBLISHED_SCHEMA_FILE = "manifest.schema.json"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ManifestFile(_Strict):
    """One complete file of a deliverable."""

    output: str = Field(description="The output (deliverable) this file belongs to.")
    role: FileRole
    shot: str | None = Field(None, description="The shot a per-shot file belongs to.")
    path: str = Field(description="Relative to the production folder (absolute only for outputs placed outside it).")
    bytes: int = Field(ge=0)
    sha256: str = Field(pattern="^[0-9a-f]{64}$")
    codec: str | None = Field(None, description="Video files: the codec as FFmpeg names it (h264, prores).")
    profile: str | None = None
    pix_fmt: str | None = None
    resolution: tuple[int, int] | None = None
    frames: int | None = Field(None, ge=0)
    fps: float | None = Field(None, gt=0)


class ManifestDeliverable(_Strict):
    """One output of the production, as built and checked."""

    name: str
    format: str
    kind: Literal["video", "retro"]
    codec: str = Field(description="As configured: h264, prores_4444 or png.")
    path: str = Field(description="The film (video) or the output folder (retro), relative.")
    resolution: tuple[int, int]
    fps: float = Field(gt=0)
    frames: int = Field(ge=0, description="Frames of the conformed film: the sum of the shots' frames.")
    colors: int | None = Field(None, description="Retro: the most colours a frame may use.")
    files: int = Field(ge=1)
    bytes: int = Field(ge=0)
    production_version: str
    shot_versions: dict[str, str] = Field(description="Shot id -> data version of the frames it was built from.")
    built_at: str
    checks: Literal["passed", "not_run"] = Field(description="The export's checks on this build.")


class ExcludedOutput(_Strict):
    name: str
    reason: str


class Manifest(_Strict):
    """manifest.json: every complete deliverable of a production."""

    schema_version: Literal[1] = MANIFEST_SCHEMA_VERSION
    production: str
    slug: str
    version: str
    created: str
    shots: dict[str, str] = Field(description="Shot id -> current data version.")
    deliverables: list[ManifestDeliverable]
    outputs: list[ManifestFile] = Field(description="Every file of every listed deliverable.")
    excluded: list[ExcludedOutput] = Field(default_factory=list, description="Outputs left out, and why.")


def manifest_json_schema() -> dict[str, Any]:
    schema = Manifest.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def published_manifest_schema() -> dict[str, Any]:
    """The schema file shipped in the built-in configs (what readers of manifest.json validate against)."""
    text = resources.files(production_assets.configs).joinpath(PUBLISHED_SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


if __name__ == "__main__":
    print(json.dumps(manifest_json_schema(), indent=2))
