"""What every validator looks at: the config, the presets, positions and the script."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from production_assets.errors import ConfigError
from production_assets.loading.fountain import Screenplay, load_fountain
from production_assets.loading.presets import load_presets
from production_assets.loading.shots import ExpandedShot, expand_shots
from production_assets.model.presets import PresetLibrary
from production_assets.model.production import ProductionConfig
from production_assets.model.results import Severity, ValidationIssue
from production_assets.model.source import ValuePath, format_path


@dataclass
class ValidationContext:
    config: ProductionConfig
    presets: PresetLibrary = field(default_factory=load_presets)

    @property
    def base_dir(self) -> Path:
        return self.config.base_dir.resolve()

    @cached_property
    def screenplay(self) -> Screenplay | None:
        path = self.resolve_path(self.config.script) if self.config.script else None
        if path is None or not path.is_file():
            return None
        try:
            return load_fountain(path)
        except ConfigError:
            return None

    @cached_property
    def shots(self) -> list[ExpandedShot]:
        return expand_shots(self.config, self.screenplay)

    def resolve_path(self, text: str) -> Path:
        path = Path(text).expanduser()
        return path if path.is_absolute() else (self.base_dir / path)

    def inside_production(self, text: str) -> bool:
        """A relative path must stay inside the production folder, symlinks followed."""
        if Path(text).is_absolute():
            return True
        base = self.base_dir.resolve()
        return self.resolve_path(text).resolve().is_relative_to(base)

    def issue(
        self,
        family: str,
        path: ValuePath,
        message: str,
        suggestion: str = "",
        severity: Severity = "error",
        *,
        key: bool = False,
    ) -> ValidationIssue:
        source = self.config.source
        location = source.locate(("production",) + path, key=key) if source else None
        return ValidationIssue(
            path=format_path(path) or "production",
            severity=severity,
            message=message,
            suggestion=suggestion,
            file=location.file if location else (str(source.root_file) if source else None),
            line=location.line if location else None,
            column=location.column if location else None,
            family=family,
        )
