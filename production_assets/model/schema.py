"""JSON Schema of the production file (top level: `production:`), for editors."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from production_assets.model.base import StrictModel
from production_assets.model.production import ProductionConfig


class ProductionFile(StrictModel):
    production: ProductionConfig = Field(description="The film.")


def production_file_schema() -> dict[str, Any]:
    schema = ProductionFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "production_assets production file"
    return schema
