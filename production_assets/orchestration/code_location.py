"""Where Dagster finds the productions: the code location's module, and the name Dagster gives it.

One module, ``production_assets.definitions``, with one ``defs`` holding every
configured production. Dagster names a location loaded from a module after the
module, so every way of loading it agrees without being told: ``dagster dev -m``,
``dagster-webserver -m``, workspace.yaml and [tool.dagster] (neither sets a
name) and `production ui`. Runs made outside the UI (`production run`,
orchestration.launch) record that name, so any of those UIs can re-execute them.
"""

DEFINITIONS_MODULE = "production_assets.definitions"
LOCATION_NAME = DEFINITIONS_MODULE
