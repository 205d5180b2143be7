"""Framework versions: a framework file imported once, under the SHA-256 of its text."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import transaction

from dti.assessments.audit import Action, record
from dti.assessments.models import (
    FrameworkGroup,
    FrameworkVersion,
)
from dti.documents.frameworks import parse_framework


def framework_text_of_file(path: Path) -> str:
    """A framework file's text: YAML as it is, an annex workbook (XLSX) turned into YAML after every check."""
    from dti.documents.annex import annex_to_yaml

    if path.suffix.lower() == ".xlsx":
        return annex_to_yaml(path)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        from dti.engine import FrameworkError

        raise FrameworkError(path.name, "", "tệp không phải văn bản UTF-8") from None


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def import_framework(text: str, source_name: str, by=None) -> tuple[FrameworkVersion, bool]:
    """The framework version for this file, and whether it is new. The same text twice is one version;
    a changed file under a known code becomes the next version (a version in use never changes)."""
    framework = parse_framework(text, source_name)  # refuses a bad file before anything is written
    digest = sha256_text(text)
    existing = FrameworkVersion.objects.filter(code=framework.code).order_by("-version")
    same = existing.filter(sha256=digest).first()
    if same:
        return same, False
    latest = existing.first()
    version = FrameworkVersion.objects.create(
        code=framework.code, version=(latest.version + 1) if latest else 1, name=framework.name,
        source=framework.source, year=framework.year, text=text, sha256=digest, imported_by=by)
    for position, group in enumerate(framework.groups):
        FrameworkGroup.objects.create(framework=version, code=group.code, name=group.name, position=position)
    record(Action.FRAMEWORK_IMPORTED, by=by, new={"framework": f"{version.code} v{version.version}",
                                                   "sha256": digest, "file": source_name})
    return version, True
