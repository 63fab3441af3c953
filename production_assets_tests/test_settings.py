"""Whole-number settings from the environment: a bad value falls back to the default, never a traceback."""

from __future__ import annotations

import pytest

from production_assets.settings import env_int


@pytest.mark.parametrize(
    ("value", "minimum", "expected"),
    [(None, 1, 8), ("3", 1, 3), (" 3 ", 1, 3), ("0", 1, 8), ("0", 0, 0), ("-2", 0, 8), ("two", 0, 8), ("", 1, 8)],
)
def test_env_int(monkeypatch: pytest.MonkeyPatch, value: str | None, minimum: int, expected: int) -> None:
    if value is None:
        monkeypatch.delenv("PRODUCTION_TEST_SETTING", raising=False)
    else:
        monkeypatch.setenv("PRODUCTION_TEST_SETTING", value)
    assert env_int("PRODUCTION_TEST_SETTING", 8, minimum=minimum) == expected
