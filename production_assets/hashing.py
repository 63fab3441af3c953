"""Content hashes for data versions: JSON values and files."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any


def hash_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def hash_json(value: Any) -> str:
    return hash_text(json.dumps(value, sort_keys=True, default=str))


@lru_cache(maxsize=256)
def _file_digest(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def file_digest(path: str) -> str:
    """A file's content hash, cached while its size and mtime are unchanged."""
    try:
        stat = Path(path).stat()
    except OSError:
        return "missing"
    return _file_digest(path, stat.st_size, stat.st_mtime_ns)
