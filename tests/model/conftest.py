"""Fixtures for the request model's tests."""

from __future__ import annotations

import pytest

from tests.model.samples import live_catalog
from wizard.catalog import Catalog


@pytest.fixture
def catalog() -> Catalog:
    """The live-like catalog."""
    return live_catalog()
