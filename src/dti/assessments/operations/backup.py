"""Backup and restore: the whole database (any backend) and the evidence files, in one zip file.

The database goes through Django's serializers with natural keys, so a backup taken on SQLite restores on
PostgreSQL and back. A manifest records the version and the SHA-256 of every member; restore checks them.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

from django.conf import settings
from django.core import management, serializers
from django.db import connection, transaction

from dti import __version__

EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]
# Models that moved between apps since a backup may have been written: their rows restore under the new label.
MOVED_MODELS = {"accounts.reviewerassignment": "assessments.reviewerassignment"}
# Values no longer stored since a backup may have been written: (model, field) → old value → the value stored now.
# A declaration's "reviewed" is now read from its entries; stored, it was a submitted declaration.
RETIRED_VALUES = {("assessments.declaration", "state"): {"reviewed": "submitted"}}
# Fields added since a backup may have been written, filled from another field of the row: (model, field) → source.
# A question asked before questions were sent in rounds was sent when it was asked.
ADDED_FIELDS = {("assessments.clarification", "sent_at"): "asked_at"}
DATA_MEMBER = "database.json"
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


EXACT_JSON = "exact-json"  # Django's JSON, with timestamps to the microsecond (exact_json.py)


def database_json() -> str:
    serializers.register_serializer(EXACT_JSON, "dti.assessments.operations.exact_json")
    out = io.StringIO()
    management.call_command("dumpdata", format=EXACT_JSON, natural_foreign=True, natural_primary=True,
                            exclude=EXCLUDED, indent=1, stdout=out, verbosity=0)
    return out.getvalue()


def write_backup(path: Path) -> dict:
    data = database_json().encode("utf-8")
    members = {DATA_MEMBER: data}
    evidence = Path(settings.MEDIA_ROOT)
    if evidence.exists():
        for file in sorted(p for p in evidence.rglob("*") if p.is_file()):
            members[f"evidence/{file.relative_to(evidence).as_posix()}"] = file.read_bytes()
    manifest = {"format": 1, "dti_version": __version__,
                "members": {name: hashlib.sha256(body).hexdigest() for name, body in members.items()}}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
        for name, body in members.items():
            archive.writestr(name, body)
    return manifest


def read_backup(path: Path) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(f"{path}: không phải bản sao lưu hợp lệ ({exc})") from None
    with archive:
        try:
            manifest = json.loads(archive.read(MANIFEST))
        except (KeyError, ValueError):
            raise BackupError(f"{path}: thiếu hoặc hỏng tệp {MANIFEST}") from None
        members = {}
        for name, digest in manifest["members"].items():
            if name.startswith("/") or ".." in Path(name).parts:
                raise BackupError(f"{path}: đường dẫn không an toàn trong bản sao lưu: {name}")
            body = archive.read(name)
            if hashlib.sha256(body).hexdigest() != digest:
                raise BackupError(f"{path}: {name} không khớp mã băm trong {MANIFEST}; bản sao lưu bị hỏng")
            members[name] = body
    return members


def brought_up_to_date(data: bytes) -> bytes:
    """The backup's rows with the labels of models that have moved since (MOVED_MODELS), the values retired
    since (RETIRED_VALUES) and the fields added since (ADDED_FIELDS) brought up to date."""
    rows = json.loads(data)
    changed = False
    for row in rows:
        model = MOVED_MODELS.get(row.get("model"), row.get("model"))
        changed |= model != row.get("model")
        row["model"] = model
        for (retired_model, field), values in RETIRED_VALUES.items():
            value = row.get("fields", {}).get(field)
            if model == retired_model and value in values:
                row["fields"][field] = values[value]
                changed = True
        for (added_model, field), source in ADDED_FIELDS.items():
            fields = row.get("fields", {})
            if model == added_model and field not in fields and source in fields:
                fields[field] = fields[source]
                changed = True
    if not changed:
        return data
    return json.dumps(rows, ensure_ascii=False, indent=1).encode("utf-8")


@transaction.atomic
def restore_backup(path: Path) -> None:
    """Replace the database's content and the evidence files with the backup's. Nothing changes if the
    backup is damaged: every member is checked before anything is written."""
    members = read_backup(path)
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        # TRUNCATE refuses tables with deferred foreign-key checks pending from earlier writes in this
        # transaction: run those checks now, then defer again so loaddata may insert in any order.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    management.call_command("flush", interactive=False, verbosity=0)
    if postgresql:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    fixture = Path(settings.DATA_DIR) / ".restore.json"
    fixture.parent.mkdir(parents=True, exist_ok=True)
    fixture.write_bytes(brought_up_to_date(members[DATA_MEMBER]))
    try:
        management.call_command("loaddata", str(fixture), verbosity=0)
    finally:
        fixture.unlink()
    evidence = Path(settings.MEDIA_ROOT)
    for name, body in members.items():
        if name.startswith("evidence/"):
            target = evidence / name.removeprefix("evidence/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
