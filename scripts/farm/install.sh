#!/usr/bin/env bash
# Install what the farm profile and its tests need: PostgreSQL and Redis servers
# (Debian packages) and the farm's Python packages. Idempotent; run as root.
set -euo pipefail
if ! command -v redis-server >/dev/null || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server >/dev/null
fi
# Debian starts no services in containers; farmctl runs its own servers on 127.0.0.1.
#
# dagster-postgres / dagster-celery 0.29.N pin dagster==1.13.N exactly, and the
# newest on PyPI (0.29.27) is one behind the project's dagster 1.13.28: a plain
# `pip install dagster-celery==0.29.*` would downgrade dagster. Install them
# without their pin (the farm tests pass on this combination) and their own
# dependencies explicitly. When 0.29.28 is out, use the `farm` extra instead.
FARM_LIB_VERSION="${FARM_LIB_VERSION:-0.29.27}"
pip install -q --no-deps "dagster-postgres==${FARM_LIB_VERSION}" "dagster-celery==${FARM_LIB_VERSION}"
pip install -q "psycopg2-binary>=2.9" "celery[redis]>=5.3,<6" "click<9"
