"""Results files: published or entered results of a period, read into engine inputs.

Two layouts, told apart by the header (docs/results-format.md):

* pillar level — one row per unit: ``group``, ``unit``, ``declared.<pillar>`` and ``reviewed.<pillar>`` for
  each pillar of the unit's group, optional ``declared.total`` / ``reviewed.total`` (published totals, used
  as given after a tolerance check), optional ``ranked`` (yes/no);
* indicator level — one row per unit and indicator: ``group``, ``unit``, ``indicator``, then
  ``declared.<input>`` / ``reviewed.<input>`` for the inputs of that indicator's rule, optional
  ``declared.na`` / ``reviewed.na`` (not applicable), optional ``ranked``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import NoReturn

from dti.engine import Framework, GroupData, ResultsFileError, StageInputs, UnitEntry
from dti.engine.i18n import t
from dti.engine.inputs import parse_boolean
from dti.engine.names import clean_name, name_key
from dti.engine.numbers import NumberError, read_number
from dti.engine.results import STAGES

# Refuses the file: the place (a row, a cell or the header) and the fault, both in the reader's language.
Fail = Callable[[str, str], NoReturn]


@dataclass(frozen=True)
class ResultsFile:
    source: str
    layout: str  # "pillar" or "indicator"
    groups: dict[str, GroupData]


def load_results(path: str | Path, framework: Framework) -> ResultsFile:
    from .tables import read_table

    path = Path(path)

    def fail(place: str, fault: str) -> NoReturn:
        raise ResultsFileError(path.name, place, fault)

    # The header is checked as soon as it is read: a wrong file is refused before its body is.
    header, rows = read_table(path, check_header=lambda header: check_header(header, framework, fail))
    return parse_results(header, rows, framework, path.name)


def check_header(header: list[str], framework: Framework, fail: Fail) -> None:
    """Refuses a header without the required columns, with a column twice, or with a column of neither layout."""
    for required in ("group", "unit"):
        if required not in header:
            fail(_header(), t("thiếu cột '{required}' (các cột: {value})", required=required, value=', '.join(header)))
    duplicate = next((h for h in header if header.count(h) > 1), None)
    if duplicate:
        fail(_header(), t("cột '{duplicate}' xuất hiện hai lần", duplicate=duplicate))
    if "indicator" in header:
        for column in header:
            if column in ("group", "unit", "indicator", "ranked"):
                continue
            stage, dot, _name = column.partition(".")
            if stage not in STAGES or not dot:
                fail(_header(), t("cột '{column}' không hợp lệ: cần declared.<đầu vào> hoặc reviewed.<đầu vào>",
                                  column=column))
        return
    pillar_codes = {p.code for g in framework.groups for p in g.pillars}
    for column in header:
        if column in ("group", "unit", "ranked"):
            continue
        stage, _, code = column.partition(".")
        if stage not in STAGES or (code not in pillar_codes and code != "total"):
            fail(_header(), t("cột '{column}' không hợp lệ: cần declared.<mã chỉ số chính>, "
                              "reviewed.<mã chỉ số chính>, declared.total hoặc reviewed.total "
                              "(mã có trong bộ chỉ số: {codes})", column=column, codes=', '.join(sorted(pillar_codes))))


def parse_results(
    header: list[str], rows: list[tuple[int, list[str]]], framework: Framework, source: str
) -> ResultsFile:
    def fail(place: str, fault: str) -> NoReturn:
        raise ResultsFileError(source, place, fault)

    check_header(header, framework, fail)
    if not rows:
        fail("", t("tệp không có dòng dữ liệu nào"))
    groups = {g.code: g for g in framework.groups}
    records = []
    for line, cells in rows:
        if len(cells) > len(header) and any(cells[len(header):]):
            fail(_row(line), t("có {value} ô nhưng tiêu đề chỉ có {value2} cột", value=len(cells), value2=len(header)))
        record = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))
        record["unit"] = clean_name(record["unit"])  # one writing of each name (NFC, no invisible characters)
        code = record["group"]
        if code not in groups:
            fail(_row(line), t("khối '{code}' không có trong bộ chỉ số {code2} (có: {value})",
                               code=code, code2=framework.code, value=', '.join(groups)))
        if not record["unit"]:
            fail(_row(line), t("thiếu tên đơn vị (cột 'unit')"))
        records.append((line, record))
    if "indicator" in header:
        return ResultsFile(source, "indicator", _indicator_level(header, records, groups, fail))
    return ResultsFile(source, "pillar", _pillar_level(header, records, groups, fail))


def _row(line: int) -> str:
    return t("dòng {line}", line=line)


def _cell(line: int, column: str) -> str:
    return t("dòng {line}, cột '{column}'", line=line, column=column)


def _header() -> str:
    return t("dòng tiêu đề")


def _ranked(record: dict, line: int, fail: Fail) -> bool:
    text = record.get("ranked", "")
    if not text:
        return True
    flag = parse_boolean(text)
    if flag is None:
        fail(_cell(line, "ranked"), t("cần yes/no (có/không), gặp {text}", text=repr(text)))
    return flag


def _number(record: dict, column: str, line: int, fail: Fail) -> Decimal | None:
    text = record.get(column, "")
    if not text:
        return None
    try:
        return read_number(text)
    except NumberError as exc:
        fail(_cell(line, column), t("cần một số, gặp {text}: {fault}", text=repr(text), fault=exc.fault))


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _pillar_level(header, records, groups, fail: Fail) -> dict[str, GroupData]:
    pillar_codes = {p.code for g in groups.values() for p in g.pillars}
    by_group: dict[str, list] = defaultdict(list)
    decimals = 0
    for line, record in records:
        group = groups[record["group"]]
        own = {p.code for p in group.pillars}
        for column in header:
            code = column.partition(".")[2]
            if code in pillar_codes and code not in own and record[column]:
                fail(_cell(line, column), t("khối {code} không có chỉ số chính {code2}", code=group.code, code2=code))
        values = {}
        for stage in STAGES:
            for pillar in group.pillars:
                value = _number(record, f"{stage}.{pillar.code}", line, fail)
                if value is None and pillar.scored:
                    fail(_row(line), t("thiếu điểm {stage}.{code} ({name}) của {record}", stage=stage,
                                       code=pillar.code, name=pillar.name, record=record['unit']))
                values[f"{stage}.{pillar.code}"] = value if pillar.scored else None
            values[f"{stage}.total"] = _number(record, f"{stage}.total", line, fail)
        decimals = max([decimals] + [_decimals(v) for v in values.values() if v is not None])
        by_group[group.code].append((line, record, values))
    result = {}
    for code, entries in by_group.items():
        group = groups[code]
        units = _units(entries, fail)
        # Published totals were summed before rounding: each pillar may be off by half a unit of the
        # file's last decimal place.
        scored = sum(1 for p in group.pillars if p.scored)
        tolerance = Decimal(scored) * Decimal(5).scaleb(-decimals - 1)
        stages = {}
        for stage in STAGES:
            totals = [v[f"{stage}.total"] for _, _, v in entries]
            stages[stage] = StageInputs(
                pillar_points={p.code: [v[f"{stage}.{p.code}"] for _, _, v in entries]
                               for p in group.pillars if p.scored},
                totals=totals if any(t is not None for t in totals) else None,
                total_tolerance=tolerance,
            )
        result[code] = GroupData(units, stages["declared"], stages["reviewed"])
    return result


def _units(entries, fail: Fail) -> tuple[UnitEntry, ...]:
    seen: dict[str, int] = {}
    units = []
    for line, record, _ in entries:
        name = record["unit"]
        key = name_key(name)
        if key in seen:
            fail(_row(line), t("đơn vị '{name}' đã có ở dòng {seen}", name=name, seen=seen[key]))
        seen[key] = line
        units.append(UnitEntry(name, _ranked(record, line, fail)))
    return tuple(units)


def _indicator_level(header, records, groups, fail: Fail) -> dict[str, GroupData]:
    by_group: dict[str, dict] = defaultdict(dict)  # group → unit → {"line", "ranked", "rows": {indicator: record}}
    for line, record in records:
        group = groups[record["group"]]
        leaves = {i.code: i for i in group.leaves()}
        code = record["indicator"]
        if code not in leaves:
            fail(_row(line), t("chỉ số '{code}' không phải chỉ số chấm điểm của khối {code2}",
                               code=code, code2=group.code))
        unit = by_group[group.code].setdefault(record["unit"], {"line": line, "ranked": None, "rows": {}})
        if code in unit["rows"]:
            fail(_row(line), t("đơn vị '{record}', chỉ số {code} đã có ở dòng {value}", record=record['unit'],
                               code=code, value=unit['rows'][code][0]))
        ranked = _ranked(record, line, fail) if record.get("ranked") else None
        if ranked is not None and unit["ranked"] is not None and ranked != unit["ranked"]:
            fail(_row(line), t("cột 'ranked' của đơn vị '{record}' mâu thuẫn với các dòng trước",
                               record=record['unit']))
        unit["ranked"] = ranked if ranked is not None else unit["ranked"]
        allowed = {s.name for s in leaves[code].rule.inputs(leaves[code].max_points)} | {"na"}
        for column in header:
            stage, dot, name = column.partition(".")
            if stage in STAGES and dot and record[column] and name not in allowed:
                fail(_cell(line, column), t("quy tắc của chỉ số {code} không có đầu vào '{name}' (có: {value})",
                                            code=code, name=name, value=', '.join(sorted(allowed))))
        unit["rows"][code] = (line, record)
    result = {}
    for group_code, units_map in by_group.items():
        group = groups[group_code]
        units = tuple(UnitEntry(name, True if u["ranked"] is None else u["ranked"]) for name, u in units_map.items())
        stages = {}
        for stage in STAGES:
            values: dict[str, dict[str, list]] = {}
            not_applicable: dict[str, list] = {}
            for _, indicator in group.indicators():
                if indicator.children:
                    continue
                specs = indicator.rule.inputs(indicator.max_points)
                rows = [u["rows"].get(indicator.code) for u in units_map.values()]
                values[indicator.code] = {
                    s.name: [(r[1].get(f"{stage}.{s.name}") or None) if r else None for r in rows] for s in specs}
                not_applicable[indicator.code] = [(r[1].get(f"{stage}.na") or None) if r else None for r in rows]
            stages[stage] = StageInputs(values=values, not_applicable=not_applicable)
        result[group_code] = GroupData(units, stages["declared"], stages["reviewed"])
    return result
