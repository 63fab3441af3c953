"""The catalogue of checks. Each family returns every issue it finds; none stops early.

Families (each is also a Dagster asset check): structure, characters,
locations, shots, dependencies, timeline, outputs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from production_assets.acting.bodies import BUILTIN_MODELS
from production_assets.acting.shot_acting import acting_problem
from production_assets.collector import collector_paused
from production_assets.errors import ProductionError
from production_assets.loading.context import find_hdri, hdri_library
from production_assets.loading.presets import load_presets
from production_assets.loading.production_file import SchemaError, load_production
from production_assets.loading.resolve import resolve_shot, resolved_characters
from production_assets.loading.shots import ExpandedShot
from production_assets.model.presets import PRESET_KINDS
from production_assets.model.production import ProductionConfig
from production_assets.model.results import ValidationIssue, ValidationResult
from production_assets.model.source import format_path
from production_assets.sets import LocationSet, check_placements
from production_assets.suggest import did_you_mean
from production_assets.validation.context import ValidationContext, as_context, duplicate_names
from production_assets.validation.model_files import model_file_problem
from production_assets.validation.output_checks import validate_outputs
from production_assets.validation.script_checks import validate_script

MODEL_EXTENSIONS = (".blend", ".glb", ".gltf", ".fbx", ".obj", ".usd", ".usda", ".usdc", ".usdz")
MAX_RUNTIME_FRAMES = 24 * 60 * 60 * 4


def validate_characters(ctx: ValidationContext | ProductionConfig) -> list[ValidationIssue]:
    ctx = as_context(ctx)
    config = ctx.config
    issues = duplicate_names(ctx, "characters", "characters", [c.name for c in config.characters])
    for index, character in enumerate(config.characters):
        builtin = character.model.startswith("builtin:")
        if builtin and character.model not in BUILTIN_MODELS:
            issues.append(
                ctx.issue(
                    "characters",
                    ("characters", index, "model"),
                    f"unknown built-in model {character.model!r}",
                    did_you_mean(character.model, BUILTIN_MODELS),
                )
            )
        for key, look in character.wardrobe.items():
            if look in ctx.presets.wardrobes:
                continue
            if builtin:
                issues.append(
                    ctx.issue(
                        "characters",
                        ("characters", index, "wardrobe", key),
                        f"unknown wardrobe look {look!r} for a built-in stand-in",
                        did_you_mean(look, ctx.presets.wardrobes) or f"define it under presets: wardrobes: {look}:",
                    )
                )
            else:
                issues.append(
                    ctx.issue(
                        "characters",
                        ("characters", index, "wardrobe", key),
                        f"wardrobe {look!r} is not a preset; it will be used as a material or collection name in "
                        f"{Path(character.model).name}",
                        "define it under presets: wardrobes: to set its colours",
                        "info",
                    )
                )
    return issues


def validate_locations(ctx: ValidationContext | ProductionConfig) -> list[ValidationIssue]:
    ctx = as_context(ctx)
    config = ctx.config
    issues = duplicate_names(ctx, "locations", "locations", [loc.name for loc in config.locations])
    if config.style.preset not in ctx.presets.styles:
        issues.append(
            ctx.issue(
                "locations",
                ("style", "preset"),
                f"unknown style preset {config.style.preset!r}",
                did_you_mean(config.style.preset, ctx.presets.styles),
            )
        )
    for index, location in enumerate(config.locations):
        chosen = ctx.location_sets.get(location.name)
        if isinstance(chosen, ProductionError):
            issues.append(ctx.issue("locations", ("locations", index, "preset"), chosen.message, chosen.suggestion))
        elif chosen is not None:
            seed = f" (seed {chosen.seed})" if chosen.seed is not None else ""
            issues.append(
                ctx.issue(
                    "locations",
                    ("locations", index),
                    f"location {location.name!r} is built as {chosen.set_name}{seed}: {chosen.reason}",
                    severity="info",
                )
            )
            for problem in check_placements(chosen.preset, location.props):
                issues.append(ctx.issue("locations", ("locations", index, "props"), problem))
        if location.hdri and find_hdri(ctx, location.hdri) is None:
            issues.append(
                ctx.issue(
                    "locations",
                    ("locations", index, "hdri"),
                    f"HDRI {location.hdri!r} was not found; the location is lit by Blender's sky texture instead",
                    f"put {location.hdri}.hdr or .exr in {hdri_library(ctx.base_dir)}",
                    "warning",
                )
            )
    return issues


def validate_presets(ctx: ValidationContext | ProductionConfig) -> list[ValidationIssue]:
    """The production's own presets: each one that replaces a built-in preset is said so."""
    ctx = as_context(ctx)
    builtin = load_presets()
    return [
        ctx.issue(
            "presets",
            ("presets", kind, name),
            f"preset {name!r} of this production replaces the built-in {kind[:-1].replace('_', ' ')} of that name",
            severity="info",
            key=True,
        )
        for kind in PRESET_KINDS
        for name in getattr(ctx.config.presets, kind)
        if name in getattr(builtin, kind)
    ]


