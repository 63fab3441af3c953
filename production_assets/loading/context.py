"""What a production means beyond its YAML, computed once and shared by validation and resolution."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from production_assets.errors import ConfigError, ProductionError
from production_assets.loading.fountain import Screenplay, ScriptScene, load_fountain
from production_assets.loading.presets import load_presets
from production_assets.loading.script_lines import TimedShot, scene_speakers, shot_actions, shot_lines
from production_assets.loading.script_timing import ScriptTimeline, time_screenplay
from production_assets.loading.shots import (
    ExpandedShot,
    ImplicitLocation,
    expand_shots,
    implicit_locations,
    scene_location,
)
from production_assets.model.presets import PresetLibrary
from production_assets.model.production import ProductionConfig
from production_assets.model.resolved import ShotAction, ShotLine
from production_assets.model.script import DayTime
from production_assets.sets import LocationSet, location_set

HDRI_EXTENSIONS = (".hdr", ".exr")


@dataclass
class ProductionContext:
    """A production's derived facts, computed once: presets with its own, screenplay and its timing, the shots
    in film order, their lines, the scenes' light, the locations' sets. Validation and resolution share it."""

    config: ProductionConfig

    @cached_property
    def presets(self) -> PresetLibrary:
        """The built-in presets with the production's own (``presets:``) in place of those of the same name."""
        return load_presets().with_local(self.config.presets)

    @property
    def base_dir(self) -> Path:
        return self.config.base_dir.resolve()

    @cached_property
    def _script(self) -> tuple[Screenplay | None, ConfigError | None]:
        path = self.resolve_path(self.config.script) if self.config.script else None
        if path is None or not path.is_file() or not self.inside_production(self.config.script or ""):
            return None, None  # a missing or misplaced script is a dependencies issue
        try:
            return load_fountain(path), None
        except ConfigError as error:
            return None, error

    @property
    def screenplay(self) -> Screenplay | None:
        """The production's screenplay, when it has one that reads."""
        return self._script[0]

    @property
    def screenplay_error(self) -> ConfigError | None:
        """Why the screenplay does not read (None when it does or when there is none)."""
        return self._script[1]

    @cached_property
    def shots(self) -> list[ExpandedShot]:
        return expand_shots(self.config, self.screenplay)

    @cached_property
    def timeline(self) -> ScriptTimeline | None:
        return time_screenplay(self.screenplay, self.config.script_timing) if self.screenplay else None

    @cached_property
    def implicit_locations(self) -> list[ImplicitLocation]:
        return implicit_locations(self.config, self.screenplay, self.shots)

    @cached_property
    def timed_shots(self) -> list[TimedShot]:
        """The shots as the cut plays them (frames, after max_frames_per_shot, in seconds)."""
        settings = self.config.render_settings
        fps = settings.frame_rate
        cap = settings.max_frames_per_shot
        return [
            TimedShot(
                e.id,
                e.shot.scene,
                min(e.shot.frame_count(fps), cap or 10**9) / fps,
                None if e.script_start_ms is None else e.script_start_ms / 1000,
            )
            for e in self.shots
        ]

    @cached_property
    def shot_actions(self) -> dict[str, list[ShotAction]]:
        if self.timeline is None:
            return {}
        characters = [c.name for c in self.config.characters]
        return shot_actions(self.timeline, self.timed_shots, characters, self.config.render_settings.frame_rate)

    @cached_property
    def scene_speakers(self) -> dict[int, list[str]]:
        return scene_speakers(self.timeline, [c.name for c in self.config.characters]) if self.timeline else {}

    @cached_property
    def shot_lines(self) -> dict[str, list[ShotLine]]:
        if self.timeline is None:
            return {}
        characters = [c.name for c in self.config.characters]
        return shot_lines(self.timeline, self.timed_shots, characters, self.config.render_settings.frame_rate)

    def _first_scene_of(self, location: str) -> ScriptScene | None:
        """The first script scene that takes place in ``location`` (its place names it)."""
        for scene in self.screenplay.scenes if self.screenplay else []:
            if scene_location(self.config, self.screenplay, scene.number) == location:
                return scene
        return None

    @cached_property
    def location_sets(self) -> dict[str, LocationSet | ProductionError]:
        """Each location's set (declared and stand-in locations, before their props), or why it cannot be built."""
        wanted = [(location.name, location.preset, location.seed) for location in self.config.locations]
        wanted += [(implicit.name, None, None) for implicit in self.implicit_locations]
        sets: dict[str, LocationSet | ProductionError] = {}
        for name, preset, seed in wanted:
            scene = self._first_scene_of(name)
            try:
                sets[name] = location_set(
                    name,
                    self.presets.locations,
                    preset=preset,
                    seed=seed,
                    place=scene.place if scene else None,
                    interior=scene.interior if scene else None,
                )
            except ProductionError as error:
                sets[name] = error
        return sets

    @cached_property
    def scene_lights(self) -> dict[int, DayTime]:
        """Each script scene's time of day: its heading's, else the scene before's (the first: day)."""
        lights: dict[int, DayTime] = {}
        current: DayTime = "day"
        for scene in self.screenplay.scenes if self.screenplay else []:
            if scene.time_of_day not in (None, "continuous"):
                current = scene.time_of_day  # type: ignore[assignment]
            lights[scene.number] = current
        return lights

    def resolve_path(self, text: str) -> Path:
        path = Path(text).expanduser()
        return path if path.is_absolute() else (self.base_dir / path)

    def inside_production(self, text: str) -> bool:
        """A relative path must stay inside the production folder, symlinks followed."""
        if Path(text).is_absolute():
            return True
        base = self.base_dir.resolve()
        return self.resolve_path(text).resolve().is_relative_to(base)


def hdri_library(base_dir: Path) -> Path:
    """Where HDRI names are looked up: PRODUCTION_HDRI_DIR, or assets/hdri/ of the production."""
    configured = os.environ.get("PRODUCTION_HDRI_DIR")
    return Path(configured) if configured else base_dir / "assets" / "hdri"


def find_hdri(ctx: ProductionContext, hdri: str) -> Path | None:
    """An HDRI file: a path relative to the YAML, or a name in the HDRI library folder."""
    direct = ctx.resolve_path(hdri)
    if direct.suffix.lower() in HDRI_EXTENSIONS and direct.is_file() and ctx.inside_production(hdri):
        return direct
    library = hdri_library(ctx.base_dir)
    for extension in HDRI_EXTENSIONS:
        candidate = library / f"{Path(hdri).stem}{extension}"
        if candidate.is_file():
            return candidate
    return None
