"""What can run together: shot groups for the Python API, and the asset-level graph `production run` works through."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from production_assets.model.production import Shot
from production_assets.model.resolved import ResolvedProduction, ResolvedShot


def analyze_dependencies(shots: Sequence[Shot | ResolvedShot]) -> list[set[int]]:
    """Groups of shot indices that can run together, in the order they can run.

    A shot waits for the production's config and for the characters and location it uses (prepared
    before any shot), never for another shot, so every shot can run at once: one group. Two entries
    with the same id are the same Dagster partition, so a repeat waits for the one before it (next group).
    """
    groups: list[set[int]] = []
    seen: Counter[str] = Counter()
    for index, shot in enumerate(shots):
        wave = seen[shot.id] if shot.id else 0
        if shot.id:
            seen[shot.id] += 1
        groups.extend(set() for _ in range(wave + 1 - len(groups)))
        groups[wave].add(index)
    return groups


def asset_groups(production: ResolvedProduction) -> list[list[str]]:
    """The run's units of work in dependency order; work inside a group does not depend on its neighbours."""
    return [
        ["production_config"],
        [f"characters/{name}" for name in production.characters]
        + [f"locations/{name}" for name in production.locations],
        [f"shot_renders[{shot.id}]" for shot in production.shots],
        [f"graded_shots[{shot.id}]" for shot in production.shots],
        [f"exports/{output.name}" for output in production.outputs],
        ["manifest"],
    ]


def create_execution_graph(production: ResolvedProduction) -> dict[str, list[str]]:
    """Each unit of work and what it waits for (the asset graph, per shot)."""
    groups = asset_groups(production)
    graph: dict[str, list[str]] = {node: [] for group in groups for node in group}
    for node in groups[1]:
        graph[node] = ["production_config"]
    for shot in production.shots:
        graph[f"shot_renders[{shot.id}]"] = [
            "production_config",
            *(f"characters/{name}" for name in shot.subjects),
            f"locations/{shot.location}",
        ]
        graph[f"graded_shots[{shot.id}]"] = [f"shot_renders[{shot.id}]"]
    for node in groups[4]:
        graph[node] = list(groups[3])
    graph["manifest"] = list(groups[4])
    return graph
