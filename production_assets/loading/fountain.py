"""A small Fountain screenplay reader: scene headings, and who speaks in each scene.

Only what a production needs: the numbered scenes (INT./EXT. headings, or forced
``.HEADING``), the place named in each heading, and the characters with dialogue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from production_assets.errors import ConfigError

_HEADING = re.compile(r"^(?:(INT|EXT|EST|INT\./EXT|INT/EXT|I/E)[.\s]|\.(?=[A-Za-z0-9]))", re.IGNORECASE)
_SCENE_NUMBER = re.compile(r"\s*#([\w.-]+)#\s*$")
_CHARACTER = re.compile(r"^@?([A-Z][A-Z0-9 ._'-]*?)(?:\s*\(.*\))?\s*\^?$")


@dataclass
class ScriptScene:
    number: int
    heading: str
    place: str
    line: int
    speakers: list[str] = field(default_factory=list)


@dataclass
class Screenplay:
    path: Path
    scenes: list[ScriptScene]

    def scene(self, number: int) -> ScriptScene | None:
        return next((scene for scene in self.scenes if scene.number == number), None)


def _place(heading: str) -> str:
    text = _SCENE_NUMBER.sub("", heading.lstrip("."))
    text = re.sub(r"^(INT\./EXT|INT/EXT|I/E|INT|EXT|EST)[.\s]+", "", text, flags=re.IGNORECASE)
    return text.split(" - ")[0].strip()


def parse_fountain(text: str, path: Path) -> Screenplay:
    lines = text.splitlines()
    scenes: list[ScriptScene] = []
    for index, raw in enumerate(lines):
        line = raw.strip()
        previous_blank = index == 0 or not lines[index - 1].strip()
        if previous_blank and line and _HEADING.match(line):
            scenes.append(ScriptScene(len(scenes) + 1, line.lstrip("."), _place(line), index + 1))
            continue
        next_line = lines[index + 1].strip() if index + 1 < len(lines) else ""
        match = _CHARACTER.match(line)
        if scenes and previous_blank and match and next_line and any(c.isalpha() for c in line):
            name = match.group(1).strip().title()
            if name not in scenes[-1].speakers and not line.endswith("TO:"):
                scenes[-1].speakers.append(name)
    return Screenplay(path, scenes)


def load_fountain(path: Path) -> Screenplay:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"script {path} cannot be read: {error}") from None
    return parse_fountain(text, path)
