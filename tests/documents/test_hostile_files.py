"""Files from outside: zip bombs, XML entity attacks and random bytes get a clear error, never a crash or a hang.

The loaders are fuzzed with hypothesis: whatever a framework file or a results file holds, the answer is a
result or a DtiError naming the file — nothing else escapes."""

import io
import time
import zipfile
from decimal import Decimal

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from dti.documents.bounded_yaml import load_yaml
from dti.documents.frameworks import load_framework, parse_framework
from dti.documents.results import load_results, parse_results
from dti.documents.tables import MAX_XLSX_ENTRIES, MAX_XLSX_UNCOMPRESSED
from dti.engine import DtiError, FrameworkError, score_framework

from ..conftest import BACNINH_FRAMEWORK

FRAMEWORK = load_framework(BACNINH_FRAMEWORK)


def results_xlsx(path, replace: dict[str, bytes] | None = None, extra: dict[str, bytes] | None = None):
    """A valid results workbook, with some of its parts replaced or added."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["group", "unit", "stage", "NTS"])
    sheet.append(["so-nganh", "Sở A", "reviewed", "50"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            target.writestr(item, (replace or {}).get(item.filename, source.read(item.filename)))
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return path


def test_a_workbook_with_too_many_parts_is_refused_before_it_is_opened(tmp_path):
    path = results_xlsx(tmp_path / "nhieu.xlsx", extra={f"xl/media/{i}.bin": b"" for i in range(MAX_XLSX_ENTRIES)})
    with pytest.raises(DtiError, match="quá nhiều thành phần"):
        load_results(path, FRAMEWORK)


def test_a_zip_bomb_is_refused_from_its_directory_without_inflating_it(tmp_path):
    path = tmp_path / "bom.xlsx"
    results_xlsx(path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("xl/media/zeros.bin", b"\0" * (MAX_XLSX_UNCOMPRESSED + 1))
    assert path.stat().st_size < 1_000_000  # a small file that would inflate to 200 MB
    with pytest.raises(DtiError, match="giải nén quá lớn"):
        load_results(path, FRAMEWORK)


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 10))
          + b']><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol9;</workbook>')
EXTERNAL = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
            b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&secret;</workbook>')


@pytest.mark.parametrize("payload", [LAUGHS, EXTERNAL], ids=["billion-laughs", "external-entity"])
def test_xml_entities_in_a_workbook_are_refused(tmp_path, payload):
    path = results_xlsx(tmp_path / "thucthe.xlsx", replace={"xl/workbook.xml": payload})
    with pytest.raises(DtiError) as refused:
        load_results(path, FRAMEWORK)
    assert "root:" not in str(refused.value)


def test_random_bytes_named_xlsx_are_refused(tmp_path):
    path = tmp_path / "rac.xlsx"
    path.write_bytes(b"MZ\x90\x00" + bytes(range(256)) * 10)
    with pytest.raises(DtiError, match="XLSX"):
        load_results(path, FRAMEWORK)


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=12),
                    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str))
KEYS = st.sampled_from(["code", "name", "source", "groups", "pillars", "indicators", "max_points", "rule", "kind",
                        "grading", "grades", "share", "remainder", "bands", "from", "steps", "at_least", "points",
                        "options", "parts", "cases", "label", "not_applicable", "when_zero", "expression",
                        "inputs", "composites", "tie_rule", "year", "notes", "points_each", "unit"])
DOCUMENTS = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(KEYS, inner, max_size=6)), max_leaves=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_any_framework_document_gives_a_framework_or_a_framework_error(document):
    try:
        parse_framework(yaml.safe_dump(document, allow_unicode=True), "mo-phong.yaml")
    except FrameworkError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_as_a_framework_file_gives_a_framework_error(text):
    try:
        parse_framework(text, "mo-phong.yaml")
    except FrameworkError:
        pass


HEADERS = st.lists(st.sampled_from(["group", "unit", "stage", "ranked", "total", "indicator", "input", "value",
                                    "points", "not_applicable", "NTS", "TCS", "HDCDS", "HTS", "x"]),
                   min_size=1, max_size=8)
CELLS = st.one_of(st.sampled_from(["so-nganh", "huyen", "declared", "reviewed", "có", "không", "", "1.1", "NTS"]),
                  st.decimals(min_value=-5, max_value=2000, places=2, allow_nan=False).map(str), st.text(max_size=8))


@settings(max_examples=300, deadline=None)
@given(HEADERS, st.lists(st.lists(CELLS, max_size=9), max_size=6))
def test_any_results_table_scores_or_gives_a_clear_error(header, rows):
    try:
        parsed = parse_results(header, [(k + 2, row) for k, row in enumerate(rows)], FRAMEWORK, "mo-phong.csv")
        scored = score_framework(FRAMEWORK, parsed.groups)
    except DtiError as exc:
        assert "mo-phong.csv" in str(exc) or exc.__class__.__name__ == "InputError"
    else:
        assert [g.group.code for g in scored.groups] == [g.code for g in FRAMEWORK.groups if g.code in parsed.groups]
        for group in scored.groups:
            assert len(group.units) == len(parsed.groups[group.group.code].units)


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(9))


def test_a_kilobyte_of_nested_aliases_is_refused_before_it_is_built():
    assert len(ALIAS_BOMB) < 1_000  # ten billion elements once expanded
    started = time.perf_counter()
    with pytest.raises(FrameworkError, match="mở rộng các tham chiếu"):
        parse_framework(ALIAS_BOMB, "bom.yaml")
    assert time.perf_counter() - started < 2  # not a benchmark: the unbounded loader ran for minutes


@pytest.mark.parametrize("text", ["[" * 5_000 + "]" * 5_000, "{a: " * 5_000 + "1" + "}" * 5_000,
                                  "a:\n" + "".join("  " * i + "- \n" for i in range(1, 200))])
def test_deeply_nested_yaml_is_refused_with_its_line(text):
    with pytest.raises(FrameworkError, match="lồng nhau quá sâu") as error:
        parse_framework(text, "sau.yaml")
    assert error.value.place.startswith("dòng ")


def test_an_anchor_that_contains_itself_is_refused():
    with pytest.raises(FrameworkError, match="chính nó"):
        parse_framework("a: &a [1, *a]\n", "vong.yaml")


def test_the_shipped_frameworks_keep_their_anchors_and_merge_keys():
    text = BACNINH_FRAMEWORK.read_text(encoding="utf-8")
    assert "<<: *" in text and "*max-seen" in text
    assert yaml.safe_load(text) == load_yaml(text)


def workbook_with_a_huge_sheet(path, header: list[str], megabytes: int):
    """A results workbook whose sheet XML is ``megabytes`` long: ``header``, then rows of numbers."""
    base = results_xlsx(path.with_name("base.xlsx"))
    row = b'<row><c t="n"><v>1</v></c><c t="n"><v>2</v></c><c t="n"><v>3</v></c><c t="n"><v>4</v></c></row>' * 100
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item, source.read(item.filename))
        with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            cells = b"".join(b'<c t="inlineStr"><is><t>%s</t></is></c>' % name.encode() for name in header)
            sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                        b'2006/main"><sheetData><row>' + cells + b"</row>")
            for _ in range(megabytes * 1_000_000 // len(row)):
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")
    return path


@pytest.fixture(scope="module")
def huge_sheets(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lon")
    return {"results": workbook_with_a_huge_sheet(folder / "ket-qua.xlsx", ["nhom", "ten", "diem"], 154),
            "annex": workbook_with_a_huge_sheet(folder / "phu-luc.xlsx", ["STT", "Chỉ số"], 154)}


def test_a_results_workbook_with_a_huge_sheet_and_a_wrong_header_is_refused_at_once(huge_sheets):
    with zipfile.ZipFile(huge_sheets["results"]) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 150_000_000
    started = time.perf_counter()
    with pytest.raises(DtiError, match="thiếu cột 'group'"):
        load_results(huge_sheets["results"], FRAMEWORK)
    assert time.perf_counter() - started < 2  # not a benchmark: reading the body first took 80–108 s


def test_a_framework_workbook_with_a_huge_sheet_is_refused_from_its_directory(huge_sheets):
    from dti.documents.annex import read_annex

    started = time.perf_counter()
    with pytest.raises(FrameworkError, match="giải nén quá lớn"):
        read_annex(huge_sheets["annex"])
    assert time.perf_counter() - started < 2


def test_a_results_workbook_is_read_within_a_row_budget(tmp_path, monkeypatch):
    from dti.documents import tables

    monkeypatch.setattr(tables, "MAX_TABLE_ROWS", 2_000)
    path = workbook_with_a_huge_sheet(tmp_path / "dai.xlsx", ["group", "unit", "reviewed.NTS"], 2)
    with pytest.raises(DtiError, match="quá lớn để đọc"):
        load_results(path, FRAMEWORK)


def test_a_numeric_cell_of_three_decimals_reads_as_the_number_it_holds(tmp_path):
    pillars = [f"{stage}.{p.code}" for stage in ("declared", "reviewed") for p in FRAMEWORK.group("so-nganh").pillars]
    workbook = Workbook()
    workbook.active.append(["group", "unit", *pillars])
    workbook.active.append(["so-nganh", "Sở A", *[12.125] * len(pillars)])
    workbook.save(tmp_path / "ba-so.xlsx")
    data = load_results(tmp_path / "ba-so.xlsx", FRAMEWORK).groups["so-nganh"]
    assert data.reviewed.pillar_points["NTS"][0] == Decimal("12.125")
