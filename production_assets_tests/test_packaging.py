"""The package is self-contained: a wheel installed outside the repository creates, validates, runs and serves
productions from any working directory.

The wheel is built from a copy of the sources and installed alone into a fresh virtual environment. That
environment sees the dependencies already installed beside this interpreter through one ``.pth`` line naming
their site-packages folders: such a line only extends ``sys.path`` and does not run the ``.pth`` files of the
folder it names, so the editable install's finder (a ``.pth`` there) never loads and the wheel's copy of
production_assets is the one imported (asserted, not assumed).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import site
import subprocess
import sys
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import av
import pytest

from production_assets_tests.conftest import TINY_PRODUCTION, write_production
from production_assets_tests.ui.dagster_ui import free_port, wait_for

REPO = Path(__file__).resolve().parents[1]
# What the wheel is built from; the rest of the repository (tests, docs, benchmarks) is not part of it.
SOURCES = ("pyproject.toml", "setup.py", "setup.cfg", "README.md", "production_assets", "configs", "deploy")
# What `production run` of the example, Python and setuptools leave in a working tree.
NOT_SOURCES = ("__pycache__", "*.pyc", "*.egg-info", "build", "output", "manifest.json", "report.html")
REPOSITORY_POINTERS = ("PYTHONPATH", "PRODUCTION_CONFIGS_DIR", "PRODUCTION_PATHS")
ONE_SHOT_PRODUCTION = TINY_PRODUCTION.replace(
    "    - {template: close_up, scene: 1, character: Hero, duration: 2}\n", ""
)


@dataclass(frozen=True)
class InstalledWheel:
    wheel: Path
    python: Path
    bin_dir: Path
    site_packages: Path

    @property
    def configs(self) -> Path:
        return self.site_packages / "production_assets" / "configs"

    def env(self, home: Path) -> dict[str, str]:
        """This environment minus what would point the wheel back at the repository, on DAGSTER_HOME `home`."""
        env = {key: value for key, value in os.environ.items() if key not in REPOSITORY_POINTERS}
        return {
            **env,
            "PATH": f"{self.bin_dir}{os.pathsep}{env.get('PATH', '')}",
            "DAGSTER_HOME": str(home),
            "NO_COLOR": "1",
            "PYTHONUNBUFFERED": "1",
        }

    def production(
        self, *args: str, cwd: Path, home: Path, timeout: float = 120, **settings: str
    ) -> subprocess.CompletedProcess[str]:
        """The wheel's `production` console script, run from `cwd` on the Dagster instance in `home`."""
        return subprocess.run(
            [str(self.bin_dir / "production"), *args],
            cwd=cwd,
            env={**self.env(home), **settings},
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def copy_sources(destination: Path) -> Path:
    destination.mkdir(parents=True)
    for name in SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns(*NOT_SOURCES))
        else:
            shutil.copy2(source, destination / name)
    return destination


