"""The storage package loads its parts on first use: resolving a connection must not load every store."""

from __future__ import annotations

import subprocess
import sys

import pytest

import wizard.storage as storage


def test_every_public_name_resolves_to_its_module() -> None:
    assert sorted(storage.__all__) == sorted(storage._MODULE_OF)
    for name in storage.__all__:
        value = getattr(storage, name)
        assert getattr(sys.modules[f"wizard.storage.{storage._MODULE_OF[name]}"], name) is value


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'DraftStores'"):
        _ = storage.DraftStores  # type: ignore[attr-defined]


def test_registering_credentials_loads_only_the_secrets_registry() -> None:
    # The wizard resolves credentials before its first frame; the stores wait until they are used.
    script = (
        "import sys\n"
        "from wizard.storage.secrets import register_credentials\n"
        "print(sorted(m for m in sys.modules if m.startswith('wizard.storage.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "['wizard.storage.secrets']"
