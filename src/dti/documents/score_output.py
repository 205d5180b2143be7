"""What ``dti score`` prints: a framework's results as JSON, CSV or a terminal table.

The JSON shape is documented in docs/score-json.md and kept stable. Numbers in JSON and CSV are exact and
unrounded, written as decimal strings ("619.815"); the table rounds half up to two decimals for reading.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from decimal import Decimal

from dti import __version__
from dti.engine import STAGES, FrameworkResult, GroupResult, format_points
from dti.engine.results import Stage, StageView

NOT_RANKED_NOTE = ("Đơn vị không xếp hạng được chấm điểm nhưng không được xếp hạng, xếp loại "
                   "và không tính vào điểm trung bình của khối.")
JSON_FORMAT_VERSION = 1


def exact(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _stage_json(view: StageView) -> dict:
    return {
        "pillars": {code: exact(points) for code, points in view.pillars.items()},
        "pillar_index": {code: exact(index) for code, index in view.pillar_index.items()},
        "total": exact(view.total),
        "index": exact(view.index),
        "composites": {code: {"points": exact(points), "index": exact(index)}
                       for code, (points, index) in view.composites.items()},
    }


def group_json(result: GroupResult) -> dict:
    group = result.group
    units: list[dict[str, object]] = []
    for i, unit in enumerate(result.units):
        entry: dict[str, object] = {"name": unit.name, "ranked": unit.ranked}
        entry.update((stage, _stage_json(result.view(stage, i))) for stage in STAGES)
        entry.update(rank=result.ranks[i], grade=result.grades[i])
        units.append(entry)
    averages = {stage: result.average(stage) for stage in STAGES}
    notes = [NOT_RANKED_NOTE] if not all(u.ranked for u in result.units) else []
    return {
        "code": group.code,
        "name": group.name,
        "max_points": exact(group.max_points),
        "pillars": [{"code": p.code, "name": p.name, "max_points": exact(p.max_points)} for p in group.pillars],
        "composites": [{"code": c.code, "name": c.name, "pillars": list(c.pillars), "max_points": exact(c.max_points)}
                       for c in group.composites],
        "grading": group.grading.describe() if group.grading else None,
        "tie_rule": group.tie_rule,
        "units": units,
        "ranked_units": result.ranked_count,
        "average": {stage: None if view is None else _stage_json(view) for stage, view in averages.items()},
        "notes": notes,
    }


def to_json(result: FrameworkResult, *, period: dict | None = None) -> str:
    """``period`` (open data of a published period): its name, year, publication and snapshot hash."""
    framework = result.framework
    document = {
        "format": JSON_FORMAT_VERSION,
        "engine_version": __version__,
        **({"period": period} if period else {}),
        "framework": {"code": framework.code, "name": framework.name, "source": framework.source,
                      "year": framework.year},
        "groups": [group_json(g) for g in result.groups],
        "warnings": list(result.warnings),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def pillar_columns(result: FrameworkResult) -> list[str]:
    """Pillar codes of all groups, in order of first appearance: the pillar columns of the CSV."""
    pillar_codes: list[str] = []
    for g in result.groups:
        pillar_codes += [p.code for p in g.group.pillars if p.code not in pillar_codes]
    return pillar_codes


def csv_header(result: FrameworkResult) -> list[str]:
    header = ["group", "unit", "ranked"]
    for stage in STAGES:
        header += [f"{stage}.{code}" for code in pillar_columns(result)] + [f"{stage}.total", f"{stage}.index"]
    return [*header, "rank", "grade"]


def to_csv(result: FrameworkResult) -> str:
    """One row per unit and one average row per group; exact values; pillars of all groups as columns."""
    pillar_codes = pillar_columns(result)
    header = csv_header(result)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for g in result.groups:
        rows: list[tuple[str, str, dict[Stage, StageView], int | None, str | None]] = [
            (u.name, "yes" if u.ranked else "no", {s: g.view(s, i) for s in STAGES}, g.ranks[i], g.grades[i])
            for i, u in enumerate(g.units)]
        averages = {s: average for s in STAGES if (average := g.average(s)) is not None}
        if len(averages) == len(STAGES):
            rows.append(("Điểm trung bình", "", averages, None, None))
        for name, ranked, views, rank, grade in rows:
            cells: list[object] = [g.group.code, name, ranked]
            for stage in STAGES:
                view = views[stage]
                cells += [exact(view.pillars.get(code)) or "" for code in pillar_codes]
                cells += [exact(view.total), exact(view.index)]
            cells += ["" if rank is None else rank, grade or ""]
            writer.writerow([neutralised(c) for c in cells])
    return out.getvalue()


def neutralised(cell):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe (OWASP's list: = + - @
    and the tab and carriage return that some spreadsheets skip before them)."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(cell):
        return "'" + cell
    return cell


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 1 for ch in unicodedata.normalize("NFC", text))


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def text_table(header: list[str], rows: list[list[str]], numeric: set[int]) -> str:
    """Columns padded to their widest cell (Vietnamese diacritics counted once), numbers right-aligned."""
    widths = [max(_width(r[c]) for r in [header, *rows]) for c in range(len(header))]

    def line(cells):
        return "  ".join(_pad(cell, widths[c], c in numeric) for c, cell in enumerate(cells)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def to_table(result: FrameworkResult) -> str:
    blocks = [f"{result.framework.name}\nNguồn: {result.framework.source}"]
    for g in result.groups:
        blocks.append(_group_table(g))
    if result.warnings:
        blocks.append("Cảnh báo:\n" + "\n".join(f"  - {w}" for w in result.warnings))
    return "\n\n".join(blocks) + "\n"


def _group_table(g: GroupResult) -> str:
    codes = [p.code for p in g.group.pillars]
    header = ["STT", "Đơn vị"] + [f"KB.{c}" for c in codes] + ["KB.Tổng"] + [f"RS.{c}" for c in codes]
    header += ["RS.Tổng", "Hạng", "Xếp loại"]
    rows = []
    for i, unit in enumerate(g.units):
        views = [g.view(s, i) for s in STAGES]
        rank = str(g.ranks[i]) if g.ranks[i] is not None else "—"
        rows.append([str(i + 1), unit.name + ("" if unit.ranked else " (không xếp hạng)")]
                    + [format_points(v) for view in views for v in (*view.pillars.values(), view.total)]
                    + [rank, g.grades[i] or "—"])
    averages = [average for s in STAGES if (average := g.average(s)) is not None]
    if len(averages) == len(STAGES):
        rows.append(["", "Điểm trung bình"]
                    + [format_points(v) for view in averages for v in (*view.pillars.values(), view.total)]
                    + ["", ""])
    legend = "; ".join(f"{p.code} = {p.name} (tối đa {format_points(p.max_points).removesuffix('.00')})"
                       for p in g.group.pillars)
    text = [f"{g.group.name} ({g.group.code}): {len(g.units)} đơn vị, tối đa {format_points(g.group.max_points)} điểm",
            f"KB = điểm tính qua khai báo, RS = điểm sau khi rà soát; {legend}",
            text_table(header, rows, set(range(2, len(header) - 1)))]
    if g.group.grading:
        text.append(f"Xếp loại: {g.group.grading.describe()}")
    if not all(u.ranked for u in g.units):
        text.append(NOT_RANKED_NOTE)
    return "\n".join(text)
