"""What the pages compute from a period's figures — its results, provisional tables, analyses — computed once
per change, not per request, and kept where every app server finds it.

Every write records an audit entry, and ``audit.record`` moves the write version of the period it belongs to
(or the shared one: units, accounts, frameworks) in the same transaction. A value is kept under the versions
read *before* it is computed, so a write that commits meanwhile can only make a kept value newer than its key,
never older; the next reader sees the new version and computes again. A published period never changes: its
values are kept under its snapshot's SHA-256.

Two levels: the last few values in this process (a page does not unpickle megabytes on every request) and
Django's cache, which the settings make shared (the database or Redis), so a second worker or machine reads
what the first computed instead of computing it again.
"""

from __future__ import annotations

import copy
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection

from dti.assessments.models import Period, PublishedSnapshot, WriteVersion
from dti.engine import DtiError

T = TypeVar("T")

KEPT_IN_PROCESS = 12  # values; a national period's results are tens of megabytes in memory
SHARED_SECONDS = 7 * 24 * 3600  # an open period's values; a version is superseded at its next write anyway
_local: OrderedDict[str, object] = OrderedDict()
_lock = threading.Lock()


def period_version(period: Period) -> str:
    """What a value computed from ``period`` now is kept under: its snapshot's hash once published, else the
    write versions of the period and of the shared scope (one query)."""
    if period.state == Period.State.PUBLISHED:
        sha = PublishedSnapshot.objects.filter(period=period).values_list("sha256", flat=True).first()
        if sha:
            return f"published:{sha}"
    own = WriteVersion.scope_of(period)
    found = {scope: f"{token}.{number}" for scope, token, number in WriteVersion.objects.filter(
        scope__in=(own, WriteVersion.SHARED)).values_list("scope", "token", "number")}
    return f"open:{period.pk}:{found.get(own, '-')}:{found.get(WriteVersion.SHARED, '-')}"


def kept(kind: str, period: Period, make: Callable[[], T], *details: object, version: str | None = None) -> T:
    """The value ``make()`` computes from ``period`` — ``kind`` and ``details`` say which — computed at most once
    per version of the period's figures. ``version``: one already read for this request."""
    version = version or period_version(period)
    key = "dti:kept:" + hashlib.sha256(repr((kind, version, details)).encode()).hexdigest()
    with _lock:
        value = _local.get(key)
        if value is not None:
            _local.move_to_end(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            try:
                value = make()
            except DtiError as exc:  # figures that cannot be scored yet stay so until the next write
                value = _Failed(exc)
            if _inside_a_write():
                return _raise_or_return(value)  # what it read may yet be rolled back: keep nothing of it
            cache.set(key, value, None if version.startswith("published:") else SHARED_SECONDS)
        with _lock:
            _local[key] = value
            while len(_local) > KEPT_IN_PROCESS:
                _local.popitem(last=False)
    return _raise_or_return(value)


def _raise_or_return(value):
    if isinstance(value, _Failed):
        raise copy.copy(value.error) from None  # a fresh one: no traceback grows on the kept error
    return value


def _inside_a_write() -> bool:
    """Inside an action's transaction, whose writes (and its move of the version) may still be rolled back.
    The transaction a test runs in is not one (Django marks it)."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


class _Failed:
    """What was kept when the figures could not be scored: the engine's error, raised to every reader."""

    def __init__(self, error: DtiError):
        self.error = error


def forget_in_process() -> None:
    """Drop this process's copies (tests that change the shared cache behind it)."""
    with _lock:
        _local.clear()
