"""A scripted wizard session for the crash test: types values through a DebouncedSaver into a new draft.

Run as `python crash_driver.py SEED DELAY` with ROCKETMQ_WIZARD_HOME set. It prints `ready DRAFT_ID`, then
one line `INDEX MONOTONIC_TIME` after each change is handed to the saver, then `done` after the final
flush. The test kills it with SIGKILL at a random moment and checks what a restart finds.
"""

from __future__ import annotations

import random
import sys
import time
from typing import Any

STEPS = ("basics", "network", "flavor", "storage", "public_access", "billing", "review")


def session_script(seed: int) -> list[tuple[dict[str, Any], str]]:
    """Every state (values, step) the scripted session passes through, each one different from the last."""
    rng = random.Random(seed)
    values: dict[str, Any] = {}
    states: list[tuple[dict[str, Any], str]] = []

    def record(step: str) -> None:
        states.append(({k: (dict(v) if isinstance(v, dict) else v) for k, v in values.items()}, step))

    def type_text(field: str, text: str, step: str) -> None:
        for end in range(1, len(text) + 1):
            values[field] = text[:end]
            record(step)

    type_text("name", f"orders-{rng.randrange(10**6):06d}", "basics")
    words = ["queue", "broker", "orders", "team", "prod", "east", "backup", "ü", '"quoted"', "back\\slash"]
    type_text("description", " ".join(rng.choice(words) for _ in range(rng.randrange(6, 14))), "basics")
    type_text("vpc_id", f"vpc-{rng.randrange(16**8):08x}", "network")
    values["available_zones"] = []
    for zone in range(rng.randrange(1, 4)):
        values["available_zones"] = [*values["available_zones"], f"az-{zone}"]
        record("network")
    type_text("broker_num", str(rng.randrange(1, 11)), "flavor")
    values["bss_param"] = {"charging_mode": "prePaid"}
    record("billing")
    for number in range(1, rng.randrange(2, 9)):
        values["bss_param"] = {"charging_mode": "prePaid", "period_type": "month", "period_num": number}
        record("billing")
    record("review")
    return states


def main() -> int:
    from wizard.storage import DebouncedSaver, DraftStore

    seed, delay = int(sys.argv[1]), float(sys.argv[2])
    rng = random.Random(seed + 1)
    store = DraftStore()
    saver = DebouncedSaver(store, store.new(), delay=delay)
    print(f"ready {saver.draft.id}", flush=True)
    for index, (values, step) in enumerate(session_script(seed)):
        saver.update(values, step)
        print(f"{index} {time.monotonic()!r}", flush=True)
        time.sleep(rng.uniform(0.002, 0.012))
    saver.close()
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
