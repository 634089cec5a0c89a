"""The project's structural promises: a headless core, clean lint, strict types."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
LINTED = [name for name in ("wizard", "screens", "tests", "bench") if (ROOT / name).is_dir()]


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


def _lint_imports(*options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_tool("lint-imports"), "--no-cache", *options], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_the_import_contracts_hold() -> None:
    # The layers in pyproject.toml's [tool.importlinter]: the core never imports the screens or Textual,
    # the sandbox never imports the client or the commands, storage never imports the client.
    result = _lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_the_core_starts_the_tui_through_an_edge_the_contracts_can_see(tmp_path: Path) -> None:
    # Without its declared exception the first contract breaks, on exactly that edge: the edge is a real
    # import the tools follow, not a string they cannot read.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"]
    core = config["contracts"][0]
    assert core["ignore_imports"] == ["wizard.commands.tui -> screens.app"]
    del core["ignore_imports"]
    lines = ["[importlinter]\nroot_packages =\n    wizard\n    screens\ninclude_external_packages = True\n"]
    lines.append("[importlinter:contract:core]\nname = core\ntype = forbidden\nsource_modules =\n    wizard\n")
    lines.append("forbidden_modules =\n" + "".join(f"    {name}\n" for name in core["forbidden_modules"]))
    (tmp_path / "contracts.ini").write_text("".join(lines), encoding="utf-8")
    result = _lint_imports("--config", str(tmp_path / "contracts.ini"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "wizard.commands.tui -> screens.app" in result.stdout


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


def test_mypy_strict_is_clean_on_the_core_and_the_screens() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", "/dev/null", "wizard", "screens"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _readme_test_command() -> str:
    readme = (ROOT / "README.md").read_text("utf-8")
    commands = [line.strip() for line in readme.splitlines() if line.startswith("    ") and "pytest" in line]
    assert len(commands) == 1, commands
    return commands[0]


def test_ci_runs_the_readmes_test_command_verbatim_with_the_lock_file() -> None:
    command = _readme_test_command()
    assert "-c constraints-test.txt" in command
    assert command in (ROOT / ".ci" / "run").read_text("utf-8").splitlines()


def _requirement_name(text: str) -> str:
    return re.split(r"[<>=!~\[; ]", text, maxsplit=1)[0].lower().replace("_", "-")


def test_the_lock_file_pins_every_dependency_as_pyproject_allows() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    locked = {}
    for line in (ROOT / "constraints-test.txt").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            locked[_requirement_name(name)] = version
    for text in wanted:
        requirement = Requirement(text)
        name = _requirement_name(requirement.name)
        assert name in locked, f"{name} is not in constraints-test.txt: run .ci/lock"
        assert requirement.specifier.contains(locked[name]), f"the lock's {name} {locked[name]} is outside {text}"


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
