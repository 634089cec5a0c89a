"""Credentials read from the SDK's credentials file are known to the stores, so no draft can hold them."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from wizard.commands.common import connection_from_args
from wizard.commands.flags import add_connection_flags
from wizard.storage import DraftStore
from wizard.storage.secrets import forget_secrets

FILE_SK = "FileSecretKey0123456789abcdefghijklmnop"


@pytest.fixture(autouse=True)
def no_registered_secrets() -> Iterator[None]:
    forget_secrets()
    yield
    forget_secrets()


def test_a_secret_from_the_credentials_file_never_reaches_a_draft(isolated_home: Path) -> None:
    folder = isolated_home / ".huaweicloud"
    folder.mkdir()
    (folder / "credentials").write_text(f"[basic]\nak = FILEAK0000000000\nsk = {FILE_SK}\nproject_id = p1\n")
    parser = argparse.ArgumentParser()
    add_connection_flags(parser)
    connection_from_args(parser.parse_args(["--region", "cn-north-4"]))

    store = DraftStore()
    draft = store.new()
    draft.values.update({"name": "orders-mq", "description": f"key {FILE_SK}", "vpc_id": FILE_SK})
    store.save(draft)

    written = "".join(path.read_text() for path in isolated_home.rglob("*.toml"))
    assert "orders-mq" in written
    assert FILE_SK not in written
