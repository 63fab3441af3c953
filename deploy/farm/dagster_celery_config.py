"""Celery settings for farm workers: ``celery -A dagster_celery.app worker`` imports this module.

Put this folder on the worker's PYTHONPATH (scripts/farm/farmctl.py does). The
values mirror ``run_launcher.config`` in deploy/farm/dagster.yaml, which is what
the launching side (daemon, CLI) uses; both read the same environment variables.
"""

import os as _os

broker_url = _os.environ["DAGSTER_CELERY_BROKER_URL"]
result_backend = _os.environ.get("DAGSTER_CELERY_BACKEND_URL", broker_url)
result_extended = True
task_acks_late = True
task_reject_on_worker_lost = True
worker_prefetch_multiplier = 1
broker_transport_options = {
    "visibility_timeout": int(_os.environ.get("PRODUCTION_FARM_VISIBILITY_TIMEOUT", "21600")),
    # One Redis list per Celery priority (kombu's default has four steps), as the launching side uses.
    "priority_steps": list(range(10)),
}
broker_connection_retry_on_startup = True
