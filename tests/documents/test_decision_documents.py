"""The decision, its appendices and the open data of Bắc Ninh 2023, written by `dti export-decision` and read
back: every cell of both appendices against the published decision, in DOCX, PDF and XLSX."""

import csv
import io
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from dti.cli import main
from dti.documents.decision import load_decision_settings
from dti.documents.frameworks import load_framework
from dti.documents.period_documents import file_name, write_period_documents
from dti.documents.results import load_results
from dti.engine import format_points, score_framework

from ..conftest import BACNINH_DATA, BACNINH_FRAMEWORK, ROOT
from ..published import published_tables
from .pdfs import DOCUMENT_FONTS, font_families, pdf_text

SETTINGS = ROOT / "data" / "bacninh-2023-decision.yaml"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("van-ban")
    assert main(["export-decision", "-f", str(BACNINH_FRAMEWORK), "-d", str(BACNINH_DATA), "-s", str(SETTINGS),
                 "-o", str(out)]) == 0
    return out


def shown(text) -> str:
    return format_points(Decimal(str(text)))


def published_cells(table) -> list[list[str]]:
    """Every row of a published appendix as the documents print it: numbers with two decimals."""
    rows = [[str(r.stt), r.unit, *map(shown, (*r.declared, *r.reviewed)), str(r.rank), r.grade] for r in table.rows]
    rows.append(["", "Điểm trung bình", *map(shown, (*table.average_declared, *table.average_reviewed)), "", ""])
    return rows


def test_the_folder_holds_every_document_of_the_period(folder):
    names = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert {"quyet-dinh.pdf", "quyet-dinh.docx", "phu-luc.pdf", "phu-luc.docx", "phu-luc.xlsx",
            "du-lieu-mo/ket-qua.csv", "du-lieu-mo/ket-qua.json", "du-lieu-mo/tu-dien-du-lieu.csv"} <= names
    reports = {n for n in names if n.startswith("bao-cao-don-vi/")}
    assert len(reports) == 2 * 25 and "bao-cao-don-vi/so-khoa-hoc-va-cong-nghe.pdf" in reports


@pytest.mark.parametrize("name", ["quyet-dinh.docx", "phu-luc.docx"])
def test_every_cell_of_both_docx_appendices_matches_the_decision(folder, name):
    document = Document(folder / name)
    tables = [t for t in document.tables if t.rows[0].cells[0].text == "STT"]
    assert len(tables) == 2
    for table, published in zip(tables, published_tables(), strict=True):
        width = 2 * (len(published.pillars) + 1) + 4
        header = [c.text for c in table.rows[0].cells]
        assert header[:3] == ["STT", "Đơn vị", "Điểm tính qua khai báo"] and header[-2:] == ["Xếp hạng", "Xếp loại"]
        assert [c.text for c in table.rows[1].cells][2:2 + len(published.pillars) + 1] == [
            *published.pillars, "Tổng điểm"]
        assert table.rows[2].cells[0].text == published.label
        body = [[c.text for c in row.cells] for row in table.rows[3:]]
        assert all(len(row) == width for row in body)
        assert body == published_cells(published)


