"""Child processes that die with their parent: an import's workers, and the worker processes a bulk
index writer (Whoosh's ``procs=2``) forks while ``reindex`` rebuilds a large index.

A child killed with its parent (even by kill -9) keeps no lock and writes no file nothing will ever
reference. Imports nothing of the archive: the import's worker processes, which must not load the
index or Whoosh, use it as well as the index.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["children_die_with_me", "die_with_parent"]


def die_with_parent() -> None:
    """Exit when the parent dies, even by kill -9: no orphan keeps working on a dead job. Call in
    the child process."""
    parent = os.getppid()
    try:  # Linux: the kernel kills us with the parent
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:  # elsewhere (and as a backstop): poll
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


_forking = {"on": 0, "hooked": False}


def _after_fork_in_child() -> None:
    if _forking["on"]:
        _forking["on"] = 0  # the child's own children are its business
        die_with_parent()


@contextmanager
def children_die_with_me() -> Iterator[None]:
    """Every process this one forks inside the block (with ``multiprocessing``'s fork start method:
    Whoosh's ``MpWriter`` starts its own) dies when this one dies. Children started by another
    start method are not covered; ``multiprocessing`` joins those it can."""
    if not _forking["hooked"] and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_after_fork_in_child)
        _forking["hooked"] = True
    _forking["on"] += 1
    try:
        yield
    finally:
        _forking["on"] -= 1
