"""A unit's own report: its declared and reviewed points per pillar against the maximum and the group average,
rank and grade, a radar chart, strengths and weaknesses, what it lacks for the next grade, and every indicator
with its reviewed points and the reviewer's reason.

``unit_report`` builds the content from a scored group (no Django, no files); the writers in
``unit_report_files`` turn it into PDF and DOCX.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from dti.engine import GroupResult, format_points
from dti.engine.analysis import GradeGap, next_grade_gap
from dti.engine.points import from_micro, pts_text

from .charts import AVERAGE_COLOUR, UNIT_COLOUR, RadarChart

# How many pillars a report names as strengths and as weaknesses, and how many indicators as the furthest
# below their maximum.
STRENGTHS_SHOWN = 2
WEAKEST_INDICATORS_SHOWN = 5


@dataclass(frozen=True)
class PillarLine:
    code: str
    name: str
    max_points: Decimal
    declared: Decimal
    reviewed: Decimal
    average: Decimal | None  # the group's reviewed average; None when no unit is ranked

    @property
    def share(self) -> Decimal | None:
        return self.reviewed / self.max_points if self.max_points else None

    @property
    def average_share(self) -> Decimal | None:
        return self.average / self.max_points if self.max_points and self.average is not None else None


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    name: str
    pillar: str
    max_points: Decimal
    declared: Decimal
    reviewed: Decimal
    not_applicable: bool
    reason: str  # the reviewer's reason, when the reviewed points differ or the reviewer wrote one


def in_sentence(name: str) -> str:
    """A group's name inside a sentence: its first letter small, the rest as written ("Đơn vị UBND huyện" →
    "đơn vị UBND huyện", never "đơn vị ubnd huyện"); an acronym at the start (UBND …) stays as it is."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


# The words a report's heading begins with, which a period's name often begins with too.
ASSESSED = "ĐÁNH GIÁ CHỈ SỐ CHUYỂN ĐỔI SỐ"


@dataclass(frozen=True)
class UnitReport:
    period: str  # "Kỳ đánh giá năm 2023"
    unit: str
    group: str
    pillars: tuple[PillarLine, ...]
    max_points: Decimal
    declared_total: Decimal
    reviewed_total: Decimal
    average_total: Decimal | None
    rank: int | None
    ranked_count: int
    grade: str | None
    next_grade: GradeGap | None
    strong: tuple[PillarLine, ...]  # the pillars furthest above the group's average share, best first
    weak: tuple[PillarLine, ...]  # and furthest below it, weakest first
    indicators: tuple[IndicatorLine, ...] | None  # None: the period has points per pillar only
    furthest_below_max: tuple[str, ...]

    @property
    def heading(self) -> str:
        """The line above the unit's name, repeated at the foot of every page: "BÁO CÁO KẾT QUẢ ĐÁNH GIÁ CHỈ SỐ
        CHUYỂN ĐỔI SỐ NĂM 2023" for the period "Đánh giá chỉ số chuyển đổi số năm 2023", whose own name would
        otherwise say the same words twice."""
        period = self.period.upper()
        if period.startswith(ASSESSED):
            return f"BÁO CÁO KẾT QUẢ {ASSESSED}{period.removeprefix(ASSESSED)}"
        return f"BÁO CÁO KẾT QUẢ {ASSESSED} · {period}"

    @property
    def title(self) -> str:
        """The title of the report's file (PDF metadata)."""
        return f"Báo cáo kết quả chỉ số chuyển đổi số: {self.unit}"

    @property
    def reviewed_share(self) -> Decimal:
        return self.reviewed_total / self.max_points * 100

    @property
    def chart(self) -> RadarChart | None:
        """The radar chart of the pillars against the group average; None below three pillars."""
        if len(self.pillars) < 3:
            return None
        return RadarChart(tuple(p.name for p in self.pillars), tuple(p.share for p in self.pillars),
                          tuple(p.average_share for p in self.pillars))

    @property
    def chart_legend(self) -> tuple[tuple[str, bool, str], ...]:
        """(colour, dashed, label) of the chart's two polygons, for the document to print under it."""
        return (UNIT_COLOUR, False, self.unit), (AVERAGE_COLOUR, True, f"Trung bình {in_sentence(self.group)}")

    @property
    def next_grade_points(self) -> Decimal | None:
        """The points to the next grade to two decimals, rounded up: never promise too little."""
        return None if self.next_grade is None else self.next_grade.points.quantize(Decimal("0.01"), ROUND_CEILING)

    @property
    def next_grade_sentence(self) -> str:
        """The sentence the documents print (the pages write their own, in the reader's language)."""
        if self.grade is None:
            return "Đơn vị không tham gia xếp hạng, xếp loại."
        if self.next_grade is None or self.next_grade_points is None:
            return f"Đơn vị đã đạt loại cao nhất ({self.grade})."
        more = "hơn " if self.next_grade.strict else ""
        return (f"Để đạt loại {self.next_grade.grade}, đơn vị cần thêm {more}{pts_text(self.next_grade_points)} "
                f"điểm sau rà soát (khi kết quả các đơn vị khác không đổi).")

    @property
    def strengths(self) -> tuple[str, ...]:
        """The strong pillars as the documents print them."""
        return tuple(_compared_text(p) for p in self.strong)

    @property
    def weaknesses(self) -> tuple[str, ...]:
        return tuple(_compared_text(p) for p in self.weak)


