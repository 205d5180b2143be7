"""The annex-style framework table (XLSX) that provinces publish, read and written.

A sheet "Bộ chỉ số" holds the framework's code, name, source decision and year, and a table of its groups
(code, name, tie rule, grading and composites, the last two as YAML in one cell). Each group has a sheet named
by its code with the annex's columns

    STT | Chỉ số/Chỉ số thành phần | Điểm tối đa | Cách xác định và tính điểm | Tài liệu kiểm chứng |
    Nguồn thu thập dữ liệu | Đơn vị phối hợp xác minh số liệu

and beside them the structured columns that the engine scores by: Mã, Quy tắc, Tham số quy tắc (YAML),
Không áp dụng, Suy ra, Ghi chú. A row whose STT has no dot ("1") is a pillar; "1.1" is an indicator of pillar 1,
"1.1.2" a sub-indicator of 1.1. "Cách xác định và tính điểm" is for people: dti fills it on export and the
structured columns decide the points. Every fault names the sheet, the row and the column.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from dti.engine import Framework, FrameworkError, build_framework
from dti.engine.i18n import t
from dti.engine.numbers import NumberError, read_number

from .bounded_yaml import load_yaml

INFO_SHEET = "Bộ chỉ số"
INFO_FIELDS = [("code", "Mã bộ chỉ số"), ("name", "Tên bộ chỉ số"), ("source", "Văn bản ban hành"), ("year", "Năm"),
               ("notes", "Ghi chú")]
GROUP_HEADER = ["Mã khối", "Tên khối", "Cách xếp hạng đồng điểm", "Xếp loại (YAML)", "Chỉ số tổng hợp (YAML)"]
GROUP_TABLE_ROW = 7  # header of the groups table on the info sheet
# The framework's English (the file's `english` glossary): optional, one Vietnamese text and its English per row.
ENGLISH_SHEET = "Tiếng Anh"
ENGLISH_HEADER = ["Tiếng Việt", "Tiếng Anh"]
ANNEX_COLUMNS = ["STT", "Chỉ số/Chỉ số thành phần", "Điểm tối đa", "Cách xác định và tính điểm", "Tài liệu kiểm chứng",
                 "Nguồn thu thập dữ liệu", "Đơn vị phối hợp xác minh số liệu"]
RULE_COLUMNS = ["Mã", "Quy tắc", "Tham số quy tắc (YAML)", "Không áp dụng", "Suy ra", "Ghi chú"]
HEADER = ANNEX_COLUMNS + RULE_COLUMNS
COLUMN = {name: index for index, name in enumerate(HEADER)}
STT_PATTERN = re.compile(r"^\d+(\.\d+)*$")


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


class _Places:
    """Where each part of the framework came from, to turn an engine error into a sheet, row and column."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, int]] = []  # (engine place prefix, sheet, row)

    def add(self, place: str, sheet: str, row: int):
        self.rows.append((place, sheet, row))

    def locate(self, error: FrameworkError, source: str) -> FrameworkError:
        best = max((r for r in self.rows if error.place.startswith(r[0])), key=lambda r: len(r[0]), default=None)
        if best is None:
            return FrameworkError(source, f"trang '{INFO_SHEET}'", error.fault)
        place, sheet, row = best
        rest = error.place[len(place):]
        if sheet == INFO_SHEET:
            column = "Chỉ số tổng hợp (YAML)" if "composites" in rest else "Xếp loại (YAML)"
        elif "loại quy tắc" in error.fault:
            column = "Quy tắc"
        elif rest.startswith(" › rule"):
            column = "Tham số quy tắc (YAML)"
        elif "trùng lặp" in error.fault:
            column = "Mã"
        elif "không áp dụng" in error.fault:
            column = "Không áp dụng"
        elif "quy tắc" in error.fault:
            column = "Quy tắc"
        else:
            column = "Điểm tối đa"
        letter = _letter(COLUMN[column]) if column in COLUMN else _letter(GROUP_HEADER.index(column))
        return FrameworkError(source, t("trang '{sheet}', dòng {row}, cột {letter} ({column})",
                                        sheet=sheet, row=row, letter=letter, column=column), error.fault)


def read_annex(path: str | Path) -> Framework:
    """The framework described by an annex workbook; refuses a malformed one naming sheet, row and column."""
    return _read(path)[0]


MAX_ANNEX_UNCOMPRESSED = 20_000_000


def annex_to_yaml(path: str | Path) -> str:
    """The framework file (YAML text) equivalent to a valid annex workbook: what the database stores."""
    _framework, data = _read(path)
    header = f"# Nhập từ bảng phụ lục {Path(path).name}\n"
    return header + yaml.safe_dump(_plain(data), allow_unicode=True, sort_keys=False, width=120)


