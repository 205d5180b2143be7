"""What ``dti analyse`` prints: each group's rank intervals, fragile grades, gaps, declaration accuracy and
sensitivity, as terminal tables or JSON (exact decimal strings, probabilities as numbers 0..1)."""

from __future__ import annotations

import json
from decimal import Decimal

from dti import __version__
from dti.engine import format_points
from dti.engine.analysis import GroupAnalysis, UnitAnalysis
from dti.engine.points import pts_text

from .score_output import exact, text_table

SHORTFALLS_SHOWN = 3


def share(value: float | Decimal | None, places: int = 0) -> str:
    """A probability or ratio as a percent for reading: 0.534 → '53%'."""
    if value is None:
        return "—"
    text = f"{Decimal(str(value)) * 100:.{places}f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def settings_sentence(analysis: GroupAnalysis) -> str:
    settings = analysis.uncertainty.settings
    reviewer = (f"điểm rà soát mỗi chỉ số dao động ±{share(settings.tolerance, 1)} điểm tối đa"
                if settings.mode == "share" else "điểm rà soát mỗi chỉ số có thể ở bất kỳ đâu giữa rà soát và khai báo")
    samples = f"{settings.samples:,}".replace(",", ".")
    return (f"Monte Carlo {samples} mẫu (hạt giống {settings.seed}): {reviewer}; trọng số mỗi chỉ số "
            f"chính ×(1 ± {settings.weight_tolerance}). Khoảng thứ hạng = phân vị 5–95%.")


def _unit_shortfalls(unit: UnitAnalysis, limit: int | None) -> str:
    items = unit.shortfalls[:limit] if limit else unit.shortfalls
    parts = []
    for s in items:
        step = f": {s.next_step.sentence}" if s.next_step else ""
        parts.append(f"{s.code} ({_points(s.points)}/{_points(s.max_points)}, khối cao nhất "
                     f"{_points(s.group_best)}){step}")
    return "; ".join(parts) or "—"


def group_table(analysis: GroupAnalysis) -> str:
    result, uncertainty = analysis.result, analysis.uncertainty
    names = [u.name for u in result.units]
    order = uncertainty.published_order
    blocks = [f"{result.group.name} ({result.group.code}): {len(uncertainty.units)} đơn vị xếp hạng",
              settings_sentence(analysis)]
    rows = []
    for k in order:
        i = int(uncertainty.units[k])
        grade = result.grades[i]
        keeps = share(uncertainty.probability(i, grade)) if grade else "—"
        rows.append([names[i], format_points(result.view("reviewed", i).total), str(result.ranks[i]), grade or "—",
                     str(uncertainty.median[k]), f"{uncertainty.low[k]}–{uncertainty.high[k]}", keeps,
                     str(len(uncertainty.tied_with(i)))])
    blocks.append("Khoảng thứ hạng\n" + text_table(
        ["Đơn vị", "Tổng RS", "Hạng", "Xếp loại", "Hạng trung vị", "Khoảng 5–95%", "Giữ xếp loại",
         "Đồng hạng thống kê"], rows, {1, 2, 4, 5, 6, 7}))
    if result.group.grading:
        fragile = [[names[f.unit], str(result.ranks[f.unit]), f.grade, f.other or "—",
                    format_points(f.margin) if f.margin is not None else "—", share(f.keeps_grade)]
                   for f in analysis.fragile]
        heading = (f"Xếp loại dễ thay đổi (cách ranh giới ≤ {pts_text(analysis.margin)} điểm hoặc xác suất giữ "
                   f"xếp loại < {share(analysis.least_probability)}): cần rà soát lần hai")
        blocks.append(heading + "\n" + (text_table(["Đơn vị", "Hạng", "Xếp loại", "Ranh giới với", "Cách (điểm)",
                                                    "Giữ xếp loại"], fragile, {1, 4, 5}) if fragile else "Không có."))
    rows = []
    for k in order:
        unit = analysis.unit(int(uncertainty.units[k]))
        grade_gap = (f"{format_points(unit.grade_gap.points)} → {unit.grade_gap.grade}"
                     + (" (phải vượt)" if unit.grade_gap.strict else "")) if unit.grade_gap else "—"
        rank_gap = f"{format_points(unit.rank_gap.points)} → hạng {unit.rank_gap.rank}" if unit.rank_gap else "—"
        rows.append([names[unit.unit], grade_gap, rank_gap, _unit_shortfalls(unit, SHORTFALLS_SHOWN)])
    blocks.append("Khoảng cách đến xếp loại và thứ hạng trên; điểm dễ đạt nhất (thấp hơn đơn vị tốt nhất khối "
                  "nhiều nhất)\n" + text_table(["Đơn vị", "Thiếu cho xếp loại trên", "Thiếu cho hạng trên",
                                                "Chỉ số nên cải thiện"], rows, set()))
    rows = [[str(a.rank), names[a.unit], format_points(a.declared), format_points(a.reviewed),
             format_points(a.difference), share(a.over_declaration, 1), format_points(a.absolute)]
            for a in analysis.accuracy]
    blocks.append("Độ chính xác của khai báo (1 = khai báo sát kết quả rà soát nhất)\n" + text_table(
        ["Hạng", "Đơn vị", "Tổng KB", "Tổng RS", "KB − RS", "Khai vượt", "Tổng chênh lệch tuyệt đối"], rows,
        {0, 2, 3, 4, 5, 6}))
    sensitivity = analysis.sensitivity
    rows = []
    for k in order:
        i = int(uncertainty.units[k])
        dropped, halved = sensitivity.changes(i, "dropped"), sensitivity.changes(i, "halved")
        rows.append([names[i], str(result.ranks[i])]
                    + [f"{signed_change(dropped[c])} / {signed_change(halved[c])}" for c in sensitivity.pillars])
    blocks.append("Độ nhạy: số bậc thay đổi khi bỏ / giảm một nửa từng chỉ số chính (+ lên hạng, − xuống hạng)\n"
                  + text_table(["Đơn vị", "Hạng", *sensitivity.pillars], rows,
                               set(range(1, 2 + len(sensitivity.pillars)))))
    return "\n\n".join(blocks)