def _share_text(points: Decimal, max_points: Decimal) -> str:
    return f"{pts_text(points)}/{pts_text(max_points)} điểm ({pts_text(points / max_points * 100)}%)"


def _compared_text(line: PillarLine) -> str:
    average = line.average_share or Decimal(0)
    return f"{line.name}: {_share_text(line.reviewed, line.max_points)}, trung bình khối {pts_text(average * 100)}%"


def unit_report(result: GroupResult, unit: int, *, period: str,
                reasons: Mapping[str, str] | None = None) -> UnitReport:
    """The report of ``result.units[unit]``; ``reasons`` maps indicator codes to the reviewer's reasons."""
    reasons = reasons or {}
    declared, reviewed = result.view("declared", unit), result.view("reviewed", unit)
    average = result.average("reviewed")
    pillars = tuple(
        PillarLine(p.code, p.name, p.max_points, declared.pillars[p.code], reviewed.pillars[p.code],
                   None if average is None else average.pillars[p.code])
        for p in result.group.pillars if p.scored)
    # (pillar, its share of max, the group's average share), the unit's best pillar against the group first
    compared = sorted(((p, share, average_share) for p in pillars
                       if (share := p.share) is not None and (average_share := p.average_share) is not None),
                      key=lambda c: c[1] - c[2], reverse=True)
    strong = tuple(p for p, share, average_share in compared[:STRENGTHS_SHOWN] if share >= average_share)
    weak = tuple(p for p, share, average_share in reversed(compared[-STRENGTHS_SHOWN:]) if share < average_share)
    indicators = _indicator_lines(result, unit, reasons)
    furthest: tuple[str, ...] = ()
    if indicators:
        below = sorted((line for line in indicators if not line.not_applicable and line.reviewed < line.max_points),
                       key=lambda line: line.max_points - line.reviewed, reverse=True)
        furthest = tuple(f"{line.code} {line.name}: {pts_text(line.reviewed)}/{pts_text(line.max_points)} điểm, "
                         f"còn thiếu {pts_text(line.max_points - line.reviewed)}"
                         for line in below[:WEAKEST_INDICATORS_SHOWN])
    return UnitReport(
        period, result.units[unit].name, result.group.name, pillars, result.group.max_points, declared.total,
        reviewed.total, None if average is None else average.total, result.ranks[unit], result.ranked_count,
        result.grades[unit], next_grade_gap(result, unit), strong, weak, indicators, furthest)


