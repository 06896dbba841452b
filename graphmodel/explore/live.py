"""The graph the explorer serves, following a dataset's files as a strategist edits them.

A dataset path is watched (its folder, or the folder of its workbook, with
:mod:`watchfiles`). When its files change the dataset is read and validated
again: a valid one replaces the graph (a new :class:`Explorer`, new indexes,
a new ``version``); an invalid one leaves the last good graph in place and
keeps its problems, worded as the command line words them, for the page to
show. A Neo4j database is served as it is (``watching`` false).

Example
-------
>>> from graphmodel.backends import MemoryBackend
>>> from graphmodel.dataset import read_dataset
>>> backend = MemoryBackend(read_dataset("examples/children-trust"))
>>> served = ServedGraph.fixed(Explorer(backend, "examples/children-trust"))
>>> served.status()["version"], served.status()["watching"], served.status()["problems"]
(1, False, [])
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import watchfiles

from graphmodel import collector
from graphmodel.errors import DatasetError, GraphModelError
from graphmodel.explore.explorer import Explorer

#: File endings that make up a dataset in a folder (a change to anything else, such as
#: a spreadsheet application's lock file, is not a change to the dataset).
DATASET_SUFFIXES = (".csv",)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class ServedGraph:
    """The explorer of the graph being served, replaced when its dataset changes.

    Parameters
    ----------
    load
        Reads the dataset and returns a ready explorer; raises
        :class:`~graphmodel.errors.DatasetError` for an invalid one.
    watch
        The dataset's path (``None``: nothing to follow).
    """

    def __init__(self, load: Callable[[], Explorer], watch: Path | None) -> None:
        self._load = load
        self._path = watch
        self._explorer = load()
        self._version = 1
        self._loaded_at = _now()
        self._problems: list[str] = []
        self._checked_at = self._loaded_at
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def fixed(cls, explorer: Explorer) -> ServedGraph:
        """A graph that does not change (a Neo4j database, a test)."""
        return cls(lambda: explorer, None)

    @property
    def explorer(self) -> Explorer:
        """The explorer of the last good graph."""
        with self._lock:
            return self._explorer

    def status(self) -> dict[str, Any]:
        """``/api/status``: the graph's version, when it was read, the last problems."""
        with self._lock:
            return {
                "version": self._version,
                "loaded_at": self._loaded_at,
                "checked_at": self._checked_at,
                "watching": self._path is not None,
                "problems": list(self._problems),
            }

    def reload(self) -> bool:
        """Read the dataset again; True when the graph was replaced.

        An invalid dataset keeps the last good graph and records its problems
        (one line each, as ``graphmodel validate`` prints them).
        """
        try:
            explorer = self._load()
        except DatasetError as error:
            lines = str(error).splitlines()
            with self._lock:
                self._problems, self._checked_at = lines, _now()
            return False
        except GraphModelError as error:
            with self._lock:
                self._problems, self._checked_at = [f"error: {error}"], _now()
            return False
        with self._lock:
            self._explorer = explorer
            self._version += 1
            self._loaded_at = self._checked_at = _now()
            self._problems = []
        # The old graph's objects go; the new ones leave the collector's view
        # (as every command does after reading a dataset).
        collector.refreeze()
        return True

    def _changes_matter(self, change: watchfiles.Change, path: str) -> bool:
        assert self._path is not None
        changed = Path(path)
        if self._path.is_dir():
            return changed.suffix.lower() in DATASET_SUFFIXES
        return changed.name == self._path.name

    def start(self) -> None:
        """Follow the dataset's files in a background thread (nothing to do for a fixed graph)."""
        if self._path is None or self._thread is not None:
            return
        folder = self._path if self._path.is_dir() else self._path.parent

        def follow() -> None:
            for _ in watchfiles.watch(
                folder,
                watch_filter=self._changes_matter,
                stop_event=self._stop,
                debounce=400,
                recursive=False,
                raise_interrupt=False,
            ):
                self.reload()

        self._thread = threading.Thread(target=follow, name="graphmodel-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop following the files."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
