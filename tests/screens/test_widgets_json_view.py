"""JsonView: a placeholder until there is a document, then the document pretty-printed and highlighted."""

from __future__ import annotations

import json

from rich.syntax import ANSISyntaxTheme, Syntax
from rich.text import Text
from textual.app import App, ComposeResult

from screens.widgets.json_view import JsonView


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield JsonView("Nothing to show yet.", id="json")


async def test_placeholder_then_the_document() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(JsonView)
        assert isinstance(view.content, Text)
        assert view.content.plain == "Nothing to show yet."
        document = {"name": "orders", "description": 'say "hi" \\ bye', "available_zones": ["az-1"]}
        view.show(document)
        await pilot.pause()
        assert isinstance(view.content, Syntax)
        assert json.loads(view.text) == document
        lines = [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]
        assert '  "description": "say \\"hi\\" \\\\ bye",' in lines
        view.show(None)
        assert isinstance(view.content, Text)


async def test_light_theme_uses_the_light_ansi_palette() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "textual-light"
        view = app.query_one(JsonView)
        view.show({"a": 1})
        await pilot.pause()
        assert isinstance(view.content, Syntax)
        theme = view.content._theme
        assert isinstance(theme, ANSISyntaxTheme)
        assert theme.style_map == Syntax.get_theme("ansi_light").style_map  # type: ignore[attr-defined]
