"""Find productions: PRODUCTION_PATHS (files or folders, os.pathsep-separated)."""

from __future__ import annotations

import os
from pathlib import Path

from production_assets.loading.presets import configs_dir
from production_assets.loading.production_file import PRODUCTION_FILE_NAMES


def default_production_paths() -> list[Path]:
    """The example productions (configs/production/examples, shipped with the package)."""
    return [configs_dir() / "production" / "examples"]


def configured_paths(value: str | None = None) -> list[Path]:
    text = os.environ.get("PRODUCTION_PATHS", "") if value is None else value
    paths = [Path(part).expanduser() for part in text.split(os.pathsep) if part.strip()]
    return paths or default_production_paths()


def discover_productions(paths: list[Path]) -> list[Path]:
    """Production files: a file as given, a folder with a production.yaml, or such folders one level down."""
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            found.append(path.resolve())
        elif path.is_dir():
            own = [path / name for name in PRODUCTION_FILE_NAMES if (path / name).is_file()]
            if own:
                found.append(own[0].resolve())
                continue
            for child in sorted(p for p in path.iterdir() if p.is_dir()):
                found.extend((child / name).resolve() for name in PRODUCTION_FILE_NAMES[:1] if (child / name).is_file())
    return list(dict.fromkeys(found))
