"""Fault injection: stop the build at a named step, as ``kill -9`` would, for the fault tests.

``GOVNEWS_FAULT=STEP`` makes :func:`checkpoint` end the process at once (no cleanup, no ``finally``)
with exit code :data:`FAULT_EXIT` when the build reaches step ``STEP``; ``STEP:N`` at the N-th time
it is reached. Unset (always, outside the tests), a checkpoint costs one dictionary look-up. The steps
are listed in :data:`STEPS`; ``tests/test_faults.py`` stops a build at each and checks that the next
build gives the right tables.
"""

from __future__ import annotations

import os
import sys
from collections import Counter

FAULT_EXIT = 77
STEPS = (
    "lock-acquired",  # both locks held, leftovers of crashed runs removed
    "pool-started",  # worker processes exist (pids written to stderr first)
    "pieces-written",  # a batch's pieces are written, before its result is sent back
    "cache-parts-written",  # the cache's corpus columns are written, before its manifest
    "cache-manifest-written",  # the manifest is written, before unreferenced parts are removed
    "tables-staged",  # the new table set is complete beside the output folder, before the swap
    "tables-moved-aside",  # (no atomic exchange) the old set is moved aside, the new one not yet in place
    "tables-swapped",  # the new set is in place, the old one not yet removed
    "outputs-recorded",  # the manifest records the written tables
)
_reached: Counter[str] = Counter()


def checkpoint(step: str, note: str = "") -> None:
    """End the process here when ``GOVNEWS_FAULT`` names ``step`` (see the module docstring)."""
    wanted = os.environ.get("GOVNEWS_FAULT")
    if not wanted:
        return
    name, _, count = wanted.partition(":")
    if name != step:
        return
    _reached[step] += 1
    if _reached[step] == int(count or 1):
        print(f"govnews: fault injected at {step} {note}".rstrip(), file=sys.stderr, flush=True)
        os._exit(FAULT_EXIT)
