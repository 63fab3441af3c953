"""Model files checked at validate time, without Blender: is it the format its extension says, and whole?

Each check reads the file's structure, not just its first bytes, so a truncated download or a file of
random bytes is an error at its `model:` line instead of a crash inside Blender later:

- ``.blend``: the ``BLENDER`` header (old ``BLENDER-v279`` and Blender 5's ``BLENDER17-01v0500``) and the
  closing ``ENDB`` block; gzip-compressed files decompressed; zstd-compressed ones (Blender 3+) need the
  zstd frame magic, a decompressible first frame holding the header, and the seek table at the end.
- ``.glb``: magic, version 2, the total length equal to the file's size, chunks that tile it exactly, a
  JSON chunk that parses.
- ``.gltf``: JSON with an ``asset`` version; every buffer and image it references by a relative path
  exists (data: URIs are fine).
- ``.fbx``: binary (``Kaydara FBX Binary``, top-level node records that end inside the file) or ASCII
  (``FBXHeaderExtension``).
- ``.obj``: text with at least one vertex (``v x y z``).
- ``.usd``/``.usda``/``.usdc``: ``#usda`` text or a ``PXR-USDC`` crate whose table of contents lies inside
  the file; ``.usdz``: a zip whose first entry is a USD layer.

Results are cached while a file's size and modification time stay the same.
"""

from __future__ import annotations

import gzip
import json
import struct
import urllib.parse
import zipfile
import zlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

Checker = Callable[[Path, bytes], str | None]
HEAD_BYTES = 1 << 16
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_ZSTD_SEEKABLE_FOOTER = b"\xb1\xea\x92\x8f"
_GZIP_MAGIC = b"\x1f\x8b"
_FBX_BINARY = b"Kaydara FBX Binary  \x00"


def _blend_header(head: bytes) -> bool:
    if not head.startswith(b"BLENDER"):
        return False
    rest = head[7:17]
    legacy = rest[:1] in (b"-", b"_") and rest[1:2] in (b"v", b"V") and rest[2:5].isdigit()
    current = rest[:2].isdigit() and rest[2:3] == b"-" and rest[3:5].isdigit() and rest[5:6] == b"v"
    return legacy or current


def _check_blend(path: Path, head: bytes) -> str | None:
    if head.startswith(_ZSTD_MAGIC):
        return _check_zstd_blend(path, head)
    if head.startswith(_GZIP_MAGIC):
        try:
            with gzip.open(path, "rb") as handle:
                first = handle.read(32)
                tail = b""
                while block := handle.read(1 << 20):
                    tail = (tail + block)[-64:]
        except (OSError, EOFError, zlib.error) as error:
            return f"is a damaged compressed .blend ({error})"
        return None if _blend_header(first) and b"ENDB" in tail else "is not a whole .blend file"
    if not _blend_header(head):
        return "is not a .blend file (no BLENDER header)"
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - 64))
        if b"ENDB" not in handle.read():
            return "is a truncated .blend file (its closing ENDB block is missing)"
    return None


def _check_zstd_blend(path: Path, head: bytes) -> str | None:
    import zstandard  # a dependency of bpy, so always installed; imported only for compressed files

    try:
        first = zstandard.ZstdDecompressor().decompressobj().decompress(head)[:32]
    except zstandard.ZstdError as error:
        return f"is a damaged compressed .blend ({error})"
    if not _blend_header(first):
        return "is a compressed file but not a .blend"
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - 4))
        if handle.read() != _ZSTD_SEEKABLE_FOOTER:
            return "is a truncated compressed .blend (its seek table at the end is missing)"
    return None


def _check_glb(path: Path, head: bytes) -> str | None:
    if len(head) < 12 or head[:4] != b"glTF":
        return "is not a binary glTF file (no glTF header)"
    version, length = struct.unpack_from("<II", head, 4)
    size = path.stat().st_size
    if version != 2:
        return f"is glTF version {version}; only glTF 2 is supported"
    if length != size:
        return f"is truncated or padded: its header says {length} bytes, the file has {size}"
    data = path.read_bytes()
    offset, chunks = 12, []
    while offset < length:
        if offset + 8 > length:
            return "has a chunk header that runs past the end of the file"
        chunk_length, chunk_type = struct.unpack_from("<I4s", data, offset)
        if offset + 8 + chunk_length > length:
            return f"has a {chunk_type!r} chunk that runs past the end of the file"
        chunks.append((chunk_type, data[offset + 8 : offset + 8 + chunk_length]))
        offset += 8 + chunk_length
    if not chunks or chunks[0][0] != b"JSON":
        return "has no JSON chunk first"
    try:
        json.loads(chunks[0][1])
    except ValueError as error:
        return f"has a JSON chunk that does not parse ({error})"
    return None


