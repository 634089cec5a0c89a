"""Counted words in what the screens say: "1 entry", "2 entries"."""

from __future__ import annotations

#: Plurals that are not the word plus "s".
IRREGULAR = {"entry": "entries"}


def plural(count: int, word: str) -> str:
    """`word` as it goes after `count` ("broker" -> "brokers" unless count is 1)."""
    return word if count == 1 else IRREGULAR.get(word, word + "s")


def counted(count: int, word: str) -> str:
    """The count and the word: "1 entry", "1,200 entries"."""
    return f"{count:,} {plural(count, word)}"
