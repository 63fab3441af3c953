"""A production's metadata (title, version, author, ...) as one model.

In YAML these keys sit directly under ``production:``; ``ProductionConfig.meta`` gathers them.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from production_assets.model.base import StrictModel


class ProductionMeta(StrictModel):
    """Who made the film and when: the ``production:`` keys that describe it rather than build it."""

    title: Annotated[str, Field(min_length=1, max_length=200)]
    version: str = "1.0"
    author: str = ""
    description: str = ""
    created: str | None = Field(None, description="ISO 8601; the file's creation time when the YAML leaves it out.")
    modified: str | None = Field(None, description="ISO 8601; the file's last change when the YAML leaves it out.")
