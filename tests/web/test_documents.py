"""The decision, its appendices, open data and unit reports as the secretariat, a unit and the public get them."""

import json
from io import BytesIO, StringIO

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pdfminer.high_level import extract_text

from dti.assessments.actions.periods import add_participants, create_period
from dti.assessments.models import Participation, Period, Unit
from dti.assessments.operations.demo import load_demo

from ..published import published_tables


@pytest.fixture
def demo(db):
    load_demo()


def docx_text(content: bytes) -> str:
    document = Document(BytesIO(content))
    return "\n".join([*(p.text for p in document.paragraphs),
                      *(c.text for t in document.tables for r in t.rows for c in r.cells)])


def decision_form(**changes) -> dict:
    form = {"issuer_parent": "ỦY BAN NHÂN DÂN", "issuer": "TỈNH BẮC NINH", "number": "", "place": "Bắc Ninh",
            "signed_on": "", "title": "Về việc phê duyệt kết quả đánh giá chỉ số chuyển đổi số năm 2023",
            "authority": "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH",
            "legal_bases": "Căn cứ Luật Công nghệ thông tin ngày 29/6/2006;\nCăn cứ Quyết định số 1187/QĐ-UBND;",
            "articles": "Phê duyệt kết quả.\n(Chi tiết tại phụ lục kèm theo)\n\nGiao Sở TT&TT công bố.\n\n"
                        "Quyết định này có hiệu lực kể từ ngày ký.",
            "recipients": "Như Điều 3;\nLưu: VT.", "signing_capacity": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
            "signer": "Nguyễn Văn A", "issued_by": "Chủ tịch UBND tỉnh",
            "appendix_title_so-nganh": "KẾT QUẢ CỦA CÁC SỞ", "appendix_title_huyen": ""}
    form.update(changes)
    return form


def test_the_secretariat_writes_the_decision_settings_and_gets_them_in_the_docx(as_user, period):
    client = as_user("an")
    url = reverse("assessments:period_decision", args=[period.pk])
    assert "bản dự thảo" in client.get(url).content.decode()  # nothing saved yet: a draft from the framework
    response = client.post(url, decision_form(number="15/QĐ-UBND", signed_on="2023-12-26"))
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.decision_settings["articles"] == [["Phê duyệt kết quả.", "(Chi tiết tại phụ lục kèm theo)"],
                                                    ["Giao Sở TT&TT công bố."],
                                                    ["Quyết định này có hiệu lực kể từ ngày ký."]]
    response = client.get(reverse("assessments:period_download", args=[period.pk, "quyet-dinh.docx"]))
    assert response["Content-Disposition"].startswith("attachment;")
    text = docx_text(response.content)
    assert "Số: 15/QĐ-UBND" in text and "Nguyễn Văn A" in text and "Điều 2. Giao Sở TT&TT công bố." in text
    assert "KẾT QUẢ CỦA CÁC SỞ" in text
    assert text.startswith("DỰ THẢO")  # the period is not finalized yet


def test_a_leader_reads_the_settings_but_cannot_change_them_and_others_cannot_see_them(as_user, period):
    url = reverse("assessments:period_decision", args=[period.pk])
    assert as_user("lan").get(url).status_code == 200
    assert as_user("lan").post(url, decision_form()).status_code == 403
    for name in ("binh", "chi"):
        assert as_user(name).get(url).status_code == 403
        assert as_user(name).get(reverse("assessments:period_download", args=[period.pk, "quyet-dinh.pdf"])
                                 ).status_code == 403