def _read(path: str | Path) -> tuple[Framework, dict]:
    from .tables import open_workbook

    path = Path(path)
    try:
        # The annex is read cell by cell, so opened whole: a framework's table is a few hundred kilobytes.
        workbook = open_workbook(path, read_only=False, max_uncompressed=MAX_ANNEX_UNCOMPRESSED)
    except Exception as exc:  # ResultsFileError from the safety checks: re-raise as a framework error
        raise FrameworkError(path.name, "", getattr(exc, "fault", str(exc))) from None
    places = _Places()
    data = _workbook_data(workbook, path.name, places)
    try:
        return build_framework(data, path.name), data
    except FrameworkError as error:
        raise places.locate(error, path.name) from None


def _fail(source: str, sheet: str, row: int, column: str | None, fault: str) -> FrameworkError:
    where = f"trang '{sheet}', dòng {row}"
    if column is not None:
        index = COLUMN[column] if column in COLUMN else GROUP_HEADER.index(column)
        where += f", cột {_letter(index)} ({column})"
    return FrameworkError(source, where, fault)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_number(text: str) -> bool:
    try:
        read_number(text)
    except NumberError:
        return False
    return True


def _max_points(source, sheet, row, value):
    try:
        return read_number(value)
    except NumberError as exc:
        raise _fail(source, sheet, row, "Điểm tối đa", exc.fault) from None


def _yaml_cell(value, source, sheet, row, column) -> Any:
    text = _text(value)
    if not text:
        return None
    try:
        return load_yaml(text)
    except yaml.YAMLError as exc:
        raise _fail(source, sheet, row, column, t("YAML không hợp lệ: {problem}",
                                                  problem=getattr(exc, 'problem', exc))) from None


def _workbook_data(workbook, source: str, places: _Places) -> dict:
    if INFO_SHEET not in workbook.sheetnames:
        raise FrameworkError(source, "", t("thiếu trang '{sheet}' (các trang: {sheets})",
                                           sheet=INFO_SHEET, sheets=', '.join(workbook.sheetnames)))
    info = workbook[INFO_SHEET]
    data: dict[str, Any] = {}
    for row, (key, label) in enumerate(INFO_FIELDS, start=1):
        found = _text(info.cell(row, 1).value)
        if found != label:
            raise _fail(source, INFO_SHEET, row, None, t("cột A phải là '{label}', gặp '{found}'",
                                                         label=label, found=found))
        value = info.cell(row, 2).value
        if value in (None, ""):
            continue
        if key == "year":
            data[key] = int(value) if isinstance(value, int | float) else _text(value)
        elif key == "notes":
            data[key] = [line.strip() for line in _text(value).splitlines() if line.strip()]
        else:
            data[key] = _text(value)
    header = [_text(info.cell(GROUP_TABLE_ROW, c + 1).value) for c in range(len(GROUP_HEADER))]
    if header != GROUP_HEADER:
        raise _fail(source, INFO_SHEET, GROUP_TABLE_ROW, None,
                    t("dòng tiêu đề bảng khối phải là {expected}; gặp {found}", expected=' | '.join(GROUP_HEADER),
                      found=' | '.join(header)))
    groups: list[dict[str, Any]] = []
    row = GROUP_TABLE_ROW + 1
    while _text(info.cell(row, 1).value):
        code = _text(info.cell(row, 1).value)
        group: dict[str, Any] = {"code": code, "name": _text(info.cell(row, 2).value)}
        tie_rule = _text(info.cell(row, 3).value)
        if tie_rule:
            group["tie_rule"] = tie_rule
        grading = _yaml_cell(info.cell(row, 4).value, source, INFO_SHEET, row, "Xếp loại (YAML)")
        if grading is not None:
            group["grading"] = grading
        composites = _yaml_cell(info.cell(row, 5).value, source, INFO_SHEET, row, "Chỉ số tổng hợp (YAML)")
        if composites is not None:
            group["composites"] = composites
        places.add(f"groups[{len(groups)}] {code}", INFO_SHEET, row)
        if code not in workbook.sheetnames:
            raise _fail(source, INFO_SHEET, row, "Mã khối", t("không có trang '{code}' cho khối này", code=code))
        group["pillars"] = _group_sheet(workbook[code], source, places, f"groups[{len(groups)}] {code}")
        groups.append(group)
        row += 1
    data["groups"] = groups
    if ENGLISH_SHEET in workbook.sheetnames:
        english = _english_sheet(workbook[ENGLISH_SHEET], source)
        if english:
            data["english"] = english
    return data


