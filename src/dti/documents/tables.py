"""Reading a table (CSV or XLSX) into a header and rows of text, whatever program wrote it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from dti.engine import ResultsFileError
from dti.engine.i18n import t

MAX_TABLE_BYTES = 50_000_000


def read_table(path: str | Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) of a CSV (UTF-8, with or without BOM; ',' or ';') or XLSX file.

    Lines before the header that start with '#' are comments (a shipped file cites its source there).
    """
    path = Path(path)
    try:
        if path.stat().st_size > MAX_TABLE_BYTES:
            raise ResultsFileError(path.name, "", t("tệp quá lớn (tối đa {MAX_TABLE_BYTES} byte)",
                                                    MAX_TABLE_BYTES=MAX_TABLE_BYTES))
        if path.suffix.lower() == ".xlsx":
            return _xlsx_rows(path)
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ResultsFileError(str(path), "", t("không đọc được tệp: {value}", value=exc.strerror or exc)) from None
    except UnicodeDecodeError:
        raise ResultsFileError(path.name, "", t("tệp CSV phải được lưu dạng UTF-8")) from None
    return _csv_rows(text, path.name)


def _csv_rows(text: str, source: str):
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
    rows = [(skipped + reader.line_num, [c.strip() for c in row]) for row in reader if any(c.strip() for c in row)]
    return header, rows


MAX_XLSX_ENTRIES = 2_000
MAX_XLSX_UNCOMPRESSED = 200_000_000


def open_workbook(path: Path, *, read_only: bool = True):
    """An uploaded workbook, opened only after its zip directory passed the size checks (no zip bombs);
    openpyxl parses its XML with defusedxml, which refuses entity expansion."""
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise ResultsFileError(path.name, "", t("không phải tệp XLSX hợp lệ")) from None
    if len(entries) > MAX_XLSX_ENTRIES:
        raise ResultsFileError(path.name, "", t("tệp XLSX có quá nhiều thành phần ({value})", value=len(entries)))
    if sum(e.file_size for e in entries) > MAX_XLSX_UNCOMPRESSED:
        raise ResultsFileError(path.name, "", t("tệp XLSX khi giải nén quá lớn"))
    try:
        return load_workbook(path, read_only=read_only, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file; all mean the same to a user
        raise ResultsFileError(path.name, "", t("không đọc được tệp XLSX: {exc}", exc=exc)) from None


def _xlsx_rows(path: Path):
    workbook = open_workbook(path)
    try:
        if not workbook.worksheets:
            raise ResultsFileError(path.name, "", t("bảng tính không có trang tính nào"))
        sheet = workbook.worksheets[0]
        rows = []
        header = None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = ["" if v is None else repr(v) if isinstance(v, float) else str(v).strip() for v in values]
            if header is None:
                if (cells and cells[0].startswith("#")) or not any(cells):
                    continue
                header = cells
                continue
            if any(cells):
                rows.append((number, cells))
        if header is None:
            raise ResultsFileError(path.name, "", t("bảng tính không có dòng tiêu đề"))
        return header, rows
    finally:
        workbook.close()
