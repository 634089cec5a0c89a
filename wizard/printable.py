"""Stored text shown on a terminal: control characters escaped, so a file can never rewrite the screen."""

from __future__ import annotations

import unicodedata


def printable(text: str) -> str:
    """`text` with every control or format character (ESC, CR, BEL, bidi overrides...) written as an escape."""
    if text.isprintable():
        return text
    return "".join(
        ch if ch == " " or unicodedata.category(ch)[0] not in "CZ" or ch.isprintable() else ascii(ch)[1:-1]
        for ch in text
    )
