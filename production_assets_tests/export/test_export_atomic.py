from pathlib import Path

import pytest

from production_assets.export.atomic import atomic_path, temp_sibling, write_bytes_atomic, write_text_atomic


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
