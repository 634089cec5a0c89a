"""A read-only, syntax-highlighted view of a JSON document (the exact request body).

Rich's Syntax does the highlighting; Textual's TextArea is avoided on purpose: its tree-sitter
highlighting crashed here (tree-sitter 0.26.1), and a read-only preview needs no editor.
"""

from __future__ import annotations

import json
from typing import Any

from rich.syntax import Syntax
from rich.text import Text
from textual.widgets import Static


class JsonView(Static):
    """Shows `document` pretty-printed and highlighted, or a plain `placeholder` line when it is None.

    ANSI theme colours follow the terminal's palette, so the view reads in light and dark themes; with
    NO_COLOR it is plain, indented JSON.
    """

    def __init__(self, placeholder: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes, markup=False)
        self.placeholder = placeholder
        self.document: Any = None
        self.text = ""

    def on_mount(self) -> None:
        self._draw()

    def show(self, document: Any) -> None:
        """Show a JSON-serialisable document, or the placeholder for None."""
        self.document = document
        self.text = json.dumps(document, indent=2, ensure_ascii=False) if document is not None else ""
        if self.is_mounted:
            self._draw()

    def _draw(self) -> None:
        if self.document is None:
            self.update(Text(self.placeholder, style="italic"))
            return
        theme = self.app.current_theme
        dark = theme.dark if theme is not None else True
        self.update(
            Syntax(
                self.text,
                "json",
                theme="ansi_dark" if dark else "ansi_light",
                background_color="default",
                word_wrap=True,
            )
        )
