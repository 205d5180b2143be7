"""dti import-framework, import-results, export-results, backup, restore and verify."""

import copy
import csv
import io
import zipfile
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from dti.assessments.models import AuditEntry, FrameworkVersion, Period
from dti.assessments.operations.backup import database_json

from ..conftest import BACNINH_DATA, BACNINH_FRAMEWORK


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def imported(db):
    run("import_framework", str(BACNINH_FRAMEWORK))
    framework = FrameworkVersion.objects.get()
    return Period.objects.create(year=2023, name="Kỳ 2023", framework=framework)


def test_import_framework_twice_keeps_one_version(db):
    assert "phiên bản 1 (đã nhập)" in run("import_framework", str(BACNINH_FRAMEWORK))
    assert "phiên bản 1 (đã có sẵn)" in run("import_framework", str(BACNINH_FRAMEWORK))


def test_import_framework_refuses_a_bad_file_naming_the_place(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BACNINH_FRAMEWORK.read_text(encoding="utf-8").replace("kind: ratio", "kind: ratioo", 1),
                   encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad.yaml, groups\[1\] huyen › pillars\[0\] NTS › indicators\[1\] 1.2"):
        run("import_framework", str(bad))
    assert not FrameworkVersion.objects.exists()


def test_import_then_export_results_by_year(imported):
    assert "so-nganh: 17 đơn vị" in run("import_results", "--period", "2023", str(BACNINH_DATA))
    rows = list(csv.DictReader(io.StringIO(capture_stdout("export_results", "--period", "2023"))))
    assert len(rows) == 27
    assert next(r for r in rows if r["unit"] == "Sở Tài chính")["declared.total"] == "880.32"


def capture_stdout(*args) -> str:
    import contextlib

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        call_command(*args)
    return out.getvalue()


def test_an_unknown_period_lists_the_known_ones(imported):
    with pytest.raises(CommandError, match="Kỳ 2023"):
        run("export_results", "--period", "1999")


def test_backup_and_restore_give_back_identical_data(imported, tmp_path, settings):
    run("import_results", "--period", str(imported.pk), str(BACNINH_DATA))
    settings.MEDIA_ROOT = tmp_path / "evidence"
    (tmp_path / "evidence" / "2023").mkdir(parents=True)
    (tmp_path / "evidence" / "2023" / "bien-ban.pdf").write_bytes(b"%PDF-1.4 minh chung")
    # Timestamps below the millisecond, which Django's own JSON encoder would cut.
    AuditEntry.objects.update(at=datetime(2023, 12, 26, 8, 30, 16, 123, tzinfo=UTC))
    before = database_json()
    assert "08:30:16.000123Z" in before
    run("backup", str(tmp_path / "sao-luu.zip"))

    AuditEntry.objects.all().delete()  # the data lost, its log with it
    Period.objects.all().delete()
    (tmp_path / "evidence" / "2023" / "bien-ban.pdf").unlink()
    run("restore", "--yes", str(tmp_path / "sao-luu.zip"))

    assert database_json() == before
    assert (tmp_path / "evidence" / "2023" / "bien-ban.pdf").read_bytes() == b"%PDF-1.4 minh chung"


def test_a_damaged_backup_changes_nothing(imported, tmp_path):
    run("backup", str(tmp_path / "b.zip"))
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members["database.json"] = members["database.json"].replace(b"2023", b"2024")
    with zipfile.ZipFile(tmp_path / "damaged.zip", "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    before = database_json()
    with pytest.raises(CommandError, match="bị hỏng"):
        run("restore", "--yes", str(tmp_path / "damaged.zip"))
    assert database_json() == before


@pytest.fixture
def published_2023(db):
    from dti.assessments.operations.demo import load_demo

    load_demo()
    return Period.objects.get(state=Period.State.PUBLISHED)


def test_verify_recomputes_a_published_snapshot_and_checks_its_hash(published_2023):
    snapshot = published_2023.snapshot
    out = run("verify", snapshot.sha256[:12])
    assert out.count("[đạt]") == 3 and "qua mọi kiểm tra" in out
    assert "qua mọi kiểm tra" in run("verify", str(published_2023.year))


def test_verify_catches_a_changed_result_a_changed_hash_and_a_changed_database(published_2023):
    from dti.assessments.models import PillarResult, PublishedSnapshot

    snapshot = published_2023.snapshot
    results = copy.deepcopy(snapshot.results)
    results[0]["units"][8]["reviewed"]["total"] = "754.82"  # Sở Khoa học và Công nghệ, 20 points more
    PublishedSnapshot.objects.filter(pk=snapshot.pk).update(results=results)
    with pytest.raises(CommandError):
        run("verify", snapshot.sha256[:12])
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify", snapshot.sha256[:12], stdout=out)
    text = out.getvalue()
    assert text.count("KHÔNG ĐẠT") == 2  # the hash and the recomputation; the database is unchanged
    assert "Sở Khoa học và Công nghệ" in text

    PublishedSnapshot.objects.filter(pk=snapshot.pk).update(results=snapshot.results)
    row = PillarResult.objects.get(participation__period=published_2023, participation__unit__name="Sở Y tế",
                                   pillar_code="NTS", stage="reviewed")
    PillarResult.objects.filter(pk=row.pk).update(points=row.points - 10)  # behind the application's back
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify", snapshot.sha256[:12], stdout=out)
    assert out.getvalue().count("KHÔNG ĐẠT") == 1
    assert "[KHÔNG ĐẠT] số liệu trong cơ sở dữ liệu" in out.getvalue() and "Sở Y tế" in out.getvalue()


def test_a_backup_written_before_the_current_layout_restores_in_it(imported, tmp_path):
    """Backups name each row's model; reviewer assignments were ``accounts.reviewerassignment`` before they
    moved to the period's app, a declaration's "reviewed" was stored before it was read from the entries, and a
    question was sent as it was asked before questions went in rounds. Such a backup still restores, in today's
    terms."""
    import hashlib
    import json

    from dti.accounts.models import Role
    from dti.accounts.services import create_account
    from dti.assessments.actions.periods import assign_reviewer
    from dti.assessments.models import Declaration, ReviewerAssignment

    reviewer = create_account(username="binh", password=None, role=Role.REVIEWER)
    assign_reviewer(imported, reviewer, imported.framework.groups.get(code="huyen"))
    from dti.assessments.models import Participation, Unit

    participation = Participation.objects.create(period=imported, unit=Unit.objects.create(name="Xã An Bình"),
                                                 group=imported.framework.groups.get(code="huyen"))
    declaration = Declaration.objects.create(participation=participation, state=Declaration.State.SUBMITTED)
    from dti.assessments.models import Clarification

    question = Clarification.objects.create(participation=participation, indicator_code="1.1", question="Vì sao?")
    run("backup", str(tmp_path / "b.zip"))
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    rows = json.loads(members["database.json"])
    assert [r["model"] for r in rows].count("assessments.reviewerassignment") == 1
    for row in rows:
        if row["model"] == "assessments.reviewerassignment":
            row["model"] = "accounts.reviewerassignment"
        if row["model"] == "assessments.declaration":
            row["fields"]["state"] = "reviewed"
        if row["model"] == "assessments.clarification":
            for field in ("sent_at", "answer", "answered_by"):
                del row["fields"][field]
    members["database.json"] = json.dumps(rows).encode()
    manifest = json.loads(members["manifest.json"])
    manifest["members"]["database.json"] = hashlib.sha256(members["database.json"]).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(tmp_path / "old.zip", "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    ReviewerAssignment.objects.all().delete()
    run("restore", "--yes", str(tmp_path / "old.zip"))
    assert ReviewerAssignment.objects.get().reviewer.username == "binh"
    assert Declaration.objects.get(pk=declaration.pk).state == Declaration.State.SUBMITTED
    restored = Clarification.objects.get(pk=question.pk)
    assert restored.sent_at == restored.asked_at and list(Clarification.objects.open()) == [restored]
