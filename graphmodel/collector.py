"""How often Python's cycle collector runs in a process that holds a large graph.

CPython frees an object as soon as nothing refers to it; its *cycle collector*
only finds groups of objects that refer to each other. By default it scans the
young objects after every 700 allocations and, whenever the old objects have
grown by a quarter, every object the process holds. A national dataset is
millions of objects (nodes, their properties, the index's lists), all kept
until the process ends: while one is read, indexed and analysed, the collector
scanned them over and over, for nothing it could free. Measured on the
national synthetic set (docs/architecture.md, "The cycle collector"): building
the set took 5.0 s and its communities 7.9 s of processor time with the
defaults, 4.3 s and 5.0 s with :data:`THRESHOLDS`.

The command line (``graphmodel``, and so ``graphmodel serve``) calls
:func:`collect_less_often` before it runs a command; a program using the
library on large datasets may call it too.
"""

from __future__ import annotations

import gc

#: Allocations between two scans of the young objects, then scans of one generation
#: between two of the next (CPython's defaults: 700, 10, 10). Cycles still go: the
#: young are scanned every 50,000 allocations, everything every 10 million at most.
THRESHOLDS = (50_000, 20, 10)


def collect_less_often() -> None:
    """Set the cycle collector's thresholds to :data:`THRESHOLDS` for this process.

    Example
    -------
    >>> import gc
    >>> before = gc.get_threshold()
    >>> collect_less_often()
    >>> gc.get_threshold()
    (50000, 20, 10)
    >>> gc.set_threshold(*before)
    """
    gc.set_threshold(*THRESHOLDS)