def _english_sheet(sheet, source: str) -> dict[str, str]:
    header = [_text(sheet.cell(1, column).value) for column in (1, 2)]
    if header != ENGLISH_HEADER:
        raise FrameworkError(source, f"trang '{ENGLISH_SHEET}', dòng 1",
                             t("tiêu đề cột phải là {expected}; gặp {found}", expected=' | '.join(ENGLISH_HEADER),
                               found=' | '.join(header)))
    english: dict[str, str] = {}
    for row in range(2, sheet.max_row + 1):
        vietnamese, translation = _text(sheet.cell(row, 1).value), _text(sheet.cell(row, 2).value)
        if not vietnamese and not translation:
            continue
        if not vietnamese or not translation:
            column = "A" if not vietnamese else "B"
            raise FrameworkError(source, f"trang '{ENGLISH_SHEET}', dòng {row}, cột {column}",
                                 t("mỗi dòng cần cả tên tiếng Việt và tên tiếng Anh"))
        english[vietnamese] = translation
    return english


def _group_sheet(sheet, source: str, places: _Places, group_place: str) -> list[dict]:
    name = sheet.title
    header = [_text(c.value) for c in next(sheet.iter_rows(min_row=1, max_row=1))][:len(HEADER)]
    if header[:len(ANNEX_COLUMNS)] != ANNEX_COLUMNS or header[len(ANNEX_COLUMNS):] != RULE_COLUMNS:
        padded = header + [""] * (len(HEADER) - len(header))
        wrong = next(i for i, (a, b) in enumerate(zip(padded, HEADER, strict=True)) if a != b)
        raise _fail(source, name, 1, HEADER[wrong], t("tiêu đề cột phải là '{expected}', gặp '{found}'",
                                                      expected=HEADER[wrong],
                                                      found=header[wrong] if wrong < len(header) else ''))
    pillars: list[dict] = []
    stack: dict[str, dict] = {}  # STT → its dict, to find each row's parent
    for cells in sheet.iter_rows(min_row=2):
        row = cells[0].row
        values = [c.value for c in cells[:len(HEADER)]] + [None] * (len(HEADER) - len(cells))
        stt = _text(values[COLUMN["STT"]])
        if not stt and not any(_text(v) for v in values):
            continue
        if not STT_PATTERN.match(stt):
            raise _fail(source, name, row, "STT", t("STT phải có dạng 1, 1.2 hoặc 1.2.3; gặp '{stt}'", stt=stt))
        item = _row_item(values, source, name, row, stt)
        parent_stt = stt.rpartition(".")[0]
        if not parent_stt:
            item.pop("rule", None)
            if not item.get("code") or item["code"] == stt:
                raise _fail(source, name, row, "Mã", t("dòng chỉ số chính cần mã (ví dụ NTS) ở cột Mã"))
            item["indicators"] = []
            places.add(f"{group_place} › pillars[{len(pillars)}] {item['code']}", name, row)
            pillars.append(item)
        else:
            parent = stack.get(parent_stt)
            if parent is None:
                raise _fail(source, name, row, "STT", t("không có dòng {parent_stt} đứng trước dòng {stt}",
                                                        parent_stt=parent_stt, stt=stt))
            children = parent.setdefault("indicators", [])
            parent_place = parent["_place"]
            places.add(f"{parent_place} › indicators[{len(children)}] {item['code']}", name, row)
            item["_place"] = f"{parent_place} › indicators[{len(children)}] {item['code']}"
            children.append(item)
        if not parent_stt:
            item["_place"] = f"{group_place} › pillars[{len(pillars) - 1}] {item['code']}"
        stack[stt] = item
    for pillar in pillars:
        _strip_places(pillar)
        if not pillar["indicators"]:
            del pillar["indicators"]
    return pillars


def _strip_places(item: dict) -> None:
    item.pop("_place", None)
    for child in item.get("indicators", []):
        _strip_places(child)