def test_a_unit_gets_its_own_report_and_not_another_units(as_user, period, people):
    own = Participation.objects.get(period=period, unit__name="UBND TP. Bắc Ninh")
    other = Participation.objects.get(period=period, unit__name="Sở Y tế")
    client = as_user("chi")
    response = client.get(reverse("assessments:unit_report", args=[own.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(extract_text(BytesIO(response.content)).split())
    assert "UBND TP. Bắc Ninh" in text and "xếp hạng trong khối" in text
    assert client.get(reverse("assessments:unit_report", args=[other.pk, "pdf"])).status_code == 403
    assert client.get(reverse("assessments:unit_report", args=[own.pk, "exe"])).status_code == 404


def test_documents_of_a_period_whose_inputs_are_incomplete_say_why(as_user, period, framework):
    later = create_period(year=2024, name="Kỳ 2024", framework=framework)
    add_participants(later, list(Unit.objects.filter(group_code="huyen").order_by("name")[:2]))
    response = as_user("an").get(reverse("assessments:period_download", args=[later.pk, "phu-luc.xlsx"]))
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="problem"' in html and "UBND" in html  # the engine names the unit whose input is missing


def test_the_public_downloads_the_published_decision_appendices_open_data_and_reports(client, demo):
    published = Period.objects.get(state=Period.State.PUBLISHED)
    html = client.get(reverse("portal:period", args=[published.pk])).content.decode()
    assert reverse("portal:download", args=[published.pk, "quyet-dinh.pdf"]) in html
    pdf = client.get(reverse("portal:download", args=[published.pk, "quyet-dinh.pdf"]))
    text = extract_text(BytesIO(pdf.content))
    assert "Số: 2405/QĐ-UBND" in text and "Vương Quốc Tuấn" in text and "DỰ THẢO" not in text
    workbook = load_workbook(BytesIO(client.get(reverse("portal:download", args=[published.pk, "phu-luc.xlsx"]))
                                     .content))
    first = published_tables()[0].rows[0]
    assert workbook.worksheets[0].cell(7, 2).value == first.unit
    document = json.loads(client.get(reverse("portal:download", args=[published.pk, "ket-qua.json"])).content)
    assert document["period"]["name"] == published.name and len(document["period"]["snapshot_sha256"]) == 64
    report = Participation.objects.get(period=published, unit__name="Sở Khoa học và Công nghệ")
    response = client.get(reverse("portal:unit_report", args=[published.pk, report.pk, "docx"]))
    assert "Để đạt loại Tốt, đơn vị cần thêm 13,01 điểm" in docx_text(response.content)
    declaring = Period.objects.get(state=Period.State.DECLARING)
    assert client.get(reverse("portal:download", args=[declaring.pk, "quyet-dinh.pdf"])).status_code == 404
    assert client.get(reverse("portal:download", args=[published.pk, "settings.py"])).status_code == 404


def test_a_registered_exporter_is_listed_on_the_portal_and_served_there(demo, client, monkeypatch):
    """A period's documents are the registered exporters: one more function is one more download."""
    from dti.assessments.queries.period_files import EXPORTERS, PeriodExporter

    def write(sources):
        return "".join(f"{u.name}\n" for g in sources.result.groups for u in g.units).encode()

    monkeypatch.setitem(EXPORTERS, "don-vi.txt", PeriodExporter("don-vi.txt", "Danh sách đơn vị", "text/plain", write))
    period = Period.objects.get(state=Period.State.PUBLISHED)
    page = client.get(reverse("portal:period", args=[period.pk])).content.decode()
    assert "Danh sách đơn vị" in page and reverse("portal:download", args=[period.pk, "don-vi.txt"]) in page
    response = client.get(reverse("portal:download", args=[period.pk, "don-vi.txt"]))
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"].endswith('-don-vi.txt"')
    assert "Sở Y tế\n" in b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    assert client.get(reverse("portal:download", args=[period.pk, "khong-co.txt"])).status_code == 404


def test_the_appendix_titles_name_the_year_assessed_not_the_framework_nor_the_signing(period):
    from dti.assessments.actions.imports import import_results
    from dti.assessments.actions.periods import save_decision_settings
    from dti.assessments.queries.period_files import Sources

    from ..conftest import BACNINH_DATA

    later = create_period(year=2025, name="Kỳ 2025", framework=period.framework)  # a 2023 framework, used again
    import_results(later, BACNINH_DATA)
    titles = [a.title for a in Sources(later).decision.appendices]
    assert titles and all(t.endswith(" NĂM 2025") for t in titles), titles
    save_decision_settings(later, {"number": "9/QĐ-UBND", "signed_on": "2026-01-15"})
    titles = [a.title for a in Sources(Period.objects.get(pk=later.pk)).decision.appendices]
    assert all(t.endswith(" NĂM 2025") for t in titles), titles


def test_the_open_data_package_validates_and_holds_the_figures_the_decision_published(client, demo, tmp_path):
    import csv
    import datetime
    import zipfile
    from decimal import Decimal

    from frictionless import validate

    from dti.assessments.models import PublishedSnapshot

    published = Period.objects.get(state=Period.State.PUBLISHED)
    # Published at 05:16 on 02/12 in Vietnam, which is still 01/12 in UTC.
    PublishedSnapshot.objects.filter(period=published).update(
        created_at=datetime.datetime(2023, 12, 1, 22, 16, tzinfo=datetime.UTC))
    html = client.get(reverse("portal:period", args=[published.pk])).content.decode()
    assert reverse("portal:download", args=[published.pk, "du-lieu-mo.zip"]) in html
    assert 'rel="license">Creative Commons Attribution 4.0 International</a>' in html
    assert "đã ký" not in html  # the files are written from the results, not the signed original
    archive = zipfile.ZipFile(BytesIO(client.get(reverse("portal:download", args=[published.pk, "du-lieu-mo.zip"]))
                                      .content))
    assert archive.namelist()[0] == "datapackage.json"
    archive.extractall(tmp_path)
    report = validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])

    package = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-4.0" and package["year"] == 2023
    assert package["created"] == "2023-12-02T05:16:00+07:00"
    assert "Quyết định số 2405/QĐ-UBND ngày 26/12/2023" in package["description"]
    exact = json.loads((tmp_path / "ket-qua.json").read_text("utf-8"))
    assert exact["period"]["published"] == "2023-12-02T05:16:00+07:00"

    def rows(name):
        return list(csv.DictReader(StringIO((tmp_path / name).read_text("utf-8-sig"))))

    units, averages = rows("ket-qua.csv"), rows("trung-binh.csv")
    assert "Điểm trung bình" not in {r["unit"] for r in units}
    codes = {p.unit.name: p for p in published.participations.select_related("unit")}
    for table, group in zip(published_tables(), ("so-nganh", "huyen"), strict=True):
        mine = [r for r in units if r["group"] == group]
        assert [r["unit"] for r in mine] == [row.unit for row in table.rows]  # rank order, as the decision
        columns = [c for c in mine[0] if c.startswith("declared.") and mine[0][c]]
        for row, printed in zip(mine, table.rows, strict=True):
            assert row["year"] == "2023" and row["unit_id"] == str(codes[row["unit"]].unit_id)
            assert row["official_code"] == codes[row["unit"]].unit.official_code
            declared = [Decimal(row[c]) for c in columns]
            reviewed = [Decimal(row[c.replace("declared.", "reviewed.")]) for c in columns]
            assert declared == [Decimal(v) for v in printed.declared]
            assert reviewed == [Decimal(v) for v in printed.reviewed]
            assert (int(row["rank"]), row["grade"]) == (printed.rank, printed.grade)
        average = next(r for r in averages if r["group"] == group)
        assert [Decimal(average[c]) for c in columns] == [Decimal(v) for v in table.average_declared]
        assert all(len(average[c].split(".")[1]) == 2 for c in columns)  # as published, not 58 decimals

    dictionary = rows("tu-dien-du-lieu.csv")
    for name in ("ket-qua.csv", "trung-binh.csv"):
        assert {r["cot"] for r in dictionary if r["tep"] == name} == set(rows(name)[0])
    for resource in package["resources"]:  # the descriptor's relative paths are the portal's own downloads
        response = client.get(reverse("portal:download", args=[published.pk, resource["path"]]))
        assert response.status_code == 200, resource["path"]
    assert client.get(reverse("portal:download", args=[published.pk, "datapackage.json"])).status_code == 200
