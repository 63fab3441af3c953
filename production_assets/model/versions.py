"""The versions of its shots a production has published: what Dagster recorded last for each shot."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PublishedVersions:
    """Shot id -> the render and graded data versions of its latest materializations.

    Delivery, the manifest and the report read only these versions' frames (model.layout), so a
    version that is still being rendered never reaches a deliverable.
    """

    render: dict[str, str] = field(default_factory=dict)
    graded: dict[str, str] = field(default_factory=dict)

    def graded_for(self, shot_ids: list[str]) -> dict[str, str]:
        """Each shot's published graded version ("missing" when it has none)."""
        return {shot_id: self.graded.get(shot_id, "missing") for shot_id in shot_ids}
