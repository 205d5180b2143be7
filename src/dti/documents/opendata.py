"""Open data of a published period: the results as CSV and JSON, and a data dictionary that explains every
column.

The CSV and JSON are those of ``dti score`` (docs/score-json.md): exact, unrounded decimal strings, so anyone can
recompute the published table. The JSON also names the period. CSV files start with a byte order mark, so that
spreadsheet programs read the Vietnamese text as UTF-8, and text cells that a spreadsheet would run as a formula
are neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from dti.engine import STAGES, FrameworkResult

from .score_output import csv_header, neutralised, to_csv, to_json

RESULTS_CSV = "ket-qua.csv"
RESULTS_JSON = "ket-qua.json"
DICTIONARY_CSV = "tu-dien-du-lieu.csv"
INPUTS_CSV = "du-lieu-dau-vao.csv"
INPUT_COLUMNS = ["group", "unit", "stage", "indicator", "input", "value", "not_applicable", "points_given"]
BOM = "\ufeff"

_STAGE_WORDS = {"declared": ("tự khai báo", "declared by the unit"), "reviewed": ("sau rà soát", "after review")}


def open_data_files(result: FrameworkResult, *, period: dict) -> dict[str, bytes]:
    """File name → content. ``period``: name, year, published (ISO date) and snapshot (hash), as known."""
    return {
        RESULTS_CSV: (BOM + to_csv(result)).encode("utf-8"),
        RESULTS_JSON: to_json(result, period=period).encode("utf-8"),
        DICTIONARY_CSV: (BOM + data_dictionary(result)).encode("utf-8"),
    }


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


def data_dictionary(result: FrameworkResult) -> str:
    """One row per column of the results CSV: its type and meaning in Vietnamese and English."""
    pillars: dict[str, tuple[str, list[str]]] = {}
    for g in result.groups:
        for p in g.group.pillars:
            name, maxima = pillars.setdefault(p.code, (p.name, []))
            maxima.append(f"{g.group.name}: {p.max_points}")
    described = {
        "group": ("văn bản", "Mã khối đơn vị ("
                  + "; ".join(f"{g.group.code} = {g.group.name}" for g in result.groups) + ")",
                  "Code of the group of units"),
        "unit": ("văn bản", "Tên đơn vị; dòng 'Điểm trung bình' là trung bình của khối",
                 "Unit name; the row 'Điểm trung bình' is the group's average"),
        "ranked": ("yes/no", "Đơn vị có được xếp hạng, xếp loại và tính vào điểm trung bình không",
                   "Whether the unit is ranked, graded and counted in the average"),
        "rank": ("số nguyên", "Thứ hạng trong khối theo tổng điểm sau rà soát (chưa làm tròn)",
                 "Rank in the group by the reviewed total, unrounded"),
        "grade": ("văn bản", "Xếp loại (Xuất sắc, Tốt, Khá, Trung bình, Kém)", "Grade"),
    }
    for stage in STAGES:
        vi, en = _STAGE_WORDS[stage]
        for code, (name, maxima) in pillars.items():
            described[f"{stage}.{code}"] = (
                "số thập phân", f"Điểm {vi} của chỉ số chính {name} (tối đa {'; '.join(maxima)})",
                f"Points {en} of pillar {code}")
        described[f"{stage}.total"] = ("số thập phân", f"Tổng điểm {vi}", f"Total points {en}")
        described[f"{stage}.index"] = ("số thập phân 0–1", f"Tổng điểm {vi} chia cho điểm tối đa của khối",
                                       f"Total {en} divided by the group's maximum")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["tep", "cot", "kieu", "mo_ta", "description"])
    for column in csv_header(result):
        kind, vi, en = described[column]
        writer.writerow([neutralised(c) for c in (RESULTS_CSV, column, kind, vi, en)])
    writer.writerow([RESULTS_JSON, "(toàn bộ)", "JSON", "Cùng số liệu, cấu trúc theo khối; mô tả tại "
                     "docs/score-json.md của phần mềm dti", "Same figures by group; see docs/score-json.md"])
    return out.getvalue()
