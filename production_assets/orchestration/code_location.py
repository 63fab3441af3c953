"""Where Dagster finds the productions: the code location's name and module.

One code location, ``production_assets``, holds a repository per production
(see production_assets.definitions). workspace.yaml, [tool.dagster] and the
workspace `production ui` writes all name it so; runs made outside the UI
record it, so any of those UIs can re-execute them.
"""

LOCATION_NAME = "production_assets"
DEFINITIONS_MODULE = "production_assets.definitions"