def _indicator_lines(result: GroupResult, unit: int, reasons: Mapping[str, str]) -> tuple[IndicatorLine, ...] | None:
    """Every indicator of every scored pillar, or None when the pillars' points were given as a whole."""
    given = result.reviewed.pillar_given[:, unit]
    if given.all():
        return None
    lines = []
    for p, pillar in enumerate(result.group.pillars):
        if not pillar.scored or given[p]:
            continue
        stack = list(reversed(pillar.indicators))
        while stack:
            indicator = stack.pop()
            code = indicator.code
            lines.append(IndicatorLine(
                code, indicator.name, pillar.name, indicator.max_points,
                _points(result.declared.indicator_points, code, unit),
                _points(result.reviewed.indicator_points, code, unit),
                bool(result.reviewed.not_applicable.get(code, [False] * (unit + 1))[unit]),
                reasons.get(code, "")))
            stack.extend(reversed(indicator.children))
    return tuple(lines)


def _points(points: Mapping, code: str, unit: int) -> Decimal:
    column = points.get(code)
    return Decimal(0) if column is None else from_micro(int(column[unit]))


# --- the report's words and rows as both formats print them ---------------------------------------------

PILLAR_HEADER = ("Chỉ số chính", "Tối đa", "Khai báo", "Sau rà soát", "Tỷ lệ", "TB khối")
INDICATOR_HEADER = ("Mã", "Chỉ số thành phần", "Tối đa", "Khai báo", "Sau rà soát", "Ý kiến rà soát")
CHART_NOTE = ("Tỷ lệ điểm sau rà soát trên điểm tối đa của từng chỉ số chính; các vòng là 25, 50, 75 và 100% "
              "(số liệu ở bảng trên).")
NO_INDICATORS = ("Kỳ đánh giá này công bố điểm theo chỉ số chính; không có điểm và ý kiến rà soát của từng chỉ số "
                 "thành phần.")
NOT_APPLICABLE = "không áp dụng"


def report_lists(report: UnitReport) -> list[tuple[str, tuple[str, ...], str | None]]:
    """(heading, items, what to say when there are none — None: leave the heading out) of the report's lists."""
    return [("Điểm mạnh", report.strengths, "Không có chỉ số chính nào cao hơn trung bình khối."),
            ("Điểm yếu", report.weaknesses, "Không có chỉ số chính nào thấp hơn trung bình khối."),
            ("Các chỉ số thành phần còn xa điểm tối đa nhất", report.furthest_below_max, None)]


def summary_cells(report: UnitReport) -> list[tuple[str, str]]:
    """(figure, caption) of the four boxes at the top: reviewed and declared points, rank, grade."""
    rank = f"{report.rank}/{report.ranked_count}" if report.rank else "—"
    return [(format_points(report.reviewed_total), f"điểm sau rà soát / {format_points(report.max_points)}"),
            (format_points(report.declared_total), "điểm tự khai báo"), (rank, "xếp hạng trong khối"),
            (report.grade or "—", "xếp loại")]


def pillar_rows(report: UnitReport) -> list[list[str]]:
    """The pillars' rows and the total's, as printed."""
    def optional(value):
        return format_points(value) if value is not None else ""

    rows = [[line.name, format_points(line.max_points), format_points(line.declared), format_points(line.reviewed),
             f"{format_points(line.share * 100)}%" if line.share is not None else "", optional(line.average)]
            for line in report.pillars]
    rows.append(["Tổng điểm", format_points(report.max_points), format_points(report.declared_total),
                 format_points(report.reviewed_total), f"{format_points(report.reviewed_share)}%",
                 optional(report.average_total)])
    return rows


def indicator_row(line: IndicatorLine) -> list[str]:
    return [line.code, line.name, format_points(line.max_points), format_points(line.declared),
            NOT_APPLICABLE if line.not_applicable else format_points(line.reviewed), line.reason]
