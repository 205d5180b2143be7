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

Computing a national period again takes seconds, and during the deadline burst a write comes every few
hundred milliseconds. So where computing a value last took longer than ``settings.DTI_SLOW_SECONDS``, a page (a
GET request, ``serving_a_page``) is answered from the most recent value, if it was computed at most
``settings.DTI_SERVE_RECENT_SECONDS`` ago, while the worker computes the current one (``refresh_kept``, asked
for once however many readers come); the page says when its figures were computed (``figures_as_of``). A
province's period computes in milliseconds and its pages stay current. In a large period (``is_large``) a page
that finds nothing computed at all does not compute it either: the worker does, and the page says so
(``StillComputing``). Actions, files, the command line and the worker always compute from the current figures.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from dti.assessments.models import Period, PublishedSnapshot, WriteVersion
from dti.engine import DtiError

T = TypeVar("T")

KEPT_IN_PROCESS = 12  # values; a national period's results are tens of megabytes in memory
SHARED_SECONDS = 7 * 24 * 3600  # an open period's values; a version is superseded at its next write anyway
REFRESH_ASKED_SECONDS = 120  # one refresh asked for per value in that time, however many readers come
_local: OrderedDict[str, object] = OrderedDict()
_lock = threading.Lock()
_served_recent: ContextVar[list[datetime] | None] = ContextVar("dti_served_recent", default=None)
log = logging.getLogger(__name__)


def published_key(period: Period) -> str | None:
    """The SHA-256 of a published period's snapshot: what never changes may be kept under it. None otherwise."""
    if period.state != Period.State.PUBLISHED:
        return None
    return PublishedSnapshot.objects.filter(period=period).values_list("sha256", flat=True).first()


def is_large(period: Period) -> bool:
    """A period of more than ``settings.DTI_LARGE_PERIOD_UNITS`` units (a national one): what takes seconds or
    minutes to compute or write for it is done by the worker, never inside a request."""
    return period.participations.count() > settings.DTI_LARGE_PERIOD_UNITS


class StillComputing(Exception):
    """A page of a large period asked for figures never computed yet (a new period, a cache emptied): the worker
    is computing them; the page says so and comes back by itself (``ServingPagesMiddleware``)."""

    def __init__(self, period: Period):
        self.period = period
        super().__init__(f"the figures of period {period.pk} are being computed")


def period_version(period: Period) -> str:
    """What a value computed from ``period`` now is kept under: its snapshot's hash once published, else the
    write versions of the period and of the shared scope (one query)."""
    sha = published_key(period)
    if sha:
        return f"published:{sha}"
    own = WriteVersion.scope_of(period)
    found = {scope: f"{token}.{number}" for scope, token, number in WriteVersion.objects.filter(
        scope__in=(own, WriteVersion.SHARED)).values_list("scope", "token", "number")}
    return f"open:{period.pk}:{found.get(own, '-')}:{found.get(WriteVersion.SHARED, '-')}"


