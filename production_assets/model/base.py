"""Shared pydantic base: every model forbids unknown keys."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

Vec3 = tuple[float, float, float]
Color = tuple[float, float, float]


class StrictModel(BaseModel):
    """A model that rejects keys it does not know (typos are errors, not silence)."""

    model_config = ConfigDict(extra="forbid", frozen=False, validate_assignment=False)
