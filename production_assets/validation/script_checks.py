"""The `script` family: what the screenplay means for the production, each at its line in the script.

A script that does not read is an error. Everything else here informs or warns, because a previs run
should go on: a scene whose place no location names is shot on a stand-in set (a warning that says
how to choose one), a speaker who is not a character is an off-screen voice (info), and a scene whose
written shots are shorter than its dialogue loses the end of it (a warning).
"""

from __future__ import annotations

from production_assets.loading.script_lines import overrun_seconds
from production_assets.model.results import ValidationIssue
from production_assets.sets import LocationSet
from production_assets.validation.context import ValidationContext

FAMILY = "script"


def _voices(ctx: ValidationContext) -> list[ValidationIssue]:
    """One info per speaker who is not a character, at their first line."""
    characters = {character.name.lower() for character in ctx.config.characters}
    first: dict[str, tuple[int, int]] = {}
    for scene in ctx.timeline.scenes if ctx.timeline else []:
        for beat in scene.beats:
            if beat.kind == "dialogue" and beat.speaker and beat.speaker.lower() not in characters:
                line, count = first.get(beat.speaker, (beat.line, 0))
                first[beat.speaker] = (line, count + 1)
    return [
        ctx.script_issue(
            FAMILY,
            ("script",),
            line,
            f"{speaker} is not a character: {count} line(s) play over the shot on screen as an off-screen voice, "
            "subtitled and in the scratch read",
            f"add a character named {speaker!r} to see them on screen",
            "info",
        )
        for speaker, (line, count) in first.items()
    ]


def validate_script(ctx: ValidationContext) -> list[ValidationIssue]:
    config = ctx.config
    issues: list[ValidationIssue] = []
    if ctx.screenplay_error is not None:
        issues.append(ctx.issue(FAMILY, ("script",), ctx.screenplay_error.message, "save it as a Fountain text file"))
    if config.script_coverage and not config.script:
        issues.append(
            ctx.issue(
                FAMILY,
                ("script_coverage",),
                "script_coverage is on but the production has no script",
                severity="warning",
            )
        )
    screenplay = ctx.screenplay
    if screenplay is None:
        return issues
    if screenplay.encoding in ("cp1252", "latin-1"):
        issues.append(
            ctx.issue(
                FAMILY,
                ("script",),
                f"the script is not UTF-8; it was read as {screenplay.encoding}",
                "save it as UTF-8",
                "info",
            )
        )
    for implicit in ctx.implicit_locations:
        chosen = ctx.location_sets.get(implicit.name)
        built = f"the set {chosen.set_name} ({chosen.reason})" if isinstance(chosen, LocationSet) else "a stand-in set"
        issues.append(
            ctx.script_issue(
                FAMILY,
                ("locations",),
                implicit.line,
                f"scene {implicit.scene} takes place in {implicit.place!r}, which no location names: it is shot on "
                f"{built} as location {implicit.name!r}",
                f"add a location named {implicit.name!r} under locations: to choose its set",
                "warning",
            )
        )
    issues += _voices(ctx)
    for scene in ctx.timeline.scenes if ctx.timeline else []:
        late = overrun_seconds(scene, ctx.timed_shots, ctx.config.render_settings.frame_rate)
        has_shots = any(shot.scene == scene.number for shot in ctx.timed_shots)
        if late > 0 and has_shots:
            issues.append(
                ctx.script_issue(
                    FAMILY,
                    ("shots",),
                    scene.line,
                    f"scene {scene.number}'s dialogue runs {late:.1f} s past the end of its shots: the end is cut",
                    "lengthen its shots or add one"
                    + ("" if ctx.config.script_coverage else ", or turn on script_coverage"),
                    "warning",
                )
            )
    return issues
