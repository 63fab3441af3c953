"""JSON Schema of the production file (top level: `production:`), for editors.

The published copy, ``configs/production.schema.json``, ships with the package; regenerate it with
``production schema > configs/production.schema.json``.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from pydantic import Field

import production_assets.configs
from production_assets.model.base import StrictModel
from production_assets.model.production import ProductionConfig

PUBLISHED_SCHEMA_FILE = "production.schema.json"


class ProductionFile(StrictModel):
    production: ProductionConfig = Field(description="The film.")


def production_file_schema() -> dict[str, Any]:
    schema = ProductionFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "production_assets production file"
    return schema


def published_production_schema() -> dict[str, Any]:
    """The schema file shipped in the built-in configs (what editors are pointed at)."""
    text = resources.files(production_assets.configs).joinpath(PUBLISHED_SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)
