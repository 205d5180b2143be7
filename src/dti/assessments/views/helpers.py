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


def errors_text(form, labelled: bool = False) -> str:
    """The form's errors in one message; ``labelled``: each after its field's label."""
    return " ".join(f"{form.fields[name].label}: {error}" if labelled and name in form.fields else error
                    for name, errors in form.errors.items() for error in errors)
