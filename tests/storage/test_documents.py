"""The TOML document format: round trips, the [wizard] header, schema versions, and bad files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard.cli import main
from wizard.storage import documents
from wizard.storage.documents import (
    SCHEMA_VERSION,
    DocumentInvalid,
    SchemaTooNew,
    parse_document,
    render_document,
)

from .samples import valid_values

WHEN = datetime(2026, 11, 28, 1, 2, 3, 456789, tzinfo=UTC)


def _render(values: dict[str, Any], **header: Any) -> str:
    return render_document("draft", values, created=WHEN, updated=WHEN, header=header)


def test_a_document_round_trips_values_times_and_header() -> None:
    values = valid_values(broker_num="3")  # raw, as typed
    document = parse_document(_render(values, step="network"), kind="draft")
    assert document.values == values
    assert document.header == {"step": "network"}
    assert document.created == WHEN and document.updated == WHEN
    assert document.migrated_from is None


def test_unset_values_are_left_out() -> None:
    document = parse_document(
        _render({"name": "x", "description": None, "bss_param": {"period_num": None}}), kind="draft"
    )
    assert document.values == {"name": "x", "bss_param": {}}


scalars = st.one_of(st.text(max_size=30), st.integers(min_value=-(2**63), max_value=2**63 - 1), st.booleans())


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=12).filter(lambda k: k != "wizard"),
        st.one_of(
            scalars,
            st.lists(st.text(max_size=10), max_size=4),
            st.dictionaries(st.text(max_size=8), scalars, max_size=3),
        ),
        max_size=8,
    )
)
def test_any_typed_values_round_trip(values: dict[str, Any]) -> None:
    assert parse_document(_render(values), kind="draft").values == values


def test_validate_and_export_read_a_saved_document_as_a_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "saved.toml"
    saved.write_text(_render(valid_values(), step="review"), encoding="utf-8")
    assert main(["validate", str(saved)]) == 0
    assert main(["export", str(saved), "--format", "json"]) == 0
    assert '"wizard"' not in capsys.readouterr().out


def test_the_header_is_written_after_the_fields_with_its_version() -> None:
    text = _render({"name": "x"}, step="basics")
    assert text.startswith("# rocketmq-wizard draft")
    assert f"[wizard]\nschema = {SCHEMA_VERSION}\n" in text
    assert text.endswith('step = "basics"\nkind = "draft"\n')


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   \n\n", "empty"),
        ('name = "abc', "not valid TOML"),
        ('name = "x"\n', r"no \[wizard\] table"),
        ('wizard = "x"\n', "must be a table"),
        ('[wizard]\nschema = "1"\n', "schema' must be a whole number"),
        ("[wizard]\nschema = true\n", "schema' must be a whole number"),
        ('[wizard]\nschema = 1\nkind = "profile"\ncreated = 2026-01-01T00:00:00Z\n', "profile file, not a draft"),
        ('[wizard]\nschema = 1\nkind = "draft"\n', "no 'created' time"),
        ("[wizard]\nschema = 1\ncreated = 2026-01-01T00:00:00Z\n", "kind' is missing"),
        ('[wizard]\nschema = 1\nkind = "draft"\ncreated = "yesterday"\n', "must be a date and time"),
        ('[wizard]\nschema = 0\nkind = "draft"\ncreated = 2026-01-01T00:00:00Z\n', "older than this wizard"),
    ],
)
def test_a_bad_document_is_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(DocumentInvalid, match=reason):
        parse_document(text, kind="draft")


def test_a_truncated_document_is_refused() -> None:
    text = _render(valid_values(), step="network")
    for cut in range(len(text) - 1):
        try:
            document = parse_document(text[:cut], kind="draft")
        except DocumentInvalid:
            continue
        # A cut that still parses must not be mistaken for the whole: it lost its header or its times.
        raise AssertionError(f"a document cut at {cut} parsed as {document}")


def test_a_newer_schema_is_refused_and_never_misread() -> None:
    text = _render({"name": "x"}).replace(f"schema = {SCHEMA_VERSION}", f"schema = {SCHEMA_VERSION + 1}")
    with pytest.raises(SchemaTooNew, match="newer rocketmq-wizard"):
        parse_document(text, kind="draft")


def test_an_older_schema_is_migrated_step_by_step(monkeypatch: pytest.MonkeyPatch) -> None:
    def from_old(data: dict[str, Any]) -> dict[str, Any]:
        data["broker_num"] = data.pop("brokers")
        return data

    monkeypatch.setattr(documents, "MIGRATIONS", {SCHEMA_VERSION - 1: from_old})
    text = _render({"brokers": 3}).replace(f"schema = {SCHEMA_VERSION}", f"schema = {SCHEMA_VERSION - 1}")
    document = parse_document(text, kind="draft")
    assert document.values == {"broker_num": 3}
    assert document.migrated_from == SCHEMA_VERSION - 1


def test_a_plain_request_file_is_accepted_where_the_header_is_optional() -> None:
    document = parse_document('name = "x"\n', kind="profile", require_header=False, fallback_time=WHEN)
    assert document.values == {"name": "x"} and document.created == WHEN