def kept(kind: str, period: Period, make: Callable[..., T], *details: object, version: str | None = None,
         recent: bool = False) -> T:
    """The value ``make(period, *details)`` computes — ``kind`` and ``details`` say which — computed at most once
    per version of the period's figures. ``version``: one already read for this request, or a version of the
    caller's own (then ``make`` may be any callable). ``recent``: a page may be answered from the most recent
    value while the current one is computed in the background (``make`` must then be a module's function, which
    the worker imports, and ``details`` plain JSON values)."""
    version = version or period_version(period)
    key = _key(kind, version, details)
    value = _in_process(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            if recent and not version.startswith("published:"):
                found = _recent(kind, period, details)
                if found is not None:
                    _ask_for_refresh(kind, _maker_name(make), period, details)
                    return _raise_or_return(found)
                if _serving() and is_large(period):
                    # Nothing to show yet, and computing it here would hold the page for seconds: the worker
                    # computes it, unless no worker is taking work (then a slow page beats no page).
                    if _ask_for_refresh(kind, _maker_name(make), period, details) and not worker_is_late():
                        raise StillComputing(period)
            value, is_kept = _compute(kind, period, make, details, key, version, recent)
            if not is_kept:
                return _raise_or_return(value)
        _keep_in_process(key, value)
    return _raise_or_return(value)


def _key(kind: str, version: str, details: tuple) -> str:
    return "dti:kept:" + hashlib.sha256(repr((kind, version, tuple(details))).encode()).hexdigest()


def _latest_key(kind: str, period: Period, details: tuple) -> str:
    """Where the key and time of the most recent value of ``kind`` for ``period`` are kept, whatever its version."""
    return "dti:kept-latest:" + hashlib.sha256(repr((kind, period.pk, tuple(details))).encode()).hexdigest()


def _in_process(key: str):
    with _lock:
        value = _local.get(key)
        if value is not None:
            _local.move_to_end(key)
        return value


def _keep_in_process(key: str, value) -> None:
    with _lock:
        _local[key] = value
        while len(_local) > KEPT_IN_PROCESS:
            _local.popitem(last=False)


def _compute(kind: str, period: Period, make: Callable, details: tuple, key: str, version: str,
             recent: bool = False) -> tuple[object, bool]:
    """The value computed now, and whether it was kept."""
    serving = _served_recent.set(None)  # what it reads must be current, or it would be kept under a false version
    started = timezone.now()
    try:
        value = make(period, *details)
    except DtiError as exc:  # figures that cannot be scored yet stay so until the next write
        value = _Failed(exc)
    finally:
        _served_recent.reset(serving)
    if _inside_a_write():  # what it read may yet be rolled back: keep nothing of it
        return value, False
    published = version.startswith("published:")
    cache.set(key, value, None if published else SHARED_SECONDS)
    if not published:
        now = timezone.now()
        seconds_taken = (now - started).total_seconds()
        cache.set(_latest_key(kind, period, details), (key, now, seconds_taken), SHARED_SECONDS)
        if seconds_taken > settings.DTI_SLOW_SECONDS:
            cache.set(_slow_key(period), True, SHARED_SECONDS)
        if recent:
            _remember_for_writes(kind, period, make, details)
    return value, True


def _slow_key(period: Period) -> str:
    """Set once something of ``period`` took long to compute: a value that was quick only because what it reads
    was kept (the queue's second-review flags read the kept results) is slow once that changes too."""
    return f"dti:kept-slow:{period.pk}"


def _serving() -> bool:
    """A page is being served, outside any write, and not on behalf of a value being computed."""
    return _served_recent.get() is not None and settings.DTI_SERVE_RECENT_SECONDS > 0 and not _inside_a_write()


def _recent(kind: str, period: Period, details: tuple):
    """The most recent value of ``kind`` for ``period`` under any version, when a page is being served, it was
    computed recently enough and computing it is slow; None otherwise. Notes its time for the page."""
    if not _serving():
        return None
    served, limit = _served_recent.get(), settings.DTI_SERVE_RECENT_SECONDS
    latest = cache.get(_latest_key(kind, period, details))
    if latest is None:
        return None
    key, computed_at, seconds_taken = latest
    if (timezone.now() - computed_at).total_seconds() > limit:
        return None
    if seconds_taken <= settings.DTI_SLOW_SECONDS and not cache.get(_slow_key(period)):
        return None
    value = _in_process(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            return None
        _keep_in_process(key, value)
    served.append(computed_at)
    return value


def _maker_name(make: Callable) -> str:
    """The dotted name by which the worker imports ``make``."""
    return f"{make.__module__}.{make.__qualname__}"


def _refresh_key(kind: str, period: Period, details: tuple) -> str:
    """Set while the worker has been asked for ``kind`` of ``period`` and has not computed it yet."""
    return "dti:kept-refresh:" + _latest_key(kind, period, details)


def _ask_for_refresh(kind: str, maker: str, period: Period, details: tuple) -> bool:
    """Ask the worker to compute the current value, once per ``REFRESH_ASKED_SECONDS`` however many pages or
    writes ask; whether it is asked (now or before). Nothing fails when the asking fails: the page has figures to
    show or computes them itself, the write is done."""
    asked = _refresh_key(kind, period, details)
    if not cache.add(asked, True, REFRESH_ASKED_SECONDS):
        return True
    try:
        refresh_kept.enqueue(kind, maker, period.pk, list(details))
    except Exception:  # a page that has figures to show, or a committed write, is not failed by the queue
        cache.delete(asked)
        log.exception("could not ask for %s of period %s to be computed again", kind, period.pk)
        return False
    return True


def _kinds_key(period: Period) -> str:
    return f"dti:kept-kinds:{period.pk}"


def _remember_for_writes(kind: str, period: Period, make: Callable, details: tuple) -> None:
    """Note a value a page of ``period`` may show recent, so that a write has it computed again at once."""
    entry = (kind, _maker_name(make), tuple(details))
    known = cache.get(_kinds_key(period)) or set()
    if entry not in known:
        cache.set(_kinds_key(period), known | {entry}, SHARED_SECONDS)


_after_write_asked: dict[int, float] = {}


def after_write(period: Period) -> None:
    """A write to ``period`` committed: where the period is slow to compute, ask the worker at once for the
    values its pages may show recent, so that the next reader — even after a quiet hour — finds them current.
    A period that computes quickly is left to its readers (one read of the cache per write)."""
    now = time.monotonic()
    if now - _after_write_asked.get(period.pk, -1.0) < 1:  # an action recording many entries asks once
        return
    _after_write_asked[period.pk] = now
    try:
        if settings.DTI_SERVE_RECENT_SECONDS <= 0 or not cache.get(_slow_key(period)):
            return
        for kind, maker, details in cache.get(_kinds_key(period)) or ():
            _ask_for_refresh(kind, maker, period, details)
    except Exception:  # the write is committed; this only saves its next reader the wait
        log.exception("could not ask for the values of period %s to be computed again", period.pk)


@task()
def refresh_kept(kind: str, maker: str, period_id: int, details: list) -> str:
    """The worker's part: compute ``kind`` for the current version of period ``period_id``'s figures and keep
    it. ``maker``: the dotted name of the function computing it, given ``details``."""
    if not maker.startswith("dti."):
        raise ValueError(f"not a function of this application: {maker}")
    period = Period.objects.select_related("framework").get(pk=period_id)
    details = tuple(details)
    try:
        kept(kind, period, import_string(maker), *details)
    except DtiError:
        pass  # kept as the period's error: its pages say it
    finally:
        cache.delete(_refresh_key(kind, period, details))
    return "kept"


@contextmanager
def serving_a_page() -> Iterator[None]:
    """While a page is served: values kept with ``recent`` may come from the most recent computation."""
    token = _served_recent.set([])
    try:
        yield
    finally:
        _served_recent.reset(token)


def figures_as_of() -> datetime | None:
    """When the oldest of the recent values this page was served from was computed; None when every value was
    current."""
    served = _served_recent.get()
    return min(served) if served else None


WORKER_LATE_SECONDS = 60


def worker_is_late() -> bool:
    """Whether a refresh asked of the worker has waited more than ``WORKER_LATE_SECONDS`` without being taken:
    no worker is running, and a page showing recent figures must not promise they are being computed."""
    from datetime import timedelta

    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=refresh_kept.module_path, status=TaskResultStatus.READY,
        enqueued_at__lt=timezone.now() - timedelta(seconds=WORKER_LATE_SECONDS)).exists()


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
    _after_write_asked.clear()
