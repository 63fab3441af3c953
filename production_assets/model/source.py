"""Where each value of a production came from (file, line, column)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from production_assets.errors import SourceLocation

ValuePath = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Positions of values and keys, by their path in the loaded document."""

    root_file: Path
    values: dict[ValuePath, SourceLocation] = field(default_factory=dict)
    keys: dict[ValuePath, SourceLocation] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    renumbered: dict[ValuePath, list[int]] = field(default_factory=dict)
    """Lists some items were dropped from (a partly invalid file): list path -> original index of each kept item."""

    def original(self, path: ValuePath) -> ValuePath:
        """The path a value had in the file, before invalid list items were dropped (see :attr:`renumbered`)."""
        result: list[str | int] = []
        for part in path:
            kept = self.renumbered.get(tuple(result))
            result.append(kept[part] if kept is not None and isinstance(part, int) and part < len(kept) else part)
        return tuple(result)

    def locate(self, path: ValuePath, *, key: bool = False) -> SourceLocation | None:
        """The closest known position for a path, walking up to its parents."""
        table = self.keys if key else self.values
        probe = self.original(tuple(path))
        while probe:
            found = table.get(probe) or self.values.get(probe)
            if found:
                return found
            probe = probe[:-1]
        return self.values.get(())

    def merge(self, other: SourceMap, prefix_from: ValuePath, prefix_to: ValuePath) -> None:
        """Copy another file's positions, moving paths under prefix_from to prefix_to."""
        for table, target in ((other.values, self.values), (other.keys, self.keys)):
            for path, location in table.items():
                if path[: len(prefix_from)] == prefix_from:
                    target[prefix_to + path[len(prefix_from) :]] = location
        self.files.extend(f for f in other.files if f not in self.files)


def format_path(path: ValuePath) -> str:
    """('shots', 3, 'character') -> 'shots[3].character'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
