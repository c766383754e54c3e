"""Refreshing what derives from a case once per write, however many of its records the write saved.

One save of the case page with five proceeding rows calls the actions five times; each marks its case changed
and, for proceedings, its deadlines to recompute. Inside `refresh_once()` those marks only collect
the case ids, and the outermost block recomputes each case's deadlines and refreshes its derived data once, at
its end, still inside its transaction (so a refused recomputation rolls the whole write back). Outside any block,
every call refreshes at once, so a lone action or a shell session needs no block.
"""

import threading
from contextlib import contextmanager

from django.db import transaction

from .events import case_changed

_local = threading.local()


class _Batch:
    def __init__(self):
        self.changed = {}  # case id -> None, in the order first touched
        self.deadlines = {}  # case id -> actor recomputing its deadlines (None: the system)


def _batch():
    return getattr(_local, "batch", None)


@contextmanager
def refresh_once():
    """Run the block in a transaction and refresh each case it touches once, at its end; nested blocks join."""
    if _batch() is not None:
        with transaction.atomic():
            yield
        return
    batch = _local.batch = _Batch()
    try:
        with transaction.atomic():
            yield
            _finish(batch)
    finally:
        _local.batch = None


def mark_changed(case_id):
    """Refresh what derives from the case: at the end of the current `refresh_once()` block, or now."""
    batch = _batch()
    if batch is None:
        case_changed(case_id)
    else:
        batch.changed[case_id] = None


def mark_deadlines_changed(case_id, *, actor):
    """Recompute the case's generated deadlines as actor: at the end of the current block, or now."""
    batch = _batch()
    if batch is None:
        _recompute(case_id, actor)
    elif batch.deadlines.get(case_id) is None:
        # A user's rights win over the system's: the system only stands in for other teams' cases.
        batch.deadlines[case_id] = actor


def _recompute(case_id, actor):
    from ..deadlines.generate import sync_case_deadlines
    from ..models import Case

    case = Case.objects.filter(pk=case_id).first()
    if case is not None:  # deleted in the same write
        sync_case_deadlines(case, actor=actor)


def _finish(batch):
    # Recomputed deadlines change their case in turn: collect those changes too, then refresh each case once.
    done = set()
    while pending := [case_id for case_id in batch.deadlines if case_id not in done]:
        for case_id in pending:
            done.add(case_id)
            _recompute(case_id, batch.deadlines[case_id])
    _local.batch = None
    for case_id in batch.changed:
        case_changed(case_id)
