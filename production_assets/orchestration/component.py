"""``ProductionComponent``: one production declared in any Dagster project's ``defs.yaml``.

.. code-block:: yaml

    type: production_assets.ProductionComponent
    attributes:
      path: ../../../productions/my_film     # a production YAML file or its folder, relative to this defs.yaml

It builds what the code location ``production_assets.definitions`` builds for
each production it finds: the production's asset group, its blocking checks,
its ``<slug>_prepare``, ``<slug>_shots`` and ``<slug>_deliver`` jobs, its
sensor and the Pipes client the render steps use. A production that does not
load still shows, as its ``production_config`` asset with a failing
``check_structure``. Never imports bpy.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from pydantic import Field

from production_assets.orchestration.definitions_factory import production_definitions


class ProductionComponent(dg.Component, dg.Resolvable, dg.Model):
    """A film production described in YAML, rendered by Blender: its assets, checks, jobs and sensor.

    The assets: production_config, characters, locations, shot_renders and graded_shots (a partition per
    shot), exports and manifest, grouped under the production's slug.
    """

    path: str = Field(
        description="The production YAML file or its folder, relative to the folder of this defs.yaml "
        "(or absolute). A folder also brings in its characters/, locations/ and shots/ section files."
    )

    def production_path(self, context: dg.ComponentLoadContext) -> Path:
        """The production this component declares, as an absolute path."""
        return (context.path / Path(self.path).expanduser()).resolve()

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        return production_definitions(self.production_path(context))
