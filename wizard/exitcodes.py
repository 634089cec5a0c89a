"""Exit codes shared by every command (documented in `--help` and the README)."""

OK = 0
INVALID = 1
"""The input broke a rule (validate, create)."""
UNREADABLE = 2
"""validate/export: the file could not be read or is not TOML/JSON."""
API_REFUSED = 2
"""create/status: the API answered with an error."""
OUTCOME_UNKNOWN = 3
"""create: a fault hid whether the instance was created, and looking it up did not settle it."""
INTERRUPTED = 130

EPILOG = (
    "exit codes: 0 done; 1 invalid input; 2 unreadable file, or the API refused; "
    "3 outcome unknown after a fault (the message says what was checked); 130 interrupted"
)