def _row_item(values, source, sheet, row, stt) -> dict:
    def cell(column):
        return values[COLUMN[column]]

    raw_max = cell("Điểm tối đa")
    if isinstance(raw_max, bool) or not isinstance(raw_max, int | float):
        shown = _text(raw_max)
        as_text = _is_number(shown)
        hint = " (số được ghi dạng văn bản; dùng ô kiểu số, dấu chấm thập phân)" if as_text else ""
        raise _fail(source, sheet, row, "Điểm tối đa", t("cần một ô kiểu số, gặp '{shown}'{hint}",
                                                         shown=shown, hint=hint))
    item: dict[str, Any] = {"code": _text(cell("Mã")) or stt, "name": _text(cell("Chỉ số/Chỉ số thành phần")),
                            "max_points": _max_points(source, sheet, row, raw_max)}
    for key, column in (("evidence", "Tài liệu kiểm chứng"), ("data_supplier", "Nguồn thu thập dữ liệu"),
                        ("verifier", "Đơn vị phối hợp xác minh số liệu"), ("not_applicable", "Không áp dụng"),
                        ("inferred", "Suy ra"), ("note", "Ghi chú")):
        if _text(cell(column)):
            item[key] = _text(cell(column))
    kind = _text(cell("Quy tắc"))
    if kind:
        params = _yaml_cell(cell("Tham số quy tắc (YAML)"), source, sheet, row, "Tham số quy tắc (YAML)") or {}
        if not isinstance(params, dict):
            raise _fail(source, sheet, row, "Tham số quy tắc (YAML)",
                        t("cần một bảng khóa: giá trị, ví dụ {when_zero: zero}"))
        item["rule"] = {"kind": kind, **params}
    return item


# --- writing -------------------------------------------------------------------------------------------------

