"""Python's cycle collector, in a process that holds a large graph: the one place it is tuned.

CPython frees an object as soon as nothing refers to it; its *cycle collector*
only finds groups of objects that refer to each other. By default it scans the
young objects after every 700 allocations and, whenever the old objects have
grown by a quarter, every object the process holds. A national dataset is
millions of objects (nodes, their properties, the index's lists), all kept
until the process ends, so at national scale the default collector spent up
to a third of a command's time scanning them for nothing it could free.
Three measures, each measured (docs/architecture.md, "The cycle collector"):

- :func:`collect_less_often`: thresholds of :data:`THRESHOLDS`, set by the
  command line before a command runs (``cli/main.py``) and by the tests;
- :func:`freeze`: once a command has read its dataset, the dataset's objects
  leave the collector's view (``cli/options.py``, ``serve``, ``validate``),
  and :func:`refreeze` when the explorer's live data replaces the graph;
- :func:`paused`: no collection at all while the plan builds its program
  (many small containers, no cycles).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

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


def freeze() -> None:
    """Move every object the process holds now out of the collector's view.

    Called once a command has read its dataset: the command then only analyses
    it, and no later collection walks the dataset again.
    """
    gc.freeze()


def refreeze() -> None:
    """Give the frozen objects back, collect what is garbage among them, freeze the rest.

    Called when a newly read graph replaces the one frozen before: the old
    graph's objects go, the new ones leave the collector's view.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No cycle collection inside the ``with`` block (as it was after it).

    Example
    -------
    >>> import gc
    >>> with paused():
    ...     gc.isenabled()
    False
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
