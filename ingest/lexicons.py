"""The word lists of `ingest/data/lexicon/`: one reader for all of them.

Each file is UTF-8 text, one entry per line; empty lines and lines starting with `#` (the
file's header: what it lists, its format, where it comes from) are skipped. Staff and the team
edit these files, never the code that reads them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FOLDER = Path(__file__).parent / "data" / "lexicon"


@cache
def lines(name: str) -> tuple[str, ...]:
    """Every entry of one list, as written (trailing newline removed); none if it is missing.

    >>> "Meditec" in lines("division_words.txt")
    True
    """
    path = FOLDER / name
    if not path.exists():
        return ()
    return tuple(
        ln.rstrip("\n")
        for ln in path.read_text(encoding="utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")
    )


def words(name: str) -> frozenset[str]:
    """The entries of one list as a set of stripped words.

    >>> "ingenieur" in words("person_suffixes.txt")
    True
    """
    return frozenset(ln.strip() for ln in lines(name))
