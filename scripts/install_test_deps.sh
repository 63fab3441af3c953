#!/usr/bin/env bash
# What the test suite needs beyond `pip install -e ".[dev]"`: Chromium for the web-UI tests, PostgreSQL and
# Redis for the farm tests (Debian packages), espeak-ng for scratch dialogue audio, and the `farm` extra
# (scripts/farm/install.sh), all into the active Python environment. Run before pytest (CI: .ci/run).
# Idempotent: Debian packages are installed only when missing. Add one by adding a line to SYSTEM_PACKAGES.
# Last, it names the installed Python packages whose version differs from requirements.lock, so a test
# that breaks on a new release of a dependency points at it.
set -euo pipefail

# Debian package name  ->  a file that proves it is installed
SYSTEM_PACKAGES=(
    "chromium /usr/bin/chromium"     # headless browser for the web-UI tests (production_assets_tests/ui)
    "espeak-ng /usr/bin/espeak-ng"   # text-to-speech engine for scratch dialogue audio
)
here=$(cd "$(dirname "$0")" && pwd)

missing=()
for entry in "${SYSTEM_PACKAGES[@]}"; do
    read -r package proof <<<"$entry"
    [[ -e "$proof" ]] || missing+=("$package")
done

if ((${#missing[@]} > 0)); then
    if [[ $(id -u) -eq 0 ]]; then sudo=(); else sudo=(sudo); fi
    echo "install_test_deps: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq >/dev/null
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
bash "$here/farm/install.sh"   # PostgreSQL, Redis and the farm extra
python "$here/dependencies.py" drift >&2