def validate_shots(ctx: ValidationContext | ProductionConfig) -> list[ValidationIssue]:
    ctx = as_context(ctx)
    config = ctx.config
    issues: list[ValidationIssue] = []
    if not ctx.shots:
        issues.append(ctx.issue("shots", ("shots",), "the production has no shots", "add shots: or shot_list:"))
    characters = [c.name for c in config.characters]
    locations = [loc.name for loc in config.locations]
    explicit_ids = Counter(shot.id for shot in config.shots if shot.id)
    for expanded in ctx.shots:
        index = expanded.source_index
        if index is None:
            continue
        shot = expanded.shot
        if shot.template not in ctx.presets.shot_templates:
            issues.append(
                ctx.issue(
                    "shots",
                    ("shots", index, "template"),
                    f"unknown shot template {shot.template!r}",
                    did_you_mean(shot.template, ctx.presets.shot_templates),
                )
            )
        for field, names in (
            ("character", [shot.character] if shot.character else []),
            ("characters", shot.characters),
        ):
            for position, name in enumerate(names):
                if name not in characters:
                    path = ("shots", index, field) + ((position,) if field == "characters" else ())
                    issues.append(
                        ctx.issue(
                            "shots",
                            path,
                            f"unknown character {name!r}",
                            did_you_mean(name, characters) or "define it under characters:",
                        )
                    )
        if shot.location and shot.location not in locations:
            issues.append(
                ctx.issue(
                    "shots",
                    ("shots", index, "location"),
                    f"unknown location {shot.location!r}",
                    did_you_mean(shot.location, locations) or "define it under locations:",
                )
            )
        elif expanded.location is None:
            issues.append(
                ctx.issue(
                    "shots",
                    ("shots", index),
                    f"shot {expanded.id} has no location and scene {shot.scene} does not decide one",
                    "add location: to the shot, or name the location in the script's scene heading",
                )
            )
        if shot.id and explicit_ids[shot.id] > 1:
            issues.append(
                ctx.issue("shots", ("shots", index, "id"), f"duplicate shot id {shot.id!r}", "ids must be unique")
            )
        if shot.action or shot.blocking or shot.look_at:
            issues += _acting_issues(ctx, expanded, index)
    return issues


def _acting_issues(ctx: ValidationContext, expanded: ExpandedShot, index: int) -> list[ValidationIssue]:
    """A shot's action, blocking and look_at, staged as the render will stage them."""
    chosen = ctx.location_sets.get(expanded.location or "")
    if not isinstance(chosen, LocationSet):
        return []  # the shot's location is reported on its own
    try:
        shot = resolve_shot(ctx, expanded, 0, "clear")
    except ProductionError:
        return []  # an unknown template or character is reported on its own
    characters = resolved_characters(ctx)
    if any(name not in characters for name in shot.subjects):
        return []
    problem = acting_problem(shot, characters, chosen.preset.marks, ctx.config.render_settings.frame_rate)
    if problem is None:
        return []
    key = next((key for key in ("action", "blocking", "look_at") if problem.message.startswith(f"{key}:")), None)
    key = key or ("action" if expanded.shot.action else "blocking" if expanded.shot.blocking else "look_at")
    return [ctx.issue("shots", ("shots", index, key), problem.message, problem.suggestion)]


def _model_files(config: ProductionConfig) -> list[tuple[tuple[str | int, ...], str, tuple[str, ...]]]:
    files: list[tuple[tuple[str | int, ...], str, tuple[str, ...]]] = []
    if config.script:
        files.append((("script",), config.script, (".fountain", ".spmd", ".txt")))
    for index, character in enumerate(config.characters):
        if not character.model.startswith("builtin:"):
            files.append((("characters", index, "model"), character.model, MODEL_EXTENSIONS))
    for index, location in enumerate(config.locations):
        if location.set_file:
            files.append((("locations", index, "set_file"), location.set_file, (".blend",)))
    return files


def validate_dependencies(ctx: ValidationContext | ProductionConfig) -> list[ValidationIssue]:
    """Every referenced file exists, is a file, is a supported kind, and stays inside the production."""
    ctx = as_context(ctx)
    issues: list[ValidationIssue] = []
    for path, text, extensions in _model_files(ctx.config):
        target = ctx.resolve_path(text)
        if not ctx.inside_production(text):
            issues.append(
                ctx.issue(
                    "dependencies",
                    path,
                    f"{text!r} points outside the production folder",
                    "copy the file into the production folder, or give an absolute path",
                )
            )
        elif target.suffix.lower() not in extensions:
            issues.append(
                ctx.issue(
                    "dependencies",
                    path,
                    f"{text!r} is not a supported file kind",
                    "use one of " + ", ".join(extensions),
                )
            )
        elif target.is_dir():
            issues.append(ctx.issue("dependencies", path, f"{text!r} is a folder, expected a file"))
        elif not target.is_file():
            issues.append(ctx.issue("dependencies", path, f"file {text!r} does not exist", f"looked for {target}"))
        elif path[0] != "script" and (problem := model_file_problem(target)):
            issues.append(ctx.issue("dependencies", path, f"{text!r} {problem}", "export the model again"))
    return issues


