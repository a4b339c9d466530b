"""Small JSON caches of derived data (parsed registry, unit factors, gazetteer) in the user's cache folder.

Each cache file carries a stamp (versions, sizes and modification times of what it was derived
from); a file whose stamp differs is ignored and rebuilt. Caches only ever cost speed: a missing,
unwritable or broken cache folder is the same as an empty one.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    """$TARGETTRACK_CACHE_DIR, else $XDG_CACHE_HOME/targettrack, else ~/.cache/targettrack."""
    base = os.environ.get("TARGETTRACK_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "targettrack"


def file_name(kind: str, source: str | Path) -> str:
    """The cache file of `kind` derived from `source` (a file or folder): one per source, so that two
    registries, or two installed copies of the package, sharing the cache folder keep their own."""
    import hashlib

    return f"{kind}-{hashlib.sha1(str(source).encode()).hexdigest()[:16]}.json"


def file_stamp(*paths: Path) -> str:
    """What the files look like now (name, size, mtime); OSError when one is missing."""
    parts = []
    for path in paths:
        info = Path(path).stat()
        parts.append(f"{Path(path).name}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join(parts)


def read(name: str, stamp: str) -> Any | None:
    """The data cached under `name` if its stamp matches, else None."""
    try:
        data = json.loads((cache_dir() / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("stamp") != stamp:
        return None
    return data.get("data")


def write(name: str, stamp: str, data: Any) -> None:
    """Cache `data` under `name` (atomically: readers see the old file or the new one)."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump({"stamp": stamp, "data": data}, out, ensure_ascii=False)
            os.replace(temporary, folder / name)
        except BaseException:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise
    except OSError:
        pass  # a read-only home only costs speed