def _check_gltf(path: Path, head: bytes) -> str | None:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        return f"is not glTF JSON ({error})"
    if not isinstance(document, dict) or not isinstance(document.get("asset"), dict):
        return "is JSON but not glTF (no asset section)"
    for section in ("buffers", "images"):
        for item in document.get(section) or []:
            uri = item.get("uri") if isinstance(item, dict) else None
            if not isinstance(uri, str) or uri.startswith("data:"):
                continue
            target = (path.parent / urllib.parse.unquote(uri)).resolve()
            if not target.is_relative_to(path.parent.resolve()):
                return f"references {uri!r} outside its folder"
            if not target.is_file():
                return f"references {uri!r}, which does not exist"
    return None


def _check_fbx(path: Path, head: bytes) -> str | None:
    if head.startswith(_FBX_BINARY):
        return _check_binary_fbx(path)
    text = head.decode("utf-8", errors="replace")
    return None if "FBXHeaderExtension" in text or text.lstrip().startswith("; FBX") else "is not an FBX file"


def _check_binary_fbx(path: Path) -> str | None:
    data = path.read_bytes()
    if len(data) < 27:
        return "is a truncated FBX file"
    version = struct.unpack_from("<I", data, 23)[0]
    wide = version >= 7500
    record = struct.Struct("<QQQB" if wide else "<IIIB")
    offset, nodes = 27, 0
    while True:
        if offset + record.size > len(data):
            return "is a truncated FBX file (a node record runs past the end)"
        end, _count, _length, name_length = record.unpack_from(data, offset)
        if end == 0:
            return None if nodes else "is an FBX file without any node"
        if end <= offset or end > len(data):
            return "is a truncated or damaged FBX file (a node ends outside the file)"
        offset, nodes = end, nodes + 1


def _check_obj(path: Path, head: bytes) -> str | None:
    if b"\x00" in head:
        return "is a binary file, not a Wavefront .obj"
    with path.open("rb") as handle:
        for raw in handle:
            parts = raw.split()
            if len(parts) >= 4 and parts[0] == b"v":
                try:
                    [float(value) for value in parts[1:4]]
                except ValueError:
                    return f"has a vertex line that is not numbers: {raw[:60]!r}"
                return None
    return "has no vertex (no 'v x y z' line)"


def _check_usd(path: Path, head: bytes) -> str | None:
    if head.startswith(b"#usda"):
        return None
    if head.startswith(b"PXR-USDC"):
        if len(head) < 24:
            return "is a truncated USD crate file"
        toc = struct.unpack_from("<Q", head, 16)[0]
        return (
            None
            if 0 < toc < path.stat().st_size
            else "is a truncated USD crate file (its table of contents is missing)"
        )
    return "is not a USD file (no #usda or PXR-USDC header)"


def _check_usdz(path: Path, head: bytes) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError) as error:
        return f"is not a usdz archive ({error})"
    if not names or Path(names[0]).suffix.lower() not in (".usd", ".usda", ".usdc"):
        return "is a zip whose first file is not a USD layer"
    return None


CHECKERS: dict[str, Checker] = {
    ".blend": _check_blend,
    ".glb": _check_glb,
    ".gltf": _check_gltf,
    ".fbx": _check_fbx,
    ".obj": _check_obj,
    ".usd": _check_usd,
    ".usda": _check_usd,
    ".usdc": _check_usd,
    ".usdz": _check_usdz,
}


@lru_cache(maxsize=256)
def _checked(path: str, size: int, mtime_ns: int) -> str | None:
    target = Path(path)
    checker = CHECKERS.get(target.suffix.lower())
    if checker is None:
        return None
    if size == 0:
        return "is empty"
    try:
        with target.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
        return checker(target, head)
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"


def model_file_problem(path: Path) -> str | None:
    """What is wrong with a model file (None when it looks whole), from its structure; no bpy."""
    stat = path.stat()
    return _checked(str(path), stat.st_size, stat.st_mtime_ns)
