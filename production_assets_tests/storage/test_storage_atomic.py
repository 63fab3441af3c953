import fcntl
import os
from pathlib import Path

import pytest

from production_assets.storage.atomic import (
    STAGING_PREFIX,
    atomic_path,
    staged_files,
    temp_sibling,
    write_bytes_atomic,
    write_text_atomic,
)


def test_temp_sibling_is_hidden_in_the_same_folder_and_keeps_the_extension(tmp_path: Path):
    temp = temp_sibling(tmp_path / "clip.mp4")
    assert temp.parent == tmp_path
    assert temp.name.startswith(".clip.tmp-") and temp.suffix == ".mp4"


def test_success_replaces_the_target_and_leaves_no_temp(tmp_path: Path):
    target = tmp_path / "out" / "notes.txt"
    write_text_atomic(target, "first")
    write_text_atomic(target, "second")
    assert target.read_text() == "second"
    assert sorted(p.name for p in target.parent.iterdir()) == ["notes.txt"]


def test_exception_leaves_old_content_and_no_temp_files(tmp_path: Path):
    target = tmp_path / "data.bin"
    write_bytes_atomic(target, b"good")
    with pytest.raises(RuntimeError, match="^boom$"):
        with atomic_path(target) as temp:
            temp.write_bytes(b"half-writ")
            raise RuntimeError("boom")
    assert target.read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["data.bin"]


def test_writing_nothing_is_an_error_and_publishes_nothing(tmp_path: Path):
    target = tmp_path / "empty.txt"
    with pytest.raises(FileNotFoundError, match="nothing was written"):
        with atomic_path(target):
            pass
    assert list(tmp_path.iterdir()) == []


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_staged_files_are_published_together_and_the_staging_folder_goes(tmp_path: Path):
    write_bytes_atomic(tmp_path / "a" / "one.png", b"old one")
    with staged_files(tmp_path) as staging:
        assert staging.folder.parent == tmp_path and staging.folder.name.startswith(STAGING_PREFIX)
        (staging.folder / "a").mkdir()
        (staging.folder / "a" / "one.png").write_bytes(b"new one")
        (staging.folder / "b" / "preview").mkdir(parents=True)
        (staging.folder / "b" / "preview" / "two.png").write_bytes(b"new two")
        assert staging.target_of(staging.folder / "b" / "preview" / "two.png") == tmp_path / "b" / "preview" / "two.png"
        assert files_in(tmp_path)["a/one.png"] == b"old one"
        assert not (tmp_path / "b").exists()
    assert files_in(tmp_path) == {"a/one.png": b"new one", "b/preview/two.png": b"new two"}
    assert not list(tmp_path.glob(".*"))


def test_a_failure_while_staging_publishes_nothing_and_leaves_no_staging(tmp_path: Path):
    write_bytes_atomic(tmp_path / "a" / "one.png", b"old one")
    with pytest.raises(RuntimeError, match="^disk gone$"):
        with staged_files(tmp_path) as staging:
            (staging.folder / "a").mkdir()
            (staging.folder / "a" / "one.png").write_bytes(b"new one")
            (staging.folder / "a" / "two.png").write_bytes(b"half-wr")
            raise RuntimeError("disk gone")
    assert files_in(tmp_path) == {"a/one.png": b"old one"}
    assert not list(tmp_path.rglob(".*"))


def test_staging_abandoned_by_a_killed_build_is_removed_not_published(tmp_path: Path):
    abandoned = tmp_path / f"{STAGING_PREFIX}deadbeef" / "s01"
    abandoned.mkdir(parents=True)
    (abandoned / "frame_0001.png").write_bytes(b"from a build killed midway")
    with staged_files(tmp_path) as staging:
        (staging.folder / "s01").mkdir()
        (staging.folder / "s01" / "frame_0002.png").write_bytes(b"new")
    assert files_in(tmp_path) == {"s01/frame_0002.png": b"new"}


def test_staging_of_a_running_build_is_left_alone(tmp_path: Path):
    running = tmp_path / f"{STAGING_PREFIX}0badc0de"
    running.mkdir()
    (running / "frame_0001.png").write_bytes(b"still being written")
    holder = os.open(running, os.O_RDONLY)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)  # what a build in another process holds while it runs
        with staged_files(tmp_path) as staging:
            (staging.folder / "notes.txt").write_bytes(b"mine")
        assert (running / "frame_0001.png").read_bytes() == b"still being written"
        assert files_in(tmp_path) == {"notes.txt": b"mine", f"{running.name}/frame_0001.png": b"still being written"}
    finally:
        os.close(holder)


def test_nothing_is_published_once_publishing_is_stopped(tmp_path: Path) -> None:
    """An interrupted export stops its other threads' outputs at the rename: the old file stays."""
    from production_assets.storage.atomic import PublishingStopped, resume_publishing, stop_publishing

    target = tmp_path / "film.mp4"
    target.write_bytes(b"old")
    stop_publishing()
    try:
        with pytest.raises(PublishingStopped):
            with atomic_path(target) as temp:
                temp.write_bytes(b"new")
    finally:
        resume_publishing()
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["film.mp4"]
    with atomic_path(target) as temp:
        temp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
