"""The part of a production file that parsed, so one schema error does not hide every other error.

When the file does not have the shape of a production (a typo in a key, a value of the wrong type), the
offending values are taken out: an optional key is dropped (its default applies), and a list item that
cannot stand without it (a shot without a template) is dropped whole. What is left is a production the
semantic validators can check, so the typo in one shot and the unknown character in the next are
reported in one pass. Dropped items are remembered (``SourceMap.renumbered``) so every issue still
names its original path and line.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import ValidationError

from production_assets.loading.schema_errors import clean_loc, model_at
from production_assets.model.production import ProductionConfig
from production_assets.model.source import SourceMap, ValuePath

MAX_ROUNDS = 20
PLACEHOLDER_TITLE = "(untitled)"


class _Pruner:
    def __init__(self, data: dict[str, Any], source: SourceMap):
        self.work = copy.deepcopy(data)
        self.source = SourceMap(source.root_file, source.values, source.keys, list(source.files), {})
        self.dropped: list[ValuePath] = []  # original paths (without "production") of what was taken out

    def original(self, path: ValuePath) -> ValuePath:
        return self.source.original(("production", *path))[1:]

    def _container(self, path: ValuePath) -> Any:
        node: Any = self.work
        for part in path:
            node = node[part]
        return node

    def _exists(self, path: ValuePath) -> bool:
        try:
            self._container(path)
        except (KeyError, IndexError, TypeError):
            return False
        return True

    def _optional_key(self, path: ValuePath) -> ValuePath | None:
        """The deepest key on ``path`` that is present and may be left out (its model has a default)."""
        for end in range(len(path), 0, -1):
            key = path[end - 1]
            if isinstance(key, int) or not self._exists(path[:end]):
                continue
            model = model_at(path[: end - 1])
            field = model.model_fields.get(str(key)) if model is not None else None
            if field is None or not field.is_required():
                return path[:end]
        return None

    def _list_item(self, path: ValuePath) -> ValuePath | None:
        """The outermost list item on ``path`` (a shot, a character...)."""
        for end in range(1, len(path) + 1):
            if isinstance(path[end - 1], int) and self._exists(path[:end]):
                return path[:end]
        return None

    def prune(self, error: ValidationError) -> bool:
        """Take out what ``error`` names; False when nothing could be taken out."""
        drops: dict[ValuePath, set[int]] = {}
        changed = False
        for item in error.errors(include_url=False):
            path = clean_loc(item["loc"], self.work)
            item_path = self._list_item(path)
            removable = self._optional_key(path) if item["type"] != "missing" else None
            if removable is not None and (item_path is None or len(removable) > len(item_path)):
                self.dropped.append(self.original(removable))
                del self._container(removable[:-1])[removable[-1]]
                changed = True
            elif item_path is not None:
                drops.setdefault(item_path[:-1], set()).add(int(item_path[-1]))
            elif path == ("title",):
                self.work["title"] = PLACEHOLDER_TITLE
                changed = True
            elif path and self._exists(path):
                self.dropped.append(self.original(path))
                del self._container(path[:-1])[path[-1]]
                changed = True
        for list_path, indices in drops.items():
            if not self._exists(list_path):
                continue  # another error of this round took out the whole list
            items = self._container(list_path)
            full = ("production", *list_path)
            kept = self.source.renumbered.setdefault(full, list(range(len(items))))
            for index in sorted(indices, reverse=True):
                self.dropped.append(self.original((*list_path, index)))
                del items[index]
                del kept[index]
            changed = True
        return changed


def partial_config(data: dict[str, Any], source: SourceMap) -> tuple[ProductionConfig | None, list[ValuePath]]:
    """The valid part of ``data`` as a production (positions kept), and the original paths taken out."""
    pruner = _Pruner(data, source)
    for _ in range(MAX_ROUNDS):
        try:
            config = ProductionConfig.model_validate(pruner.work)
        except ValidationError as error:
            if not pruner.prune(error):
                return None, pruner.dropped
            continue
        config._source = pruner.source
        return config, pruner.dropped
    return None, pruner.dropped
