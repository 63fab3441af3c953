"""ProductionComponent in a Dagster project of its own, loaded by Dagster's component loader
(``dg.load_from_defs_folder``, what ``dg dev`` and a project's definitions.py call)."""

import sys
import textwrap
import tomllib
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

import production_assets
from production_assets.validation.validators import CHECK_FAMILIES
from production_assets_tests.conftest import REPO, TINY_PRODUCTION, write_production

PROJECT_MODULE = "film_project"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty dg project (src layout) whose package is importable, as `pip install -e` would make it."""
    root = tmp_path / "film-project"
    defs = root / "src" / PROJECT_MODULE / "defs"
    defs.mkdir(parents=True)
    (defs.parent / "__init__.py").write_text("")
    (root / "pyproject.toml").write_text(
        textwrap.dedent(f"""\
            [project]
            name = "film-project"
            version = "0.1.0"

            [tool.dg]
            directory_type = "project"

            [tool.dg.project]
            root_module = "{PROJECT_MODULE}"
        """)
    )
    monkeypatch.setattr(sys, "path", [sys.path[0], str(root / "src"), *sys.path[1:]])
    yield root
    for name in [name for name in sys.modules if name.split(".")[0] == PROJECT_MODULE]:
        del sys.modules[name]


def declare(project: Path, name: str, path: str) -> None:
    """A defs.yaml for one production, as a user writes it."""
    folder = project / "src" / PROJECT_MODULE / "defs" / name
    folder.mkdir()
    (folder / "defs.yaml").write_text(f"type: production_assets.ProductionComponent\nattributes:\n  path: {path}\n")


def test_a_defs_yaml_declares_a_production(project: Path, tmp_path: Path) -> None:
    write_production(tmp_path / "productions" / "tiny")
    declare(project, "tiny_film", "../../../../../productions/tiny")

    defs = dg.load_from_defs_folder(path_within_project=project)

    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert keys == {
        "tiny/production_config",
        "tiny/characters/Hero",
        "tiny/locations/Stage",
        "tiny/shot_renders",
        "tiny/graded_shots",
        "tiny/exports/web",
        "tiny/manifest",
    }
    assert {job.name for job in defs.resolve_all_job_defs()} >= {"tiny_prepare", "tiny_shots", "tiny_deliver"}
    assert [sensor.name for sensor in defs.sensors or []] == ["tiny_production_sensor"]
    checks = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert {f"check_{family}" for family in CHECK_FAMILIES} <= checks
    with dg.instance_for_test() as instance:
        result = defs.resolve_implicit_global_asset_job_def().execute_in_process(
            instance=instance, asset_selection=[dg.AssetKey(["tiny", "production_config"])]
        )
        assert result.success
        [materialized] = result.get_asset_materialization_events()
        assert materialized.materialization.metadata["shots"].value == 2  # type: ignore[union-attr]
        assert all(evaluation.passed for evaluation in result.get_asset_check_evaluations())


def test_several_productions_and_a_broken_one_in_one_project(project: Path, tmp_path: Path) -> None:
    """Each component brings the same Pipes client, so a project holds any number of them; a production
    that does not load shows as its production_config with a failing check_structure."""
    write_production(tmp_path / "productions" / "tiny")
    write_production(tmp_path / "productions" / "second", TINY_PRODUCTION.replace('title: "Tiny"', 'title: "Second"'))
    write_production(tmp_path / "productions" / "broken", "production: [")
    for name in ("tiny", "second"):
        declare(project, f"{name}_film", f"../../../../../productions/{name}")
    declare(project, "broken_film", str(tmp_path / "productions" / "broken" / "production.yaml"))

    with pytest.warns(UserWarning, match="does not load"):
        defs = dg.load_from_defs_folder(path_within_project=project)

    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert {"tiny/manifest", "second/manifest", "broken/production_config"} <= keys
    with dg.instance_for_test() as instance:
        result = defs.resolve_job_def("broken_prepare").execute_in_process(instance=instance, raise_on_error=False)
    checks = {evaluation.check_name: evaluation for evaluation in result.get_asset_check_evaluations()}
    assert not result.success
    assert not checks["check_structure"].passed
    assert "not valid YAML" in checks["check_structure"].metadata["issues"].value  # type: ignore[operator]


def test_dg_finds_the_component_where_its_registry_looks() -> None:
    """`dg list components` lists the components of the modules in the `dagster_dg_cli.registry_modules`
    entry point group, by the names `dir(module)` gives."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["entry-points"]["dagster_dg_cli.registry_modules"]["production_assets"] == "production_assets"
    assert "ProductionComponent" in dir(production_assets)
    assert issubclass(production_assets.ProductionComponent, dg.Component)
