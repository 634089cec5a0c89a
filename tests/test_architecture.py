"""The project's structural promises: a headless core, clean lint, strict types."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINTED = [name for name in ("wizard", "screens", "tests", "bench") if (ROOT / name).is_dir()]
TEXTUAL_IMPORT = re.compile(r"^\s*(from|import)\s+textual\b", re.MULTILINE)


def test_no_module_under_wizard_imports_textual_in_its_source() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "wizard").rglob("*.py")
        if TEXTUAL_IMPORT.search(path.read_text())
    ]
    assert offenders == []


def test_importing_every_core_module_loads_no_textual() -> None:
    script = (
        "import importlib, pkgutil, sys, wizard\n"
        "for info in pkgutil.walk_packages(wizard.__path__, 'wizard.'):\n"
        "    if info.name != 'wizard.__main__':\n"
        "        importlib.import_module(info.name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'screens')))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == ""


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; it is a test dependency")
    return found


def test_ruff_finds_nothing() -> None:
    result = subprocess.run(
        [_tool("ruff"), "check", *LINTED],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = subprocess.run(
        [_tool("ruff"), "format", "--check", *LINTED],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean_on_the_core() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", "/dev/null", "wizard"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


BESIDE = "shared"  # the folder laid beside a checkout here, and beside no newcomer's clone
OUTSIDE_THE_CLONE = re.compile(rf"\.\./{BESIDE}|parents\[\d+\]\s*/\s*[\"']{BESIDE}[\"']")


def test_nothing_in_the_project_reads_files_beside_the_clone() -> None:
    # A newcomer's clone has nothing beside it: data a test needs lives under tests/data/.
    offenders = [
        str(path.relative_to(ROOT))
        for name in LINTED
        for path in (ROOT / name).rglob("*.py")
        if OUTSIDE_THE_CLONE.search(path.read_text("utf-8"))
    ]
    assert offenders == []


def test_the_guard_above_recognises_a_path_beside_the_clone() -> None:
    assert OUTSIDE_THE_CLONE.search(f'json.loads(Path("../{BESIDE}/vectors/x.json").read_text())')
    assert OUTSIDE_THE_CLONE.search(f'Path(__file__).parents[3] / "{BESIDE}"')
    assert not OUTSIDE_THE_CLONE.search('tmp_path / "shared.toml"')
