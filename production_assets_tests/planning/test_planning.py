"""Planning at scale: what a plan costs grows with what changed, not with the film (issue 20).

The suite plans 200-shot productions and counts what a plan does (SQL statements against Dagster's
event log, frame folders listed); wall-clock figures live in benchmarks/bench_scale.py.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from production_assets.orchestration.staleness import plan_production
from production_assets.planning.production_loader import load_validated
from production_assets.planning.versions import ShotVersions, graded_data_version
from production_assets.storage import frames

TEMPLATES = ("wide", "medium", "close_up")


def write_film(folder: Path, shots: int, edited: int | None = None) -> Path:
    """A production of ``shots`` one-frame shots; shot ``edited`` waves instead of standing."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        f"    - {{id: shot{index:04d}, template: {TEMPLATES[index % 3]}, scene: {1 + index // 20}, character: Hero, "
        f"duration: 1{', action: {Hero: wave}' if index == edited else ''}}}"
        for index in range(shots)
    ]
    text = "\n".join(
        [
            "production:",
            '  title: "Scale"',
            "  characters: [{name: Hero}]",
            "  locations: [{name: Stage, preset: studio}]",
            "  render_settings: {resolution: [32, 18], frame_rate: 24}",
            '  outputs: [{name: web, format: streaming_1080p, resolution: [32, 18], path: "output/web/"}]',
            "  shots:",
            *rows,
        ]
    )
    (folder / "production.yaml").write_text(text + "\n")
    return folder


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    """Every SQL statement any SQLAlchemy engine runs inside the block (Dagster's storage uses SQLAlchemy)."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", count)


@contextmanager
def counted_listings(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Every folder storage.frames lists inside the block."""
    listed: list[Path] = []
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        listed.append(Path(path))
        return real_scandir(path)

    with monkeypatch.context() as patch:
        patch.setattr(frames.os, "scandir", scandir)
        yield listed


def publish(
    instance: dg.DagsterInstance, slug: str, versions: dict[str, str], graded: dict[str, str] | None = None
) -> None:
    """Record every shot rendered at its version and graded (at ``graded`` versions, else the same), as a finished
    run leaves them."""
    for asset, recorded in (("shot_renders", versions), ("graded_shots", graded or versions)):
        for shot_id, version in recorded.items():
            materialization = dg.AssetMaterialization(
                dg.AssetKey([slug, asset]), partition=shot_id, tags={"dagster/data_version": version}
            )
            instance.report_runless_asset_event(materialization)


def test_a_plan_reads_dagster_in_the_same_few_queries_at_20_and_at_200_shots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    costs = {}
    with dg.instance_for_test() as instance:
        for shots in (20, 200):
            loaded = load_validated(write_film(tmp_path / f"film{shots}", shots))
            assert loaded.resolved is not None
            publish(instance, loaded.resolved.slug, loaded.versions)
            with counted_statements() as statements, counted_listings(monkeypatch) as listed:
                plan = plan_production(instance, loaded.resolved, known_versions=loaded.versions)
            assert len(plan.shots) == shots
            costs[shots] = (len(statements), len(listed))
    (queries_20, listed_20), (queries_200, listed_200) = costs[20], costs[200]
    assert queries_200 == queries_20 <= 10, costs
    # No frames on disk here: a stat tells that the folder of each shot's version is not there, none is listed.
    assert (listed_20, listed_200) == (0, 0), costs


def test_a_plan_lists_only_the_frame_folders_that_changed_since_the_last_run_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = load_validated(write_film(tmp_path / "film", 200))
    production = loaded.require_resolved()
    layout = production.layout
    graded = {shot: graded_data_version(version, production) for shot, version in loaded.versions.items()}
    long_ago = time.time() - 60  # older than FrameCounts.RACY_SECONDS
    folders = []
    for shot_id, version in loaded.versions.items():
        for folder in (layout.frames_dir(shot_id, version), layout.graded_dir(shot_id, graded[shot_id])):
            folder.mkdir(parents=True)
            (folder / "frame_0001.png").write_bytes(b"")
            os.utime(folder, (long_ago, long_ago))
            folders.append(folder)
    with dg.instance_for_test() as instance:
        publish(instance, production.slug, loaded.versions, graded)

        def plan(saved: bool) -> tuple[list[Path], list[str]]:
            counts = frames.FrameCounts(layout.build_dir, layout.frame_counts)
            with counted_listings(monkeypatch) as listed:
                planned = plan_production(instance, production, known_versions=loaded.versions, frames=counts)
            if saved:
                counts.save()
            return listed, [shot.shot_id for shot in planned.shots if shot.needs_work]

        assert plan(saved=True) == (folders, []), "the first plan lists every folder once"
        assert plan(saved=False) == ([], []), "the next lists none"
        deleted = layout.graded_dir("shot0057", graded["shot0057"]) / "frame_0001.png"
        deleted.unlink()
        assert plan(saved=False) == ([deleted.parent], ["shot0057"]), "a frame deleted by hand is seen"
    layout.frame_counts.write_text("{not json")
    with counted_listings(monkeypatch) as listed:
        frames.FrameCounts(layout.build_dir, layout.frame_counts).count(folders[0])
    assert listed == [folders[0]], "an unreadable index only means counting again"


def test_editing_one_shot_changes_its_version_and_no_other(tmp_path: Path) -> None:
    before = load_validated(write_film(tmp_path / "film", 200)).versions
    after = load_validated(write_film(tmp_path / "film", 200, edited=57)).versions
    assert len(before) == 200 and {shot for shot in before if before[shot] != after[shot]} == {"shot0057"}


def test_the_loader_and_a_fresh_plan_agree_on_every_version(tmp_path: Path) -> None:
    loaded = load_validated(write_film(tmp_path / "film", 200))
    assert loaded.resolved is not None
    versions = ShotVersions(loaded.resolved)
    assert {shot.id: versions.version(shot.id) for shot in loaded.resolved.shots} == loaded.versions


def test_a_production_is_validated_once_however_it_is_named_and_stored_when_a_run_asks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from production_assets.model.layout import Layout
    from production_assets.planning import production_loader

    folder = write_film(tmp_path / "film", 20)
    validations: list[Path] = []
    real_load = production_loader._load  # noqa: SLF001 - counting the expensive step under test

    def counting_load(path, key, previous):  # type: ignore[no-untyped-def]
        validations.append(path)
        return real_load(path, key, previous)

    monkeypatch.setattr(production_loader, "_load", counting_load)
    by_folder = load_validated(folder)  # e.g. `production run FOLDER`
    by_file = load_validated(folder / "production.yaml")  # e.g. the code location inside the same process
    monkeypatch.chdir(folder)
    assert load_validated(Path(".")) is by_folder  # `production run .`
    assert by_file is by_folder and len(validations) == 1
    assert not Layout(folder).loaded_cache.exists(), "a read-only load leaves the folder as it is"
    load_validated(folder, store=True)  # the run: what it validated is kept for the next process
    assert Layout(folder).loaded_cache.is_file() and len(validations) == 1


def versions_computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The shots whose data version gets computed from now on."""
    computed: list[str] = []
    real_version = ShotVersions.version
    monkeypatch.setattr(ShotVersions, "version", lambda self, shot: computed.append(shot) or real_version(self, shot))
    return computed


def test_an_edit_computes_one_version_without_reading_the_stored_production_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from production_assets.planning.production_cache import CachedProduction

    folder = write_film(tmp_path / "film", 200)
    load_validated(folder, store=True)
    computed = versions_computed(monkeypatch)
    parsed: list[int] = []
    real_parse = CachedProduction.model_validate_json
    monkeypatch.setattr(CachedProduction, "model_validate_json", lambda text: parsed.append(1) or real_parse(text))
    edited = load_validated(write_film(folder, 200, edited=57), store=True)
    assert computed == ["shot0057"] and parsed == [], "only the stored versions are read, and one is computed"
    assert gc.isenabled(), "the collector paused for the load runs again"
    assert load_validated(folder) is edited


def test_a_shot_added_above_the_others_computes_only_its_own_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_film(tmp_path / "film", 200)
    load_validated(folder, store=True)
    computed = versions_computed(monkeypatch)
    path = folder / "production.yaml"
    opening = "    - {id: opening, template: wide, scene: 1, character: Hero, duration: 1}\n"
    path.write_text(path.read_text().replace("  shots:\n", "  shots:\n" + opening))
    monkeypatch.chdir(tmp_path)
    loaded = load_validated(Path("film"))  # every shot one line lower, and named by a relative path
    assert computed == ["opening"], "a shot's place in the file is not its content"
    assert loaded.versions["shot0057"] == ShotVersions(loaded.require_resolved()).version("shot0057")
