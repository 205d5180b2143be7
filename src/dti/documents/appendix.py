"""The appendix table of a results decision, one per group, as in decision 2405/QĐ-UBND.

STT | Đơn vị | Điểm tính qua khai báo (pillars, Tổng điểm) | Điểm sau khi rà soát (the same) | Xếp hạng | Xếp loại,
a group label row, the units in rank order, then the Điểm trung bình row. Numbers are rounded half up to two
decimals here and only here; the web page, the open data and the XLSX, DOCX and PDF writers all take this
table. An ``Appendix`` is a table with the heading, title and note that a decision prints above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dti.engine import STAGES, GroupResult, round_half_up
from dti.engine.results import Stage


@dataclass(frozen=True)
class AppendixRow:
    number: int
    unit: str
    ranked: bool
    declared: tuple[Decimal, ...]  # pillars, then the total, rounded half up to 2 decimals
    reviewed: tuple[Decimal, ...]
    rank: int | None
    grade: str | None


@dataclass(frozen=True)
class AppendixTable:
    group_code: str
    label: str  # the group label row
    pillars: tuple[str, ...]  # pillar names as column headers
    rows: tuple[AppendixRow, ...]
    average_declared: tuple[Decimal, ...] | None
    average_reviewed: tuple[Decimal, ...] | None
    has_unranked: bool

    @property
    def average_row(self) -> tuple[Decimal, ...] | None:
        """The average row's numbers, declared then reviewed; None when no unit is ranked."""
        if self.average_declared is None or self.average_reviewed is None:
            return None
        return (*self.average_declared, *self.average_reviewed)

    @property
    def column_count(self) -> int:
        """STT, Đơn vị, pillars and total twice, Xếp hạng, Xếp loại."""
        return 2 * (len(self.pillars) + 1) + 4


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def appendix_heading(position: int) -> str:
    """PHỤ LỤC I, II, … for the appendix at ``position`` (from 0)."""
    return f"PHỤ LỤC {ROMAN[position] if position < len(ROMAN) else position + 1}"


@dataclass(frozen=True)
class Appendix:
    heading: str  # PHỤ LỤC I
    title: str  # KẾT QUẢ XẾP HẠNG … CỦA CÁC SỞ, BAN, NGÀNH … NĂM 2023
    note: str  # (Ban hành kèm theo Quyết định số … ngày … của …)
    table: AppendixTable

    @property
    def short_heading(self) -> str:
        """"Phụ lục I": a sheet's or a file's name."""
        return "Phụ lục " + self.heading.removeprefix("PHỤ LỤC ").strip()


def _rounded(view) -> tuple[Decimal, ...]:
    return tuple(round_half_up(v) for v in (*view.pillars.values(), view.total))


def rank_order(result: GroupResult) -> list[int]:
    """The units' positions in the order a results table lists them: by rank, units of one rank in the order
    they were entered, then the units not ranked. A new period's units are entered in any order (the order they
    joined); the decision lists them as they rank."""
    unranked = len(result.units)
    return sorted(range(len(result.units)),
                  key=lambda i: (result.ranks[i] is None, result.ranks[i] or unranked, i))


def appendix_table(result: GroupResult) -> AppendixTable:
    scored = [p for p in result.group.pillars if p.scored]
    rows = []
    for number, i in enumerate(rank_order(result), start=1):
        unit = result.units[i]
        views = {stage: result.view(stage, i) for stage in STAGES}
        rows.append(AppendixRow(number, unit.name, unit.ranked,
                                declared=_pick(_rounded(views["declared"]), result, scored),
                                reviewed=_pick(_rounded(views["reviewed"]), result, scored),
                                rank=result.ranks[i], grade=result.grades[i]))

    def average(stage: Stage) -> tuple[Decimal, ...] | None:
        view = result.average(stage)
        return None if view is None else _pick(_rounded(view), result, scored)

    return AppendixTable(
        result.group.code, result.group.name, tuple(p.name for p in scored), tuple(rows),
        average_declared=average("declared"), average_reviewed=average("reviewed"),
        has_unranked=not all(u.ranked for u in result.units))


def _pick(values: tuple[Decimal, ...], result: GroupResult, scored) -> tuple[Decimal, ...]:
    """Only scored pillars are columns of the table (a pillar with max 0 is not)."""
    codes = [p.code for p in result.group.pillars]
    keep = [codes.index(p.code) for p in scored]
    return (*(values[k] for k in keep), values[-1])
