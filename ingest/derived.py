"""Tables derived from the installed data files, built once and kept in a cache folder.

A cold CLI search used to spend most of its time rebuilding, from the CSV and lexicon files,
tables no query changes: the gazetteer's name look-up over 12,000 places (0.5 s), the stems
that compounds are split into, the taxonomy's term index. Each is now built once per version
of the data and of the code that derives it, written as one `marshal` file (plain tuples,
dicts and strings: read back in milliseconds, no code run while loading), and read by every
later process. The cache never decides a result: a missing, unreadable or other-version file
is rebuilt, and a folder that cannot be written costs the next process the same build.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

CACHE_ENV = "SUPPLIER_SEARCH_CACHE"
_HERE = Path(__file__).parent
# the modules whose code shapes a derived table (a change to any of them is a new version)
_CODE = ("derived.py", "gazetteer.py", "german.py", "taxonomy.py", "records.py", "products.py")


def cache_dir() -> Path:
    """`$SUPPLIER_SEARCH_CACHE`, else `$XDG_CACHE_HOME/supplier-search` (`~/.cache/…`)."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "supplier-search"


@cache
def version() -> str:
    """Hash of every data file and of the deriving code (and the stemmer's version): 16 hex
    digits, computed once per process (≈ 4 ms for the 1.3 MB of data).

    >>> len(version())
    16
    """
    h = hashlib.blake2b(digest_size=8)
    for path in sorted((_HERE / "data").rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(_HERE)).encode())
            h.update(path.read_bytes())
    for name in _CODE:
        h.update((_HERE / name).read_bytes())
    try:
        import Stemmer

        h.update(str(getattr(Stemmer, "__version__", "")).encode())
    except ImportError:
        pass
    return h.hexdigest()


def cached(name: str, build: Callable[[], T]) -> T:
    """`build()`'s value, from `<cache>/<name>-<version>.marshal` when it is there, else built
    and written (atomically; older versions of the same table removed). The value must be
    marshal-able: str, int, float, bool, None, bytes, tuples, lists, dicts, sets, frozensets.

    >>> cached("doctest-example", lambda: {"a": (1, 2)})
    {'a': (1, 2)}
    """
    folder = cache_dir()
    path = folder / f"{name}-{version()}.marshal"
    try:
        # loads of the bytes, not load of the file: marshal reads a file in small pieces (8×)
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(marshal.dumps(value))
        os.replace(tmp, path)
        for old in folder.glob(f"{name}-*.marshal"):
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, ValueError):
        pass
    return value
