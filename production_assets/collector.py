"""Python's cyclic garbage collector, paused around bulk reads.

Parsing, validating and resolving a 10,000-shot production allocates millions of small objects and
no garbage cycles; the collections those allocations trigger only scan the same live objects again
and again (about 60% of the time to load such a film). The collector is paused for the read and
collects as usual after it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector inside the block or the decorated function (nested uses are fine: only the
    outermost resumes it)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
