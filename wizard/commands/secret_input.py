"""Secrets given as `-` on the command line (`--sk -`): read from a prompt, or standard input, instead.

A secret typed on the command line is readable by every local user in the process list for the whole run;
`--sk -` keeps it off it. On a terminal the wizard asks without echo; otherwise it reads one line of
standard input per secret, in the order --sk, --security-token, --auth-token.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from wizard.errors import WizardError

READ_FROM_INPUT = "-"
#: The flags that may say `-`, in the order their lines are read, with what a prompt calls them.
SECRET_FLAGS = (
    ("sk", "--sk", "Secret access key"),
    ("security_token", "--security-token", "Security token"),
    ("auth_token", "--auth-token", "IAM token"),
)
_LONGEST_SECRET = 64 * 1024
"""A security token is a few KiB; a line longer than this is not a secret."""


def _read_secret(flag: str, label: str) -> str:
    terminal = False
    try:
        terminal = sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        terminal = False
    try:
        if terminal:
            text = getpass.getpass(f"{label} (for {flag} -): ", stream=sys.stderr)
        else:
            text = sys.stdin.readline(_LONGEST_SECRET + 1) if sys.stdin is not None else ""
    except EOFError:
        text = ""
    if len(text) > _LONGEST_SECRET:
        raise WizardError(f"{flag} -: the line read from standard input is longer than any {label.lower()}")
    secret = text.strip()
    if not secret:
        where = "at the prompt" if terminal else "on standard input (one line per `-` secret)"
        raise WizardError(f"{flag} -: no {label.lower()} was given {where}")
    return secret


def read_secret_flags(args: argparse.Namespace) -> None:
    """Replace every secret flag given as `-` with the secret read from the prompt or standard input."""
    for attribute, flag, label in SECRET_FLAGS:
        if getattr(args, attribute, None) == READ_FROM_INPUT:
            setattr(args, attribute, _read_secret(flag, label))
