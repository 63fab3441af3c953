#!/usr/bin/env bash
# Install what the farm profile and its tests need: PostgreSQL and Redis servers (Debian packages) and the
# `farm` extra (dagster-postgres, dagster-celery, Celery with Redis, psycopg2) into the active Python
# environment, pinned in lockstep with the project's Dagster by pyproject.toml. Idempotent; run as root.
# FARM_CONSTRAINTS=requirements.lock installs the locked versions instead of today's resolution.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v redis-server >/dev/null || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server >/dev/null
fi
# Debian starts no services in containers; farmctl runs its own servers on 127.0.0.1.
constraints=()
[[ -n "${FARM_CONSTRAINTS:-}" ]] && constraints=(-c "$FARM_CONSTRAINTS")
python -m pip install -q "${constraints[@]}" -e "${repo}[farm]"
python -m pip check >/dev/null || { python -m pip check >&2; exit 1; }