def test_the_docx_decision_carries_the_period_settings(folder):
    text = "\n".join(p.text for p in Document(folder / "quyet-dinh.docx").paragraphs)
    cells = "\n".join(c.text for t in Document(folder / "quyet-dinh.docx").tables[:2] for r in t.rows for c in r.cells)
    for expected in ("Số: 2405/QĐ-UBND", "Bắc Ninh, ngày 26 tháng 12 năm 2023", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Vương Quốc Tuấn", "KT. CHỦ TỊCH", "Nơi nhận:", "- Lưu: VT, XDCB."):
        assert expected in cells
    for expected in ("QUYẾT ĐỊNH", "Căn cứ Luật Công nghệ thông tin ngày 29/6/2006;", "Điều 1. Phê duyệt",
                     "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.", "PHỤ LỤC I", "PHỤ LỤC II",
                     "(Ban hành kèm theo Quyết định số 2405/QĐ-UBND ngày 26/12/2023 của Chủ tịch UBND tỉnh)"):
        assert expected in text
    assert "DỰ THẢO" not in text


def test_the_pdf_holds_every_published_number_in_fonts_with_every_glyph(folder):
    text = pdf_text(folder / "quyet-dinh.pdf")
    assert "\ufffd" not in text and "(cid:" not in text  # no replacement glyph, no glyph without its character
    printed = Counter(token for token in text.split() if token.replace(".", "", 1).isdigit())
    needed = Counter(cell for table in published_tables() for row in published_cells(table) for cell in row[2:-2])
    assert not needed - printed, f"missing from the PDF: {needed - printed}"
    for table in published_tables():
        for row in table.rows:
            assert row.unit in " ".join(text.split())
    for expected in ("Số: 2405/QĐ-UBND", "Vương Quốc Tuấn", "Độc lập - Tự do - Hạnh phúc", "Điểm sau khi rà soát"):
        assert expected in text
    assert font_families(folder / "quyet-dinh.pdf") <= DOCUMENT_FONTS


def test_the_appendix_pdf_is_the_two_tables_alone(folder):
    text = pdf_text(folder / "phu-luc.pdf")
    assert text.lstrip().startswith("PHỤ LỤC I") and "Vương Quốc Tuấn" not in text
    assert "PHỤ LỤC II" in text and "Điểm trung bình" in text


def test_the_xlsx_has_the_appendix_titles_of_the_settings(folder):
    sheet = load_workbook(folder / "phu-luc.xlsx").worksheets[0]
    assert sheet.cell(1, 1).value == "PHỤ LỤC I"
    assert sheet.cell(2, 1).value.startswith("KẾT QUẢ XẾP HẠNG CHỈ SỐ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ CỦA CÁC SỞ, BAN, NGÀNH")
    assert "2405/QĐ-UBND ngày 26/12/2023" in sheet.cell(3, 1).value


def test_without_settings_the_decision_is_a_marked_draft(tmp_path, capsys):
    assert main(["export-decision", "-f", str(BACNINH_FRAMEWORK), "-d", str(BACNINH_DATA), "-o", str(tmp_path),
                 "--no-unit-reports"]) == 0
    assert "dự thảo" in capsys.readouterr().err
    text = "\n".join(p.text for p in Document(tmp_path / "quyet-dinh.docx").paragraphs)
    assert text.startswith("DỰ THẢO")
    assert "DỰ THẢO" in pdf_text(tmp_path / "quyet-dinh.pdf")
    assert not (tmp_path / "bao-cao-don-vi").exists()


def test_open_data_is_a_valid_package_with_a_dictionary_of_every_column_and_the_period(folder):
    from frictionless import validate

    raw = (folder / "du-lieu-mo" / "ket-qua.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    knowledge = next(r for r in rows if r["unit"] == "Sở Khoa học và Công nghệ")
    assert (knowledge["year"], knowledge["reviewed.total"], knowledge["rank"], knowledge["grade"]) == (
        "2023", "734.82", "9", "Khá")
    assert not any(r["unit"] == "Điểm trung bình" for r in rows)
    report = validate(folder / "du-lieu-mo" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    dictionary = list(csv.DictReader(io.StringIO((folder / "du-lieu-mo" / "tu-dien-du-lieu.csv").read_text("utf-8-sig"))))
    described = {r["cot"] for r in dictionary if r["tep"] == "ket-qua.csv"}
    assert described == set(rows[0])
    assert all(r["mo_ta"] and r["description"] for r in dictionary)
    document = json.loads((folder / "du-lieu-mo" / "ket-qua.json").read_text("utf-8"))
    assert document["period"]["name"] == "Kỳ đánh giá năm 2023"
    assert document["groups"][0]["units"][0]["reviewed"]["total"] == "929.35"


def test_bad_settings_are_refused_naming_the_key(tmp_path, capsys):
    bad = tmp_path / "qd.yaml"
    bad.write_text("number: 1/QĐ-UBND\nsigned_on: 26/12/2023\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["export-decision", "-f", str(BACNINH_FRAMEWORK), "-d", str(BACNINH_DATA), "-s", str(bad),
                 "-o", str(out)]) == 2
    error = capsys.readouterr().err
    assert "qd.yaml, signed_on" in error and "2023-12-26" in error
    assert not out.exists()
    bad.write_text("signer: A\nsinger: B\n", encoding="utf-8")
    assert main(["export-decision", "-f", str(BACNINH_FRAMEWORK), "-d", str(BACNINH_DATA), "-s", str(bad),
                 "-o", str(out)]) == 2
    assert "singer" in capsys.readouterr().err


@pytest.mark.parametrize("workers", [1, 3])
def test_each_units_report_lands_in_its_own_file_however_the_work_is_shared(tmp_path, workers):
    """One process, or helpers taking tasks while this one writes the decision and then takes over what is
    left: every report file is headed by its own unit."""
    framework = load_framework(BACNINH_FRAMEWORK)
    result = score_framework(framework, load_results(BACNINH_DATA, framework).groups)
    written = write_period_documents(result, load_decision_settings(SETTINGS), tmp_path, period="Kỳ 2023",
                                     workers=workers)
    reports = {path.name: path for path in written if path.parent.name == "bao-cao-don-vi"}
    units = [unit.name for group in result.groups for unit in group.units]
    assert len(reports) == 2 * len(units) == 50
    for unit in units:
        text = " ".join(pdf_text(reports[f"{file_name(unit)}.pdf"]).split())
        assert text.startswith(f"BÁO CÁO KẾT QUẢ ĐÁNH GIÁ CHỈ SỐ CHUYỂN ĐỔI SỐ · KỲ 2023 {unit} ")  # its heading
        docx = Document(reports[f"{file_name(unit)}.docx"])
        assert docx.paragraphs[1].text == unit


@pytest.mark.parametrize("name", ["quyet-dinh.pdf", "phu-luc.pdf"])
def test_the_decision_pdfs_are_tagged_for_screen_readers_in_vietnamese(folder, name):
    """Tagged (a structure tree, marked content) and in Vietnamese, so that a screen reader reads the decision
    and its tables in order and with the right voice."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    with (folder / name).open("rb") as file:
        catalog = PDFDocument(PDFParser(file)).catalog
        assert resolve1(catalog.get("MarkInfo")) == {"Marked": True}
        assert catalog.get("Lang") == b"vi" and resolve1(catalog.get("StructTreeRoot")) is not None


@pytest.fixture(scope="module")
def docx_as_printed(folder, tmp_path_factory) -> list[tuple[bool, list[str]]]:
    """The decision's DOCX laid out by LibreOffice, as a clerk who opens and prints it sees it: (an appendix
    page, text lines) of each page, read by poppler's pdftotext (which puts LibreOffice's accents back on their
    letters, where pdfminer does not)."""
    import os
    import shutil
    import subprocess

    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    if not soffice or not pdftotext:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice and pdftotext are needed: .ci/run installs them")
        pytest.skip("LibreOffice (soffice) or poppler's pdftotext is not installed")
    out = tmp_path_factory.mktemp("libreoffice")
    subprocess.run([soffice, f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(folder / "quyet-dinh.docx")],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run([pdftotext, str(out / "quyet-dinh.pdf"), "-"], check=True, capture_output=True,
                          text=True, timeout=60).stdout
    pages, appendix = [], False
    for page in text.split("\f"):
        appendix = appendix or page.lstrip().startswith("PHỤ LỤC")
        pages.append((appendix, [line.strip() for line in page.splitlines() if line.strip()]))
    return pages


def test_the_docx_appendices_print_every_number_and_header_word_whole(docx_as_printed):
    tokens = {token for landscape, lines in docx_as_printed if landscape for line in lines for token in line.split()}
    for table in published_tables():
        for row in table.rows:
            for value in (*row.declared, *row.reviewed):
                assert format_points(Decimal(value)) in tokens, (row.unit, value)  # "804.2" and "5" would fail
        for word in {w for pillar in table.pillars for w in pillar.split()} | {"Tổng", "điểm", "Xếp", "hạng"}:
            assert word in tokens, word  # "thôn" and "g" would fail


def test_the_docx_keeps_the_motto_on_one_line_and_the_signature_together(docx_as_printed):
    first = docx_as_printed[0][1]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    signing = next(lines for _, lines in docx_as_printed if "PHÓ CHỦ TỊCH" in lines)
    assert "Vương Quốc Tuấn" in signing  # on the page of "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", not alone after it


def test_the_pdf_appendices_keep_each_name_and_grade_on_one_line_within_the_page(folder):
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    lines, outside = [], []
    for page in extract_pages(folder / "phu-luc.pdf"):
        for box in page:
            if isinstance(box, LTTextContainer):
                for line in box:
                    lines.append(" ".join(line.get_text().split()))
                    if line.x1 > page.width:
                        outside.append(line.get_text())
    assert outside == []
    text = "\n".join(lines)
    for table in published_tables():
        for row in table.rows:
            assert row.unit in text, row.unit  # "UBND Thị xã Quế / Võ" would fail
    assert sum(line.count("Trung bình") for line in lines) >= sum(
        row.grade == "Trung bình" for table in published_tables() for row in table.rows)  # never "Trung / bình"
