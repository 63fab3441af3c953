"""Acting data: timed action clips on a character, and a shot's acting requests as written in YAML.

:class:`ActionClip` is what a :class:`~production_assets.model.render_job.CharacterPlacement`
carries to the renderer. :class:`ActionRequest`, :class:`BlockingRequest` and
:data:`LookAtRequest` are the shot keys ``action:``, ``blocking:`` and
``look_at:`` (short forms accepted); :mod:`production_assets.acting.staging`
turns them into clips, marks and eyelines.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from production_assets.model.base import StrictModel, Vec3

Vec2 = tuple[float, float]
LookTarget = Vec3 | Literal["camera"]
Speed = Annotated[float, Field(gt=0, le=10)]


class ActionClip(StrictModel):
    """One action over frames ``start_frame``..``end_frame`` of the shot (1-based, inclusive)."""

    name: str = Field(description="An action of the library (production_assets.acting.registry) or of the model file.")
    start_frame: Annotated[int, Field(ge=1)]
    end_frame: Annotated[int, Field(ge=1)]
    to: Vec2 | None = Field(None, description="Walk/run destination, turn/point target: (x, y) in metres, world.")
    speed: Speed = Field(1.0, description="Pace of walk/run: 1.0 is natural.")

    @model_validator(mode="after")
    def _frames_in_order(self) -> ActionClip:
        if self.end_frame < self.start_frame:
            raise ValueError(f"end_frame {self.end_frame} is before start_frame {self.start_frame}")
        return self


def _name_alone(value: Any) -> Any:
    return {"name": value} if isinstance(value, str) else value


class ActionRequest(StrictModel):
    """One entry of a shot's ``action:``: ``"walk"`` or ``{name: "walk", to: [2.0, 0.0], speed: 1.2}``.

    ``start``/``end`` are frames of the shot (1-based, inclusive); without them
    the action covers the shot, or its share of it in a list.
    """

    name: str
    to: Vec2 | None = None
    speed: Speed = 1.0
    start: Annotated[int, Field(ge=1)] | None = None
    end: Annotated[int, Field(ge=1)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, value: Any) -> Any:
        return _name_alone(value)


def _as_list(value: Any) -> Any:
    return value if isinstance(value, list) else [value]


ActionRequests = Annotated[list[ActionRequest], BeforeValidator(_as_list)]
"""A character's actions in a shot: one request, or a list played one after another."""


class BlockingRequest(StrictModel):
    """One entry of a shot's ``blocking:``: a mark and where the character faces."""

    mark: Vec2 | str | None = Field(
        None, description="Where the character stands: (x, y) in metres, or a named mark of the set (desk, door...)."
    )
    facing: str | float | None = Field(None, description='Another character\'s name, "camera", or degrees.')


LookAtRequest = str | Vec3
"""One entry of a shot's ``look_at:``: a character's name (its eyes), ``"camera"``, or a point [x, y, z]."""
