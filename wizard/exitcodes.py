"""Exit codes shared by every command (documented in `--help` and the README)."""

OK = 0
INVALID = 1
"""The input broke a rule, could not be read (create), or could not be confirmed."""
UNREADABLE = 2
"""validate/export: the file could not be read or is not TOML/JSON."""
API_REFUSED = 2
"""create/status: the API answered with an error, or the instance ended in a failed status."""
OUTCOME_UNKNOWN = 3
"""create: a fault hid whether the instance was created (a timeout, a 5xx, a reset after sending), and
looking it up by name did not find it (which proves nothing) or failed."""
UNREACHABLE = 4
"""create/status: the API could not be reached, the create provably never reached the service, or the
gateway throttled it: nothing was created, it is safe to try again."""
WAIT_TIMED_OUT = 5
"""--wait: the instance exists but did not reach RUNNING in time."""
INTERRUPTED = 130

EPILOG = (
    "exit codes: 0 done; 1 invalid input; 2 unreadable file, or the API refused (or the instance failed); "
    "3 outcome unknown after a fault (the message says what was checked); 4 API unreachable or throttled, "
    "nothing created (safe to retry); 5 --wait timed out; 130 interrupted (also SIGTERM, SIGHUP)"
)
