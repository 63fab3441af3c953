"""The Dagster code location: one repository per production in PRODUCTION_PATHS (default: the examples).

Each production is a repository named by its slug, built only when asked for: the web
UI's code server builds them all, a run process only the one its run belongs to (its
code pointer is this module's attribute of that name). So a run's start-up does not
grow with the number of productions in the location.

Loaded by ``dagster dev -w workspace.yaml``, ``dagster dev`` ([tool.dagster]) and
``dagster asset materialize -m production_assets.definitions [-a <slug>]`` (``-a``
is needed when several productions are configured). Never imports bpy.
"""

from production_assets.orchestration import definitions_factory as _factory


def __getattr__(name: str) -> object:
    repository = None if name.startswith("_") else _factory.production_repository(name)
    if repository is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r} (no production {name!r} is configured)")
    return repository


def __dir__() -> list[str]:
    return sorted([*globals(), *_factory.configured_slugs()])
