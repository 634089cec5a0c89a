"""Compile the project's modules to bytecode before a start-up bench.

An installed package ships compiled bytecode (pip compiles it); a checkout on a machine with
PYTHONDONTWRITEBYTECODE set (as these are) would otherwise compile every module of ours on every launch,
and the bench would measure the compiler rather than the program a user runs.
"""

from __future__ import annotations

import compileall
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def compile_project() -> None:
    """Write up-to-date .pyc files for wizard/ and screens/."""
    for package in ("wizard", "screens"):
        compileall.compile_dir(ROOT / package, quiet=1)