def write_annex(data: dict | None, path: str | Path) -> None:
    """Write a framework (the parsed YAML of a framework file) as an annex workbook; ``None`` writes the empty
    template with one example group and the list of rule kinds."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    framework = build_framework(data, "annex") if data else None
    data = data or _TEMPLATE
    workbook = Workbook()
    info = workbook.active
    info.title = INFO_SHEET
    for row, (key, label) in enumerate(INFO_FIELDS, start=1):
        info.cell(row, 1, label).font = Font(bold=True)
        value = data.get(key)
        info.cell(row, 2, "\n".join(value) if key == "notes" and value else value)
    for column, label in enumerate(GROUP_HEADER, start=1):
        info.cell(GROUP_TABLE_ROW, column, label).font = Font(bold=True)
    info.column_dimensions["A"].width = 22
    info.column_dimensions["B"].width = 60
    info.column_dimensions["D"].width = 80
    for offset, group in enumerate(data["groups"]):
        row = GROUP_TABLE_ROW + 1 + offset
        info.cell(row, 1, group["code"])
        info.cell(row, 2, group["name"])
        info.cell(row, 3, group.get("tie_rule", "competition"))
        if group.get("grading"):
            info.cell(row, 4, _flow(group["grading"]))
        if group.get("composites"):
            info.cell(row, 5, _flow(group["composites"]))
        sheet = workbook.create_sheet(group["code"][:31])
        sheet.append(HEADER)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        engine_group = framework.group(group["code"]) if framework else None
        for number, pillar in enumerate(group["pillars"], start=1):
            _write_rows(sheet, pillar, str(number), engine_group, is_pillar=True)
        for letter, width in zip("ABCDEFGHIJKLM", (7, 50, 10, 50, 30, 22, 22, 16, 16, 40, 12, 30, 30), strict=True):
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = "C2"
    english = workbook.create_sheet(ENGLISH_SHEET)
    english.append(ENGLISH_HEADER)
    for cell in english[1]:
        cell.font = Font(bold=True)
    for vietnamese, translation in (data.get("english") or {}).items():
        english.append([vietnamese, translation])
    english.column_dimensions["A"].width = english.column_dimensions["B"].width = 70
    guide = workbook.create_sheet("Hướng dẫn")
    for line in _GUIDE:
        guide.append([line])
    guide.column_dimensions["A"].width = 140
    workbook.save(path)


def _flow(value) -> str:
    text = yaml.safe_dump(_plain(value), allow_unicode=True, default_flow_style=True, sort_keys=False, width=10_000)
    return text.strip()


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _write_rows(sheet, item: dict, stt: str, engine_group, *, is_pillar: bool) -> None:
    from openpyxl.styles import Alignment, Font

    rule = dict(item.get("rule") or {})
    kind = rule.pop("kind", "")
    description = ""
    if engine_group is not None and not is_pillar:
        indicator = next(i for _, i in engine_group.indicators() if i.code == str(item["code"]))
        description = indicator.rule.describe(indicator.max_points)
    max_points = _plain(read_number(item["max_points"]))
    row = [stt, item.get("name"), max_points, description, item.get("evidence"), item.get("data_supplier"),
           item.get("verifier"), str(item["code"]), kind, _flow(rule) if rule else None,
           item.get("not_applicable"), item.get("inferred"), item.get("note")]
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if is_pillar:
            cell.font = Font(bold=True)
    for number, child in enumerate(item.get("indicators") or [], start=1):
        _write_rows(sheet, child, f"{stt}.{number}", engine_group, is_pillar=False)


_TEMPLATE: dict[str, Any] = {
    "code": "ma-bo-chi-so", "name": "Tên bộ chỉ số", "source": "Quyết định số …/QĐ-UBND ngày …", "year": 2025,
    "groups": [{
        "code": "so-nganh", "name": "Khối sở, ban, ngành", "tie_rule": "competition",
        "grading": {"kind": "percent_bands", "bands": [
            {"grade": "Xuất sắc", "from": 90}, {"grade": "Tốt", "from": 75}, {"grade": "Khá", "from": 60},
            {"grade": "Trung bình", "from": 50}, {"grade": "Kém"}]},
        "pillars": [{"code": "NTS", "name": "Nhận thức số", "max_points": 40, "indicators": [
            {"code": "1.1", "name": "Ban Chỉ đạo chuyển đổi số họp trong năm", "max_points": 20,
             "rule": {"kind": "steps", "unit": "cuộc họp",
                      "steps": [{"at_least": 4, "points": 20}, {"at_least": 2, "points": 10}]},
             "evidence": "Thông báo kết luận cuộc họp", "data_supplier": "Đơn vị", "verifier": "Sở TT&TT"},
            {"code": "1.2", "name": "Tỷ lệ văn bản ký số", "max_points": 20,
             "rule": {"kind": "ratio", "numerator": "Số văn bản ký số", "denominator": "Tổng số văn bản",
                      "when_zero": "zero"}},
        ]}],
    }],
}

_GUIDE = [
    "Cách điền bảng phụ lục bộ chỉ số",
    "Trang 'Bộ chỉ số': mã, tên, văn bản ban hành, năm; bảng các khối (mã khối là tên trang của khối đó).",
    "Mỗi khối một trang. STT không có dấu chấm (1, 2, …) là chỉ số chính, cần Mã (ví dụ NTS); "
    "1.1 là chỉ số thành phần; 1.1.1 là chỉ số con (chỉ số cha là tổng của các chỉ số con).",
    "Điểm tối đa: ô kiểu số, dấu chấm thập phân. Điểm tối đa của các chỉ số con cộng lại phải bằng của chỉ số cha.",
    "Cột 'Cách xác định và tính điểm' dành cho người đọc; điểm được tính theo cột Quy tắc và Tham số quy tắc.",
    "Quy tắc và ví dụ tham số (YAML), xem thêm docs/framework-format.md:",
    "  steps: {unit: cuộc họp, steps: [{at_least: 4, points: 20}, {at_least: 3, points: 15}]}",
    "  ratio: {numerator: Số văn bản ký số, denominator: Tổng số văn bản, when_zero: zero}",
    "  relative_to_best: {value: Tỷ lệ hồ sơ trực tuyến}",
    "  count: {points_each: 5, unit: văn bản}",
    "  yes_no: {question: Có kế hoạch chuyển đổi số}",
    "  choice: {options: [{code: chu-tich, label: Chủ tịch, points: 20}, "
    "{code: pho, label: Phó Chủ tịch, points: 10}]}",
    "  parts: {parts: [{code: a, label: Ban hành kế hoạch, points: 10}, "
    "{code: b, label: Báo cáo đúng hạn, points: 10}]}",
    "  highest_case: {cases: [{code: qg, label: Giải quốc gia, points: 20}, "
    "{code: tinh, label: Giải cấp tỉnh, points: 10}]}",
    "  direct: (không tham số)",
    "  bonus / penalty: {points_each: 5, unit: giải thưởng} hoặc không tham số (chấm trực tiếp)",
    "  formula: {inputs: {a: Hồ sơ trực tuyến, b: Tổng hồ sơ}, expression: 'min(a / b, 1) * 20'}",
    "Không áp dụng: để trống (không cho phép), exclude (loại khỏi điểm tối đa), zero (0 điểm) hoặc full (đủ điểm).",
    "Xếp loại (YAML), ví dụ theo tỷ lệ: {kind: quota, grades: [{grade: Xuất sắc, share: 15}, {grade: Tốt, share: 20}, "
    "{grade: Khá, share: 20}, {grade: Trung bình, share: 30, remainder: true}, {grade: Kém, share: 15}]}",
    "Trang 'Tiếng Anh' (không bắt buộc): mỗi dòng một tên, xếp loại hay nhãn của bộ chỉ số và bản tiếng Anh của nó, "
    "cho các trang tiếng Anh của cổng thông tin; tên chưa có bản tiếng Anh hiện bằng tiếng Việt.",
    "Mỗi lỗi khi nhập được báo kèm trang, dòng và cột; tệp có lỗi không được nhập phần nào.",
]