def validate_timeline(ctx: ValidationContext | ProductionConfig) -> list[ValidationIssue]:
    ctx = as_context(ctx)
    config = ctx.config
    issues: list[ValidationIssue] = []
    scenes_by_character: dict[str, set[int]] = {}
    for expanded in ctx.shots:
        for name in expanded.shot.subjects():
            scenes_by_character.setdefault(name, set()).add(expanded.shot.scene)
    for index, character in enumerate(config.characters):
        ranges = character.wardrobe_ranges
        for (_first_a, last_a, key_a, _), (first_b, _last_b, key_b, _) in zip(ranges, ranges[1:], strict=False):
            if first_b <= last_a:
                issues.append(
                    ctx.issue(
                        "timeline",
                        ("characters", index, "wardrobe", key_b),
                        f"wardrobe ranges {key_a} and {key_b} overlap",
                        "make each scene belong to one range",
                    )
                )
        if ranges:
            for scene in sorted(scenes_by_character.get(character.name, ())):
                if character.look_for_scene(scene) is None:
                    issues.append(
                        ctx.issue(
                            "timeline",
                            ("characters", index, "wardrobe"),
                            f"{character.name} appears in scene {scene} but no wardrobe range covers it; "
                            "the default look is used",
                            f"add scene_{scene} or widen a range",
                            "warning",
                        )
                    )
    screenplay = ctx.screenplay
    if screenplay is not None:
        count = len(screenplay.scenes)
        for expanded in ctx.shots:
            if expanded.source_index is not None and expanded.shot.scene > count:
                issues.append(
                    ctx.issue(
                        "timeline",
                        ("shots", expanded.source_index, "scene"),
                        f"scene {expanded.shot.scene} is not in the script ({count} scenes)",
                        "check the scene number",
                    )
                )
    fps = config.render_settings.frame_rate
    total = sum(expanded.shot.frame_count(fps) for expanded in ctx.shots)
    if total > MAX_RUNTIME_FRAMES:
        issues.append(
            ctx.issue(
                "timeline", ("shots",), f"total runtime {total} frames is more than four hours", severity="warning"
            )
        )
    elif ctx.shots:
        issues.append(
            ctx.issue(
                "timeline", ("shots",), f"{len(ctx.shots)} shots, {total} frames, {total / fps:.1f} s", severity="info"
            )
        )
    return issues


VALIDATOR_FAMILIES: dict[str, Callable[[ValidationContext], list[ValidationIssue]]] = {
    "presets": validate_presets,
    "characters": validate_characters,
    "locations": validate_locations,
    "shots": validate_shots,
    "dependencies": validate_dependencies,
    "script": validate_script,
    "timeline": validate_timeline,
    "outputs": validate_outputs,
}


CHECK_FAMILIES = ("structure", *VALIDATOR_FAMILIES)


def issue_from_error(error: ProductionError, path: Path) -> ValidationIssue:
    """A load error (unreadable file, bad YAML) as a structure issue."""
    where = error.location
    return ValidationIssue(
        path="production",
        message=error.message,
        suggestion=error.suggestion,
        file=where.file if where else str(path),
        line=where.line if where else None,
        column=where.column if where else None,
        family="structure",
    )


def validate_production(config: ProductionConfig) -> ValidationResult:
    """Run every validator family in one pass and collect all issues."""
    ctx = ValidationContext(config)
    issues = [issue for check in VALIDATOR_FAMILIES.values() for issue in check(ctx)]
    source = config.source
    return ValidationResult(production=str(source.root_file) if source else config.title, issues=issues)


@collector_paused()
def validate_file(path: Path) -> tuple[ValidationResult, ProductionConfig | None]:
    """Every issue of the production at ``path`` (a file or folder), and the production when it loads.

    Raises ConfigError when the file cannot be read as YAML at all.

    A schema error does not hide the rest: the part of the file that parsed is validated too, and its
    issues are reported beside the schema errors (those about values that were taken out are left out:
    they would only repeat the schema error).
    """
    try:
        config = load_production(path)
    except SchemaError as error:
        issues = list(error.result.issues)
        if error.partial is not None:
            dropped = [format_path(item) for item in error.dropped]
            issues += [
                issue
                for issue in validate_production(error.partial).issues
                if issue.severity != "info" and not any(_within(issue.path, item) for item in dropped)
            ]
        return ValidationResult(production=error.result.production, issues=issues), None
    return validate_production(config), config


def _within(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith((f"{prefix}.", f"{prefix}["))
