"""The Dagster code location: every production in PRODUCTION_PATHS (default: the examples), one ``defs``.

Each production is an asset group named by its slug, with its checks, jobs and
sensor. ``defs`` is built when Dagster loads it, not on import; a production
that does not load shows as its ``production_config`` asset with a failing
``check_structure`` and never takes the location down.

Loaded as ``-m production_assets.definitions`` by ``dagster dev``, ``dagster
asset materialize`` and ``dagster asset list``, by workspace.yaml, [tool.dagster]
and ``production ui``. Never imports bpy. A Dagster project that wants one
production rather than a folder of them declares a ``ProductionComponent``.
"""

import dagster as dg

from production_assets.orchestration.definitions_factory import build_definitions


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions()
