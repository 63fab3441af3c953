"""Safe YAML reading that keeps the file, line and column of every value.

Nodes are composed with libyaml's C parser (PyYAML ``CSafeLoader``) and turned
into plain Python data here, so positions survive and only plain YAML types
are accepted: no Python tags, no ``!!binary``, bounded size, depth and alias
expansion (a "billion laughs" document is refused, not expanded).
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Any

import yaml

from production_assets.errors import ConfigError, SourceLocation
from production_assets.model.source import SourceMap, ValuePath

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_VALUES = 2_000_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_constructor = yaml.constructor.SafeConstructor()
# libyaml's wording when its own nesting limit stops the scanner or parser (libyaml >= 0.2.6, PyYAML >= 6.0.4).
_PARSER_NESTING_PROBLEM = "exceeded maximum nesting depth"


def read_text(path: Path) -> str:
    """Read a YAML file as UTF-8 text, refusing what cannot be a production file."""
    try:
        if path.is_dir():
            raise ConfigError(f"{path} is a folder; expected a YAML file", SourceLocation(str(path), 1, 1))
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ConfigError(
                f"{path} is {size / 2**20:.0f} MiB; production files are limited to {MAX_FILE_BYTES // 2**20} MiB",
                SourceLocation(str(path), 1, 1),
                "split the shots into shot_list files",
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path} does not exist", suggestion="check the path") from None
    except PermissionError:
        raise ConfigError(f"{path} cannot be read (permission denied)") from None
    except OSError as error:
        raise ConfigError(f"{path} cannot be read: {error.strerror or error}") from None
    if b"\x00" in raw:
        raise ConfigError(f"{path} is a binary file, not YAML", SourceLocation(str(path), 1, 1))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ConfigError(
            f"{path} is not valid UTF-8 (byte {error.start})", SourceLocation(str(path), line, 1), "save it as UTF-8"
        ) from None


def load_yaml(path: Path) -> tuple[Any, SourceMap]:
    """Parse one YAML file into plain data and the positions of its values."""
    text = read_text(path)
    try:
        _check_depth(text, path)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        location = SourceLocation(str(path), mark.line + 1, mark.column + 1) if mark else None
        raise ConfigError(f"not valid YAML: {error.problem or error.context}", location) from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path} is not valid YAML: {error}") from None
    source = SourceMap(root_file=path, files=[path])
    if node is None:
        return None, source
    if _expanded_size(node, {}) > MAX_VALUES:
        raise ConfigError(
            f"the document expands to more than {MAX_VALUES:,} values (an alias bomb?)",
            SourceLocation(str(path), node.start_mark.line + 1, 1),
            "remove the repeated aliases",
        )
    builder = _DataBuilder(path, source)
    return builder.build(node, (), 0), source


def _check_depth(text: str, path: Path) -> None:
    """Refuse deep nesting before composing: libyaml's composer recurses and would crash the process.

    libyaml 0.2.6 (the PyYAML 6.0.4 wheels) has a nesting limit of its own (1000 levels), and its scanner reads
    up to 1024 characters ahead, so on a line of brackets its error can come before our 65th level is seen.
    That error is mapped to ours, at the same position as on a PyYAML without the limit: the text before the
    parser's stop holds our limit's position.
    """
    try:
        _refuse_deep_events(text, path)
    except yaml.MarkedYAMLError as error:
        if error.problem != _PARSER_NESTING_PROBLEM or error.problem_mark is None:
            return  # composing reports syntax errors with their position
        mark = error.problem_mark
        with suppress(yaml.YAMLError):  # the cut text ends mid-document, after the position we look for
            _refuse_deep_events(text[: mark.index], path)
        raise _too_deep(_location(path, mark)) from None
    except yaml.YAMLError:
        return


def _refuse_deep_events(text: str, path: Path) -> None:
    """Raise at the first mapping or sequence that opens level MAX_DEPTH + 1."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _too_deep(_location(path, event.start_mark))
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1


def _location(path: Path, mark: Any) -> SourceLocation:
    """A parser mark (PyYAML's or libyaml's, both 0-based) as a 1-based file:line:col."""
    return SourceLocation(str(path), mark.line + 1, mark.column + 1)


def _too_deep(location: SourceLocation) -> ConfigError:
    return ConfigError(
        f"the document is nested deeper than {MAX_DEPTH} levels",
        location,
        "production files need a few levels; look for unclosed brackets or an alias that contains itself",
    )


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many values the document becomes once aliases are expanded (without expanding them)."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    sizes[key] = 1
    if isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(child, sizes) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, sizes) + _expanded_size(v, sizes) for k, v in node.value)
    else:
        size = 1
    sizes[key] = size
    return size


class _DataBuilder:
    def __init__(self, path: Path, source: SourceMap):
        self.file = str(path)
        self.source = source
        self.count = 0

    def _where(self, node: yaml.Node) -> SourceLocation:
        return SourceLocation(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: ValuePath, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise ConfigError(
                f"the document expands to more than {MAX_VALUES:,} values (an alias bomb?)",
                self._where(node),
                "remove the repeated aliases",
            )
        if depth > MAX_DEPTH:
            raise _too_deep(self._where(node))
        self.source.values[path] = self._where(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise ConfigError(f"unsupported YAML tag {node.tag}", self._where(node), "remove the tag")
            return [self.build(item, path + (index,), depth + 1) for index, item in enumerate(node.value)]
        if node.tag not in _PLAIN_SCALAR_TAGS:
            raise ConfigError(
                f"unsupported YAML tag {node.tag}", self._where(node), "production files hold plain values only"
            )
        value = _constructor.construct_object(node)
        if node.tag == "tag:yaml.org,2002:timestamp":
            return str(node.value)
        return value

    def _mapping(self, node: yaml.MappingNode, path: ValuePath, depth: int) -> dict[str, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            raise ConfigError(f"unsupported YAML tag {node.tag}", self._where(node), "remove the tag")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise ConfigError("YAML merge keys (<<) are not supported", self._where(key_node), "write the keys out")
            if not isinstance(key_node, yaml.ScalarNode):
                raise ConfigError("mapping keys must be plain names", self._where(key_node))
            key = str(key_node.value)
            if key in result:
                raise ConfigError(f"duplicate key {key!r}", self._where(key_node), "remove one of them")
            self.source.keys[path + (key,)] = self._where(key_node)
            result[key] = self.build(value_node, path + (key,), depth + 1)
        return result