def run_checked(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a setup or probe command; its stdout, or the test fails with its output."""
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    output = f"{done.stdout[-3000:]}{done.stderr[-3000:]}"
    assert done.returncode == 0, f"{' '.join(command)}: exit {done.returncode}\n{output}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> InstalledWheel:
    root = tmp_path_factory.mktemp("packaging")
    sources = copy_sources(root / "src")
    dist = root / "dist"
    # Offline: the build backend (setuptools, from the dev extra) is the one installed here.
    offline = ["--no-deps", "--no-index"]
    run_checked(
        [sys.executable, "-m", "pip", "wheel", *offline, "--no-build-isolation", "-w", str(dist), str(sources)], root
    )
    (wheel,) = dist.glob("production_assets-*.whl")
    venv = root / "venv"
    run_checked([sys.executable, "-m", "venv", str(venv)], root)
    python = venv / "bin" / "python"
    purelib = Path(
        run_checked([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], root).strip()
    )
    (purelib / "_installed_dependencies.pth").write_text("".join(f"{folder}\n" for folder in site.getsitepackages()))
    run_checked([str(python), "-m", "pip", "install", *offline, str(wheel)], root)
    return InstalledWheel(wheel, python, venv / "bin", purelib)


def test_the_wheel_holds_every_module_and_the_built_in_configs_but_no_build_output(installed: InstalledWheel) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    modules = {path.relative_to(REPO).as_posix() for path in (REPO / "production_assets").rglob("*.py")}
    configs = {
        f"production_assets/configs/{path.relative_to(REPO / 'configs').as_posix()}"
        for path in (REPO / "configs").rglob("*")
        if path.is_file()
        and not ({"build", "output", "__pycache__"} & set(path.relative_to(REPO / "configs").parts))
        and path.name not in ("manifest.json", "report.html")
    }
    assert modules - names == set()
    assert configs - names == set()
    assert {
        "production_assets/configs/presets/styles.yaml",
        "production_assets/configs/production/templates/short_film.yaml",
        "production_assets/configs/production/examples/example_production/production.yaml",
        "production_assets/configs/production.schema.json",
        "production_assets/configs/manifest.schema.json",
        "production_assets/deploy/local/dagster.yaml",
    } <= names
    leftovers = [name for name in names if "/build/" in name or "/output/" in name or name.endswith("report.html")]
    assert leftovers == []


def test_the_installed_wheel_is_what_runs(installed: InstalledWheel, tmp_path: Path) -> None:
    probe = (
        "import json, sys, production_assets, production_assets.configs\n"
        "from production_assets.loading.presets import configs_dir\n"
        "print(json.dumps({'package': production_assets.__file__, 'configs': str(configs_dir()),"
        " 'finders': [getattr(finder, '__module__', '') for finder in sys.meta_path]}))\n"
    )
    found = json.loads(run_checked([str(installed.python), "-c", probe], tmp_path, installed.env(tmp_path / "home")))
    assert Path(found["package"]).is_relative_to(installed.site_packages), found
    assert not Path(found["package"]).resolve().is_relative_to(REPO)
    assert Path(found["configs"]) == installed.configs
    assert not [name for name in found["finders"] if name.startswith("__editable__")], found["finders"]


def test_the_shipped_schemas_are_the_generated_ones(installed: InstalledWheel, tmp_path: Path) -> None:
    probe = (
        "from production_assets.model.schema import production_file_schema, published_production_schema\n"
        "from production_assets.export.manifest_schema import manifest_json_schema, published_manifest_schema\n"
        "assert published_production_schema() == production_file_schema()\n"
        "assert published_manifest_schema() == manifest_json_schema()\n"
    )
    run_checked([str(installed.python), "-c", probe], tmp_path, installed.env(tmp_path / "home"))


def test_the_shipped_example_validates_from_any_folder(installed: InstalledWheel, tmp_path: Path) -> None:
    home = tmp_path / "home"
    listed = installed.production("list", "--json", cwd=tmp_path, home=home)
    assert listed.returncode == 0, listed.stderr[-2000:]
    shipped = json.loads(listed.stdout)
    assert {entry["name"] for entry in shipped} >= {"example_production", "animatic"}
    assert all(Path(entry["path"]).is_relative_to(installed.configs) and entry["valid"] for entry in shipped)
    (example,) = [entry for entry in shipped if entry["name"] == "example_production"]
    assert example["shots"] == 4
    validated = installed.production("validate", example["path"], "--json", cwd=tmp_path, home=home)
    assert validated.returncode == 0, validated.stdout[-2000:] + validated.stderr[-2000:]
    assert json.loads(validated.stdout)["valid"] is True


def test_every_template_creates_a_production_that_validates(installed: InstalledWheel, tmp_path: Path) -> None:
    home = tmp_path / "home"
    templates = sorted(path.stem for path in (installed.configs / "production" / "templates").glob("*.yaml"))
    assert templates == ["commercial", "game_assets", "short_film"]
    for template in templates:
        created = installed.production("create", f"my_{template}", "--template", template, cwd=tmp_path, home=home)
        assert created.returncode == 0, created.stderr[-2000:]
        validated = installed.production("validate", f"my_{template}", "--strict", cwd=tmp_path, home=home)
        assert validated.returncode == 0, f"{template}: {validated.stdout[-2000:]}{validated.stderr[-2000:]}"
        assert "# " in (tmp_path / f"my_{template}" / "production.yaml").read_text(), "the template's comments are kept"
    assert (tmp_path / "my_short_film" / "scripts" / "short_film.fountain").is_file(), "a template's files are copied"


def test_production_configs_dir_still_overrides_the_built_in_presets(installed: InstalledWheel, tmp_path: Path) -> None:
    house = tmp_path / "house_configs"
    shutil.copytree(installed.configs, house)
    styles = house / "presets" / "styles.yaml"
    styles.write_text(styles.read_text().replace("\ncinematic:", "\nhouse_look:", 1))
    folder = tmp_path / "tiny"
    write_production(folder)
    home = tmp_path / "home"
    assert installed.production("validate", str(folder), cwd=tmp_path, home=home).returncode == 0
    override = {"PRODUCTION_CONFIGS_DIR": str(house)}
    overridden = installed.production("validate", str(folder), cwd=tmp_path, home=home, **override)
    assert overridden.returncode == 1
    assert "unknown style preset 'cinematic'" in overridden.stdout, overridden.stdout[-2000:]


def test_a_tiny_production_renders_from_the_wheel(installed: InstalledWheel, tmp_path: Path) -> None:
    folder = tmp_path / "tiny"  # the slug: asset keys and file names
    write_production(folder, ONE_SHOT_PRODUCTION)
    work = tmp_path / "elsewhere"
    work.mkdir()
    fresh_home = tmp_path / "fresh_dagster_home"  # not created: the first run sets the instance up
    done = installed.production("run", str(folder), "--json", cwd=work, home=fresh_home, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["success"] and result["completed_shot_ids"] == ["s001_wide_hero"], result
    assert (fresh_home / "dagster.yaml").is_file()
    with av.open(str(folder / "output" / "web" / "tiny.mp4")) as film:
        stream = film.streams.video[0]
        frames = [frame.to_ndarray(format="rgb24") for frame in film.decode(stream)]
    assert len(frames) == 2 and frames[0].shape == (36, 64, 3)
    assert frames[0].std() > 2, "a rendered frame has a picture, not one flat colour"
    assert list(work.iterdir()) == [], "nothing is written in the working directory"


def test_the_ui_serves_a_production_from_the_wheel(installed: InstalledWheel, tmp_path: Path) -> None:
    folder = tmp_path / "tiny"  # the slug: asset keys and file names
    write_production(folder, ONE_SHOT_PRODUCTION)
    home = tmp_path / "home"
    home.mkdir()
    port = free_port()
    log = (tmp_path / "ui.log").open("w")
    process = subprocess.Popen(
        [str(installed.bin_dir / "production"), "ui", str(folder), "--port", str(port)],
        cwd=tmp_path,
        env=installed.env(home),
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assets = wait_for("the wheel's code location to load", lambda: asset_keys(process, port, log), timeout=180)
    finally:
        process.send_signal(signal.SIGINT)
        status = process.wait(timeout=60)
        log.close()
    output = (tmp_path / "ui.log").read_text(errors="replace")
    assert {"tiny/production_config", "tiny/shot_renders", "tiny/manifest"} <= assets, output[-2000:]
    assert status == 0, output[-2000:]
    assert "Traceback" not in output, output[-3000:]


def asset_keys(process: subprocess.Popen[str], port: int, log: TextIO) -> set[str] | None:
    """The asset keys the UI's code location serves, once it answers."""
    if process.poll() is not None:
        log.flush()
        output = Path(log.name).read_text(errors="replace")
        raise AssertionError(f"`production ui` exited with {process.returncode}:\n{output[-3000:]}")
    query = json.dumps({"query": "{ assetNodes { assetKey { path } } }"}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=query, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            nodes = json.loads(response.read())["data"]["assetNodes"]
    except (OSError, KeyError, TypeError):
        return None
    return {"/".join(node["assetKey"]["path"]) for node in nodes} or None
