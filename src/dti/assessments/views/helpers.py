"""What several screens share: an upload on disk for the readers that take a path, a form's errors as text."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def saved_upload(upload) -> Iterator[Path]:
    """An uploaded file on disk under its own name, for the readers that take a path; removed afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.read())
        yield path


def errors_text(form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)
