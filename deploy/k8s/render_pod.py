"""Example (not imported by the package): the render step as a pod, for the Kubernetes route.

The asset body stays as it is in production_assets/orchestration/assets.py; only
the Pipes client changes. `definitions_factory.build_definitions` would register
this resource under the name the asset asks for when PRODUCTION_RENDER_BACKEND=k8s.
The worker module, its Pipes messages (per-frame logs, the materialization
with its data version) and frame-level resume are the same as locally.
"""

from __future__ import annotations

import os

import dagster as dg
from dagster_k8s import PipesK8sClient

RENDER_IMAGE = os.environ.get("PRODUCTION_RENDER_IMAGE", "registry.example/production-assets-bpy:0.1.0")

SHARED_VOLUME = {
    "volumes": [{"name": "productions", "persistentVolumeClaim": {"claimName": "productions-rwx"}}],
    "containers": [
        {
            "name": "render",
            "volumeMounts": [{"name": "productions", "mountPath": "/shared/productions"}],
            "resources": {"limits": {"cpu": "8", "memory": "16Gi"}},
        }
    ],
    "nodeSelector": {"render": "true"},
}


def render_in_pod(context: dg.AssetExecutionContext, client: PipesK8sClient, job: dict) -> dg.MaterializeResult:
    """What `shot_renders` does with `pipes_subprocess_client.run(...)`, in a pod of the bpy image."""
    return client.run(
        context=context,
        image=RENDER_IMAGE,
        command=["python", "-m", "production_assets.render.worker"],
        base_pod_spec=SHARED_VOLUME,
        extras={"job": job},
    ).get_materialize_result()


resources = {"pipes_k8s_client": PipesK8sClient()}
