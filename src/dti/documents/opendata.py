"""Open data of a period as a Frictionless data package (https://datapackage.org): the results and the groups'
averages as CSV with the decimals the decision publishes, the exact results as JSON, a data dictionary, and
``datapackage.json``, which describes every file, column and type, names the licence and the year, and cites the
decision.

The CSV files hold the figures as the decision's appendices print them (half up to two decimals), one row per
unit, each with the identifier it keeps across years in this application and its code in the national register
of administrative units; the averages are a file of their own. The JSON is that of ``dti score``
(docs/score-json.md): exact, unrounded decimal strings, so anyone can recompute the published table. CSV files
start with a byte order mark, so that spreadsheet programs read the Vietnamese text as UTF-8, and text cells that
a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from dti.engine import STAGES, FrameworkResult

from .appendix import Appendix
from .score_output import neutralised, to_json

RESULTS_CSV = "ket-qua.csv"
AVERAGES_CSV = "trung-binh.csv"
RESULTS_JSON = "ket-qua.json"
DICTIONARY_CSV = "tu-dien-du-lieu.csv"
PACKAGE_JSON = "datapackage.json"
PACKAGE_ZIP = "du-lieu-mo.zip"
INPUTS_CSV = "du-lieu-dau-vao.csv"
INPUT_COLUMNS = ["group", "unit", "stage", "indicator", "input", "value", "not_applicable", "points_given"]
BOM = "\ufeff"

_STAGE_WORDS = {"declared": ("tự khai báo", "declared by the unit"), "reviewed": ("sau rà soát", "after review")}


@dataclass(frozen=True)
class License:
    identifier: str  # SPDX, as Data Package's licenses name them
    title: str
    path: str


# The licences a province may publish under; the settings choose one (DTI_OPEN_DATA_LICENSE).
LICENSES = {lic.identifier: lic for lic in (
    License("CC-BY-4.0", "Creative Commons Attribution 4.0 International",
            "https://creativecommons.org/licenses/by/4.0/"),
    License("CC0-1.0", "Creative Commons Zero v1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"),
    License("ODC-By-1.0", "Open Data Commons Attribution License v1.0",
            "https://opendatacommons.org/licenses/by/1-0/"),
    License("PDDL-1.0", "Open Data Commons Public Domain Dedication & License 1.0",
            "https://opendatacommons.org/licenses/pddl/1-0/"),
)}
DEFAULT_LICENSE = LICENSES["CC-BY-4.0"]


@dataclass(frozen=True)
class UnitIdentity:
    """What names a unit beyond its name, which changes with a rename or a merger."""

    identifier: int  # this application's unit, the same every year
    official_code: str = ""  # the national register's code (communes and wards); blank for departments


@dataclass(frozen=True)
class PeriodFacts:
    """What the package says of the period. ``published``: the publication's date and time in Vietnam's time
    zone (ISO 8601 with its offset), or None before publication."""

    name: str
    year: int | None = None
    state: str = ""
    published: str | None = None
    snapshot_sha256: str | None = None
    decision: str = ""  # "Quyết định số 2405/QĐ-UBND ngày 26/12/2023 của Chủ tịch UBND tỉnh"
    license: License = DEFAULT_LICENSE
    units: Mapping[tuple[str, str], UnitIdentity] = field(default_factory=dict)  # (group code, name) → identity

    def as_json(self) -> dict:
        """The period as ``ket-qua.json`` names it (docs/score-json.md)."""
        return {"name": self.name, "year": self.year, "state": self.state, "published": self.published,
                "snapshot_sha256": self.snapshot_sha256}


def open_data_files(result: FrameworkResult, appendices: Sequence[Appendix], facts: PeriodFacts) -> dict[str, bytes]:
    """File name → content: every file of the package, ``datapackage.json`` included. ``appendices``: the
    decision's, one per group of ``result``, whose rounded figures the CSV files hold."""
    tables = _tables(result, appendices, facts)
    files = {name: (BOM + _csv(table.schema, table.rows)).encode("utf-8") for name, table in tables.items()}
    files[RESULTS_JSON] = to_json(result, period=facts.as_json()).encode("utf-8")
    files[DICTIONARY_CSV] = (BOM + data_dictionary(tables)).encode("utf-8")
    files[PACKAGE_JSON] = (json.dumps(_package(result, tables, facts), ensure_ascii=False, indent=2) + "\n"
                           ).encode("utf-8")
    return files


