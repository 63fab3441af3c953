"""The Dagster code location: every production in PRODUCTION_PATHS (default: the examples).

Loaded by ``dagster dev -w workspace.yaml``, ``dagster dev`` ([tool.dagster]) and
``dagster asset materialize -m production_assets.definitions``. Never imports bpy.
"""

from production_assets.orchestration.definitions_factory import build_definitions

defs = build_definitions()
