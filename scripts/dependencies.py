"""Keep the install consistent: the Dagster family pinned in lockstep, a lock file, and drift against it.

    python scripts/dependencies.py dagster [--core 1.13] [--libraries 0.29] [--check]
        Find on PyPI the newest 1.13.N for which every Dagster package we use exists (core packages at
        1.13.N, libraries at 0.29.N: each pins dagster==1.13.N) and pin them all to it in pyproject.toml.
        --check only prints what it found. Then run `lock` and the tests.
    python scripts/dependencies.py lock
        Install ".[dev,farm,k8s]" into a clean virtual environment, require `pip check` to pass, and write
        every resolved version to requirements.lock (use it as constraints: pip install -c requirements.lock ...).
    python scripts/dependencies.py drift [--strict]
        Name the installed packages whose version differs from requirements.lock (--strict: exit 1 if any).

Moving bpy: change the `bpy==` pin in pyproject.toml (a bpy release supports one Python version: keep
requires-python in step), then run `lock` and the tests.
"""

from __future__ import annotations

import argparse
import datetime
import platform
import re
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = REPO / "pyproject.toml"
LOCK = REPO / "requirements.lock"
LOCKED_EXTRAS = "dev,farm,k8s"
# Released together: core packages as <core>.N, libraries as <libraries>.N, each pinning dagster==<core>.N.
# The ones pyproject.toml names, then those they pull in at the same N.
CORE_PACKAGES = ("dagster", "dagster-webserver", "dagster-graphql", "dagster-pipes", "dagster-dg-cli")
CORE_PULLED_IN = ("dagster-shared", "dagster-dg-core", "dagster-cloud-cli")
LIBRARY_PACKAGES = ("dagster-postgres", "dagster-celery", "dagster-k8s")
LIBRARY_PULLED_IN = ("dagster-rest-resources",)


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_series(text: str, package: str) -> str:
    """The major.minor a pyproject pin of `package` (`"package==1.13.27"`) is on."""
    match = re.search(rf'"{re.escape(package)}==(\d+\.\d+)\.\d+"', text)
    if not match:
        raise SystemExit(f"pyproject.toml has no {package}==X.Y.N pin")
    return match.group(1)


def released_patches(package: str, series: str) -> set[int]:
    """The N of every <series>.N release of `package` on the package index pip uses."""
    done = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", package], capture_output=True, text=True, check=False
    )
    listed = re.search(r"^Available versions: (.*)$", done.stdout, re.M)
    if done.returncode != 0 or not listed:
        raise SystemExit(f"pip index versions {package} failed:\n{done.stderr.strip()}")
    patches = (
        version.removeprefix(f"{series}.")
        for version in listed.group(1).split(", ")
        if version.startswith(f"{series}.")
    )
    return {int(patch) for patch in patches if patch.isdigit()}


def newest_complete_release(core: str, libraries: str) -> int:
    available: dict[str, set[int]] = {}
    for package in CORE_PACKAGES + CORE_PULLED_IN:
        available[f"{package} {core}.N"] = released_patches(package, core)
    for package in LIBRARY_PACKAGES + LIBRARY_PULLED_IN:
        available[f"{package} {libraries}.N"] = released_patches(package, libraries)
    for name, patches in available.items():
        print(f"  {name:40s} newest N = {max(patches, default='none')}")
    common = set.intersection(*available.values())
    if not common:
        raise SystemExit(f"no {core}.N has every package of the family")
    return max(common)


def pin_dagster(args: argparse.Namespace) -> None:
    text = PYPROJECT.read_text(encoding="utf-8")
    core = args.core or pinned_series(text, "dagster")
    libraries = args.libraries or pinned_series(text, "dagster-postgres")
    patch = newest_complete_release(core, libraries)
    print(f"newest complete release: dagster {core}.{patch} with libraries {libraries}.{patch}")
    if args.check:
        return
    for package in CORE_PACKAGES:
        text = re.sub(rf'"{re.escape(package)}==[\d.]+"', f'"{package}=={core}.{patch}"', text)
    for package in LIBRARY_PACKAGES:
        text = re.sub(rf'"{re.escape(package)}==[\d.]+"', f'"{package}=={libraries}.{patch}"', text)
    PYPROJECT.write_text(text, encoding="utf-8")
    print("pinned in pyproject.toml; next: python scripts/dependencies.py lock, then the tests")


def write_lock(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="production-assets-lock-") as scratch:
        venv = Path(scratch) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = str(venv / "bin" / "python")
        subprocess.run([python, "-m", "pip", "install", "-q", "-e", f"{REPO}[{LOCKED_EXTRAS}]"], check=True)
        subprocess.run([python, "-m", "pip", "check"], check=True)
        frozen = subprocess.run(
            [python, "-m", "pip", "freeze", "--exclude-editable"], capture_output=True, text=True, check=True
        ).stdout
    pins = sorted((line for line in frozen.splitlines() if "==" in line), key=lambda pin: canonical(pin.split("==")[0]))
    header = [
        f'# Every package of `pip install -e ".[{LOCKED_EXTRAS}]"` as resolved in a clean virtual environment',
        f"# on {datetime.date.today()} (Python {platform.python_version()}, {sys.platform} {platform.machine()}).",
        '# Reproducible install: pip install -c requirements.lock -e ".[dev,farm]"   (any of the extras)',
        "# Regenerate: python scripts/dependencies.py lock   (README: Upgrading dependencies)",
    ]
    LOCK.write_text("\n".join(header + pins) + "\n", encoding="utf-8")
    print(f"{LOCK.name}: {len(pins)} packages")


def locked_versions() -> dict[str, str]:
    versions = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            versions[canonical(name)] = version.strip()
    return versions


def report_drift(args: argparse.Namespace) -> None:
    locked = locked_versions()
    installed = {canonical(dist.metadata["Name"]): dist.version for dist in metadata.distributions()}
    both = locked.keys() & installed.keys()
    moved = sorted((name, locked[name], installed[name]) for name in both if locked[name] != installed[name])
    for name, lock_version, version in moved:
        print(f"{name}: {version} installed, {lock_version} in {LOCK.name}")
    if moved:
        print(f"{len(moved)} installed package(s) differ from {LOCK.name}")
    if moved and args.strict:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    dagster = commands.add_parser("dagster", help="pin the Dagster family to its newest complete release")
    dagster.add_argument("--core", help="core series, e.g. 1.13 (default: the pinned one)")
    dagster.add_argument("--libraries", help="library series, e.g. 0.29 (default: the pinned one)")
    dagster.add_argument("--check", action="store_true", help="only print what is on the index")
    dagster.set_defaults(run=pin_dagster)
    commands.add_parser("lock", help=f"rewrite {LOCK.name} from a clean install").set_defaults(run=write_lock)
    drift = commands.add_parser("drift", help=f"installed versions that differ from {LOCK.name}")
    drift.add_argument("--strict", action="store_true")
    drift.set_defaults(run=report_drift)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