def package_zip(files: Mapping[str, bytes]) -> bytes:
    """The package in one ZIP file, ``datapackage.json`` first: what Frictionless and CKAN open as it is."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files, key=lambda n: n != PACKAGE_JSON):
            archive.writestr(name, files[name])
    return buffer.getvalue()


# --- the tables ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Table:
    title: str
    description: str
    schema: dict
    rows: list[list]


def _points(value: Decimal | None) -> str:
    return "" if value is None else f"{value:f}"


def _field(name: str, kind: str, title: str, description: str, english: str, **extra) -> dict:
    return {"name": name, "type": kind, "title": title, "description": description, "description_en": english,
            **extra}


def _point_fields(result: FrameworkResult, pillar_codes: list[str]) -> list[dict]:
    maxima: dict[str, tuple[str, list[str]]] = {}
    for g in result.groups:
        for p in g.group.pillars:
            if p.scored:
                maxima.setdefault(p.code, (p.name, []))[1].append(f"{g.group.name}: {p.max_points}")
    fields = []
    for stage in STAGES:
        vi, en = _STAGE_WORDS[stage]
        for code in pillar_codes:
            name, limits = maxima[code]
            fields.append(_field(f"{stage}.{code}", "number", f"{name} ({vi})",
                                 f"Điểm {vi} của chỉ số chính {name}, làm tròn như quyết định công bố "
                                 f"(tối đa {'; '.join(limits)}); trống ở khối không có chỉ số chính này",
                                 f"Points {en} of pillar {code}, rounded as the decision publishes them"))
        fields.append(_field(f"{stage}.total", "number", f"Tổng điểm ({vi})",
                             f"Tổng điểm {vi}, làm tròn như quyết định công bố",
                             f"Total points {en}, rounded as the decision publishes them"))
    return fields


def _pillar_cells(codes: list[str], columns: list[str], values: tuple[Decimal, ...]) -> list[str]:
    """A group's appendix figures (its pillars, then the total) under every group's pillar columns."""
    shown = dict(zip(codes, values, strict=False))
    return [_points(shown.get(code)) for code in columns] + [_points(values[-1])]


def _tables(result: FrameworkResult, appendices: Sequence[Appendix], facts: PeriodFacts) -> dict[str, _Table]:
    by_group = {a.table.group_code: a.table for a in appendices}
    pillar_codes: list[str] = []
    for g in result.groups:
        pillar_codes += [p.code for p in g.group.pillars if p.scored and p.code not in pillar_codes]
    group_codes = [g.group.code for g in result.groups]
    grades = list(dict.fromkeys(grade for g in result.groups if g.group.grading for grade in g.group.grading.grades))
    common = [
        _field("year", "integer", "Năm", "Năm đánh giá", "Year assessed"),
        _field("group", "string", "Mã khối", "Mã khối đơn vị ("
               + "; ".join(f"{g.group.code} = {g.group.name}" for g in result.groups) + ")",
               "Code of the group of units", constraints={"required": True, "enum": group_codes}),
        _field("group_name", "string", "Khối", "Tên khối đơn vị", "Name of the group of units"),
    ]
    unit_fields = [
        *common,
        _field("unit_id", "integer", "Mã đơn vị", "Mã đơn vị trong phần mềm, không đổi qua các năm và khi đổi tên",
               "The unit's identifier, the same every year and through a rename"),
        _field("official_code", "string", "Mã hành chính",
               "Mã đơn vị hành chính (danh mục quốc gia): 5 chữ số của xã, phường; 3 chữ số của huyện trước "
               "01/7/2025; trống với sở, ngành",
               "Code in the national register of administrative units: a commune's or ward's five digits, a "
               "district's three before 1 July 2025",
               constraints={"pattern": "[0-9]{5}|[0-9]{3}"}),
        _field("unit", "string", "Đơn vị", "Tên đơn vị như quyết định ghi", "Unit name as in the decision",
               constraints={"required": True}),
        _field("ranked", "boolean", "Được xếp hạng",
               "Đơn vị có được xếp hạng, xếp loại và tính vào điểm trung bình không",
               "Whether the unit is ranked, graded and counted in the average", trueValues=["yes"],
               falseValues=["no"]),
        *_point_fields(result, pillar_codes),
        _field("rank", "integer", "Xếp hạng", "Thứ hạng trong khối theo tổng điểm sau rà soát chưa làm tròn; trống "
               "với đơn vị không xếp hạng", "Rank in the group by the unrounded reviewed total",
               constraints={"minimum": 1}),
        _field("grade", "string", "Xếp loại", "Xếp loại (" + ", ".join(grades) + ")", "Grade",
               constraints={"enum": grades}),
    ]
    average_fields = [
        *common,
        _field("units_averaged", "integer", "Số đơn vị tính trung bình", "Số đơn vị được xếp hạng của khối",
               "Number of ranked units averaged"),
        *_point_fields(result, pillar_codes),
    ]
    units, averages = [], []
    for g in result.groups:
        table = by_group[g.group.code]
        points = partial(_pillar_cells, [p.code for p in g.group.pillars if p.scored], pillar_codes)
        head = [facts.year, g.group.code, g.group.name]
        for row in table.rows:
            identity = facts.units.get((g.group.code, row.unit))
            units.append([*head, identity.identifier if identity else "", identity.official_code if identity else "",
                          row.unit, "yes" if row.ranked else "no", *points(row.declared), *points(row.reviewed),
                          "" if row.rank is None else row.rank, row.grade or ""])
        if table.average_declared is not None and table.average_reviewed is not None:
            averages.append([*head, g.ranked_count, *points(table.average_declared),
                             *points(table.average_reviewed)])
    return {
        RESULTS_CSV: _Table("Kết quả của từng đơn vị", "Điểm tự khai báo và sau rà soát theo chỉ số chính, tổng "
                            "điểm, xếp hạng và xếp loại của từng đơn vị, theo thứ hạng trong khối",
                            {"fields": unit_fields, "primaryKey": ["group", "unit"], "missingValues": [""]}, units),
        AVERAGES_CSV: _Table("Điểm trung bình của từng khối", "Điểm trung bình của các đơn vị được xếp hạng, như "
                             "dòng Điểm trung bình của phụ lục", {"fields": average_fields, "primaryKey": ["group"],
                                                                  "missingValues": [""]}, averages),
    }


def _csv(schema: dict, rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f["name"] for f in schema["fields"]])
    for row in rows:
        writer.writerow([neutralised(c) for c in row])
    return out.getvalue()


def _package(result: FrameworkResult, tables: Mapping[str, _Table], facts: PeriodFacts) -> dict:
    slug = re.sub(r"[^a-z0-9]+", "-", result.framework.code.lower()).strip("-") or "dti"
    package: dict = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": f"dti-{slug}-{facts.year}" if facts.year else f"dti-{slug}",
        "title": f"Kết quả đánh giá chỉ số chuyển đổi số: {facts.name}",
        "description": "Điểm tự khai báo và sau rà soát, xếp hạng và xếp loại của từng đơn vị; điểm trung bình "
                       "của từng khối. " + (f"Theo {facts.decision}. " if facts.decision else "")
                       + "Các tệp CSV ghi số như quyết định công bố (làm tròn nửa lên hai chữ số thập phân); "
                       f"{RESULTS_JSON} ghi số chính xác, chưa làm tròn.",
        "licenses": [{"name": facts.license.identifier, "title": facts.license.title, "path": facts.license.path}],
        "keywords": ["chuyển đổi số", "DTI", "chỉ số", str(facts.year)] if facts.year else ["chuyển đổi số", "DTI"],
        "sources": [{"title": facts.decision or result.framework.source}] if facts.decision or result.framework.source
        else [],
        **({"created": facts.published} if facts.published else {}),
        **({"version": facts.snapshot_sha256} if facts.snapshot_sha256 else {}),
        "year": facts.year,
        "framework": {"code": result.framework.code, "name": result.framework.name,
                      "source": result.framework.source},
        "resources": [],
    }
    for name, table in tables.items():
        package["resources"].append({
            "name": name.removesuffix(".csv"), "path": name, "type": "table", "title": table.title,
            "description": table.description, "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": table.schema})
    package["resources"].append({
        "name": "ket-qua-chinh-xac", "path": RESULTS_JSON,
        "type": "json", "format": "json", "mediatype": "application/json",
        "title": "Kết quả chính xác, theo khối",
        "description": "Cùng số liệu, chưa làm tròn, theo khối, kèm chỉ số chính, nhóm chỉ số và cách xếp loại"})
    package["resources"].append({
        "name": DICTIONARY_CSV.removesuffix(".csv"), "path": DICTIONARY_CSV, "type": "table", "format": "csv",
        "mediatype": "text/csv", "encoding": "utf-8", "title": "Từ điển dữ liệu",
        "description": "Mỗi cột của từng tệp CSV: kiểu và ý nghĩa, tiếng Việt và tiếng Anh",
        "schema": {"fields": [{"name": n, "type": "string"} for n in _DICTIONARY_HEADER]}})
    return package


_DICTIONARY_HEADER = ["tep", "cot", "kieu", "mo_ta", "description"]


def data_dictionary(tables: Mapping[str, _Table]) -> str:
    """One row per column of each CSV of the package: its type and meaning in Vietnamese and English."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_DICTIONARY_HEADER)
    for name, table in tables.items():
        for f in table.schema["fields"]:
            writer.writerow([neutralised(c) for c in (name, f["name"], f["type"], f["description"],
                                                      f["description_en"])])
    writer.writerow([RESULTS_JSON, "(toàn bộ)", "JSON", "Cùng số liệu, chính xác, chưa làm tròn, theo khối; mô tả "
                     f"trong {PACKAGE_JSON}", f"The same figures, exact and unrounded, by group; see {PACKAGE_JSON}"])
    writer.writerow([PACKAGE_JSON, "(toàn bộ)", "JSON", "Mô tả gói dữ liệu theo chuẩn Frictionless Data Package: "
                     "các tệp, cột, kiểu dữ liệu, giấy phép", "Frictionless Data Package descriptor"])
    return out.getvalue()


def inputs_csv(rows: Sequence[Mapping]) -> bytes:
    """Every value the units declared and the reviewers set, as the period's stored inputs hold them (rows of
    ``InputRows``: group, unit and indicators as [stage, code, {input: text}, not applicable, points given]):
    one row per input of an indicator at a stage, one with an empty input where an indicator has none (not
    applicable, or points given directly). The figures the results are computed from, for the archive."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(INPUT_COLUMNS)
    for row in rows:
        for stage, code, inputs, not_applicable, *given in row["indicators"]:
            points = given[0] if given and given[0] is not None else ""
            for name, value in sorted(inputs.items()) or [("", "")]:
                writer.writerow([neutralised(row["group"]), neutralised(row["unit"]), stage, code, neutralised(name),
                                 neutralised("" if value is None else str(value)),
                                 "yes" if not_applicable else "no", points])
    return (BOM + out.getvalue()).encode("utf-8")