def unit_table(analysis: GroupAnalysis, unit: int) -> str:
    """One unit in full: every shortfall with its next step."""
    result, found = analysis.result, analysis.unit(unit)
    lines = [f"{result.units[unit].name}: {format_points(result.view('reviewed', unit).total)} điểm, "
             f"hạng {result.ranks[unit]}, {result.grades[unit] or '—'}"]
    if result.ranks[unit] is not None:
        low, high = analysis.uncertainty.interval(unit)
        tied = [result.units[j].name for j in analysis.uncertainty.tied_with(unit)]
        lines.append(f"Khoảng thứ hạng 5–95%: {low}–{high}; đồng hạng thống kê với: {', '.join(tied) or 'không'}")
    rows = [[s.code, s.name, _points(s.points), _points(s.max_points), _points(s.group_best),
             s.next_step.sentence if s.next_step else "—"] for s in found.shortfalls]
    lines.append(text_table(["Mã", "Chỉ số", "Điểm", "Tối đa", "Cao nhất khối", "Bước tiếp theo"], rows, {2, 3, 4})
                 if rows else "Đạt điểm tối đa ở mọi chỉ số.")
    return "\n".join(lines)


def _points(value: Decimal) -> str:
    """Points in a table cell: at most two decimals, no trailing zeros (484.35, 530, 60.3)."""
    text = format_points(value)
    return text.rstrip("0").rstrip(".")


def signed_change(change: int) -> str:
    """A change of rank: +2 (up), −1 (down), 0."""
    return f"+{change}" if change > 0 else ("0" if change == 0 else f"−{-change}")



def to_table(analyses: list[GroupAnalysis]) -> str:
    return "\n\n\n".join(group_table(a) for a in analyses) + "\n"


def group_json(analysis: GroupAnalysis) -> dict:
    result, uncertainty, settings = analysis.result, analysis.uncertainty, analysis.uncertainty.settings
    units = []
    for k, i in enumerate(uncertainty.units.tolist()):
        unit = analysis.unit(i)
        accuracy = unit.accuracy
        units.append({
            "name": result.units[i].name,
            "rank": result.ranks[i],
            "grade": result.grades[i],
            "reviewed_total": exact(result.view("reviewed", i).total),
            "median_rank": int(uncertainty.median[k]),
            "rank_interval": [int(uncertainty.low[k]), int(uncertainty.high[k])],
            "grade_probability": {grade: float(uncertainty.grade_probability[k, j])
                                  for j, grade in enumerate(uncertainty.grades)},
            "statistically_tied": len(uncertainty.tied_with(i)),
            "next_grade": None if unit.grade_gap is None else {
                "grade": unit.grade_gap.grade, "points": exact(unit.grade_gap.points), "strict": unit.grade_gap.strict},
            "next_rank": None if unit.rank_gap is None else {
                "rank": unit.rank_gap.rank, "points": exact(unit.rank_gap.points)},
            "shortfalls": [{"code": s.code, "name": s.name, "pillar": s.pillar, "points": exact(s.points),
                            "max_points": exact(s.max_points), "group_best": exact(s.group_best),
                            "next_step": s.next_step.sentence if s.next_step else None}
                           for s in unit.shortfalls],
            "declaration": None if accuracy is None else {
                "declared_total": exact(accuracy.declared), "difference": exact(accuracy.difference),
                "over_declaration": exact(accuracy.over_declaration), "absolute_difference": exact(accuracy.absolute),
                "accuracy_rank": accuracy.rank,
                "pillar_differences": {c: exact(v) for c, v in accuracy.pillar_differences.items()}},
            "sensitivity": {"dropped": analysis.sensitivity.changes(i, "dropped"),
                            "halved": analysis.sensitivity.changes(i, "halved")},
        })
    return {
        "code": result.group.code,
        "name": result.group.name,
        "settings": {"samples": settings.samples, "tolerance": exact(settings.tolerance), "mode": settings.mode,
                     "weight_tolerance": exact(settings.weight_tolerance), "seed": settings.seed,
                     "quantiles": [0.05, 0.5, 0.95]},
        "fragile": [{"name": result.units[f.unit].name, "grade": f.grade, "other_grade": f.other,
                     "margin": exact(f.margin), "keeps_grade": f.keeps_grade} for f in analysis.fragile],
        "fragile_rule": {"margin": exact(analysis.margin), "least_probability": analysis.least_probability},
        "units": units,
    }


def to_json(analyses: list[GroupAnalysis]) -> str:
    return json.dumps({"dti_version": __version__, "groups": [group_json(a) for a in analyses]},
                      ensure_ascii=False, indent=2) + "\n"
