"""Whole-number settings from the environment (the README's settings table lists them)."""

from __future__ import annotations

import os


def env_int(name: str, default: int, minimum: int = 1) -> int:
    """The setting `name`, or `default` when it is unset, not a whole number or below `minimum`."""
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() and int(value) >= minimum else default
