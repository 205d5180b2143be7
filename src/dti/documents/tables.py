"""Reading a table (CSV or XLSX) into a header and rows of text, whatever program wrote it."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

from dti.engine import ResultsFileError
from dti.engine.i18n import t
from dti.engine.numbers import NumberError, NumberText, read_number

MAX_TABLE_BYTES = 50_000_000


def read_table(path: str | Path, check_header=None) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) of a CSV (UTF-8, with or without BOM; ',' or ';') or XLSX file.

    Lines before the header that start with '#' are comments (a shipped file cites its source there).
    ``check_header(header)`` runs as soon as the header is read, before the body: a wrong file is refused at
    once. A workbook is read as a stream, within MAX_TABLE_ROWS rows and MAX_READ_SECONDS.
    """
    path = Path(path)
    try:
        if path.stat().st_size > MAX_TABLE_BYTES:
            raise ResultsFileError(path.name, "", t("tệp quá lớn (tối đa {MAX_TABLE_BYTES} byte)",
                                                    MAX_TABLE_BYTES=MAX_TABLE_BYTES))
        if path.suffix.lower() == ".xlsx":
            return _xlsx_rows(path, check_header)
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ResultsFileError(str(path), "", t("không đọc được tệp: {value}", value=exc.strerror or exc)) from None
    except UnicodeDecodeError:
        raise ResultsFileError(path.name, "", t("tệp CSV phải được lưu dạng UTF-8")) from None
    return _csv_rows(text, path.name, check_header)


def _csv_rows(text: str, source: str, check_header=None):
    lines = text.splitlines(keepends=True)
    skipped = 0
    while skipped < len(lines) and (lines[skipped].startswith("#") or not lines[skipped].strip()):
        skipped += 1
    body = "".join(lines[skipped:])
    if not body.strip():
        raise ResultsFileError(source, "", t("tệp không có dòng tiêu đề"))
    try:
        dialect = csv.Sniffer().sniff(body.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(body), dialect)
    header = [h.strip() for h in next(reader)]
    if check_header is not None:
        check_header(header)
    rows = [(skipped + reader.line_num, [c.strip() for c in row]) for row in reader if any(c.strip() for c in row)]
    return header, rows


def _sheet_size_from_its_start(sheet) -> None:
    """A read-only sheet's dimension, looked for only before its rows.

    openpyxl (3.1) looks for the dimension tag with end events, so a sheet without one is parsed to its end when it
    is opened — 100 s for a 154 MB sheet — before the first row, the header, can be checked. Start events stop at
    the beginning of the rows; without a dimension, rows are streamed to their end as read-only mode does anyway.
    """
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.functions import iterparse  # defusedxml's where installed, as openpyxl's own

    source = sheet._get_source()
    try:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == DIMENSION_TAG:
                sheet._min_column, sheet._min_row, sheet._max_column, sheet._max_row = (
                    SheetDimension.from_tree(element).boundaries)
                return
            if element.tag == DATA_TAG:
                return
    finally:
        source.close()


def _patch_openpyxl() -> None:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    ReadOnlyWorksheet._get_size = _sheet_size_from_its_start


MAX_XLSX_ENTRIES = 2_000
MAX_XLSX_UNCOMPRESSED = 200_000_000


def open_workbook(path: Path, *, read_only: bool = True, max_uncompressed: int = MAX_XLSX_UNCOMPRESSED):
    """An uploaded workbook, opened only after its zip directory passed the size checks (no zip bombs);
    openpyxl parses its XML with defusedxml, which refuses entity expansion. A workbook opened whole
    (``read_only=False``) must be much smaller than one read as a stream."""
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise ResultsFileError(path.name, "", t("không phải tệp XLSX hợp lệ")) from None
    if len(entries) > MAX_XLSX_ENTRIES:
        raise ResultsFileError(path.name, "", t("tệp XLSX có quá nhiều thành phần ({value})", value=len(entries)))
    if sum(e.file_size for e in entries) > max_uncompressed:
        raise ResultsFileError(path.name, "", t("tệp XLSX khi giải nén quá lớn"))
    _patch_openpyxl()
    try:
        return load_workbook(path, read_only=read_only, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file; all mean the same to a user
        raise ResultsFileError(path.name, "", t("không đọc được tệp XLSX: {exc}", exc=exc)) from None


MAX_TABLE_ROWS = 500_000  # 3,321 units × 60 indicators, indicator by indicator, with room
MAX_READ_SECONDS = 60


def _cell_text(value) -> str:
    """A cell as text; a numeric cell keeps its number (NumberText), read later as the number it holds."""
    if value is None:
        return ""
    if isinstance(value, float):
        try:
            return NumberText(read_number(value))
        except NumberError:
            return repr(value)  # refused where it is read, with its row and column
    return str(value).strip()


def _xlsx_rows(path: Path, check_header=None):
    deadline = time.monotonic() + MAX_READ_SECONDS
    workbook = open_workbook(path)
    try:
        if not workbook.worksheets:
            raise ResultsFileError(path.name, "", t("bảng tính không có trang tính nào"))
        sheet = workbook.worksheets[0]
        # Stream the rows without measuring the sheet first: openpyxl would read a sheet without a
        # dimension tag to the end before the first row, the header, could be checked.
        sheet.reset_dimensions()
        rows = []
        header = None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number % 1000 == 0 and (number > MAX_TABLE_ROWS or time.monotonic() > deadline):
                raise ResultsFileError(path.name, "", t("bảng tính quá lớn để đọc (quá {rows} dòng hoặc {seconds} "
                                                        "giây)", rows=MAX_TABLE_ROWS, seconds=MAX_READ_SECONDS))
            cells = [_cell_text(v) for v in values]
            if header is None:
                if (cells and cells[0].startswith("#")) or not any(cells):
                    continue
                header = cells
                if check_header is not None:
                    check_header(header)
                continue
            if any(cells):
                rows.append((number, cells))
        if header is None:
            raise ResultsFileError(path.name, "", t("bảng tính không có dòng tiêu đề"))
        return header, rows
    finally:
        workbook.close()
