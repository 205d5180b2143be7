"""What several screens share: an upload on disk for the readers that take a path, a form's errors as text, and
one page of a long list."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.paginator import Page, Paginator

PAGE_SIZE = 50  # rows per page of every long list: a province's or the nation's units never come in one page


@contextmanager
def saved_upload(upload) -> Iterator[Path]:
    """An uploaded file on disk under its own name, for the readers that take a path; removed afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.read())
        yield path


def errors_text(form, labelled: bool = False) -> str:
    """The form's errors in one message; ``labelled``: each after its field's label."""
    return " ".join(f"{form.fields[name].label}: {error}" if labelled and name in form.fields else error
                    for name, errors in form.errors.items() for error in errors)


def one_page(request, rows, size: int | None = None) -> tuple[Page, str]:
    """The page of ``rows`` the address asks for (?trang=N; the last one past the end), ``size`` rows a page
    (``PAGE_SIZE`` unless said), and the address's other parameters — filters and sort — for the links to the
    other pages (``includes/pages.html``)."""
    page = Paginator(rows, size or PAGE_SIZE).get_page(request.GET.get("trang"))
    kept = request.GET.copy()
    kept.pop("trang", None)
    return page, kept.urlencode()
