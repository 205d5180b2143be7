"""Units whose grade hangs on a few points."""

from decimal import Decimal

from dti.documents.frameworks import load_framework
from dti.documents.results import load_results
from dti.engine import StageInputs, UnitEntry, score_framework
from dti.engine.analysis import (
    GradeGap,
    RankGap,
    declaration_accuracy,
    near_grade_boundary,
    next_grade_gap,
    next_rank_gap,
    pillar_sensitivity,
    reviewer_adjustments,
    shortfalls,
)

from ..builders import framework_data, group_result, indicator
from ..conftest import BACNINH_DATA, BACNINH_FRAMEWORK


def bacninh_departments():
    framework = load_framework(BACNINH_FRAMEWORK)
    return score_framework(framework, load_results(BACNINH_DATA, framework).groups).groups[0]


def test_ranks_9_and_10_of_the_2023_departments_are_fragile_at_the_kha_trung_binh_boundary():
    result = bacninh_departments()
    fragile = near_grade_boundary(result, Decimal(5))
    names = [result.units[i].name for i in fragile]
    assert "Sở Khoa học và Công nghệ" in names and "Sở Công thương" in names  # 734.82 (Khá) and 732.64 (TB)
    assert [result.ranks[i] for i in fragile if result.ranks[i] in (9, 10)] == [9, 10]


def test_a_zero_margin_flags_only_ties_across_a_boundary_and_a_wide_one_flags_more():
    result = bacninh_departments()
    assert near_grade_boundary(result, Decimal(0)) == []
    assert len(near_grade_boundary(result, Decimal(50))) > len(near_grade_boundary(result, Decimal(5)))


def test_a_band_threshold_is_a_boundary_even_without_a_neighbour():
    bands = {"kind": "percent_bands", "bands": [{"grade": "Tốt", "from": 90}, {"grade": "Khá"}]}
    inputs = StageInputs(values={"1.1": {"points": ["89", "50"]}})
    result = group_result(framework_data([indicator({"kind": "direct"}, max_points=100)], grading=bands),
                          [UnitEntry("A"), UnitEntry("B")], inputs)
    assert near_grade_boundary(result, Decimal(2)) == [0]


def test_the_gap_to_the_next_grade_under_quotas_is_the_distance_to_the_lowest_better_unit():
    result = bacninh_departments()
    names = [u.name for u in result.units]
    knowledge = names.index("Sở Khoa học và Công nghệ")  # 734.82, Khá; the lowest Tốt is 747.83
    gap = next_grade_gap(result, knowledge)
    assert (gap.grade, gap.points, gap.strict) == ("Tốt", Decimal("13.01"), False)
    industry = names.index("Sở Công thương")  # 732.64, Trung bình: 2.18 below the lowest Khá
    assert next_grade_gap(result, industry).points == Decimal("2.18")
    assert next_grade_gap(result, result.ranks.index(1)) is None  # already Xuất sắc


def test_the_gap_to_a_band_counts_from_its_threshold_and_says_when_reaching_it_is_not_enough():
    bands = {"kind": "percent_bands",
             "bands": [{"grade": "Tốt", "from": 90}, {"grade": "Khá", "from": 70, "inclusive": False},
                       {"grade": "Kém"}]}
    inputs = StageInputs(values={"1.1": {"points": ["89.5", "60", "95"]}})
    result = group_result(framework_data([indicator({"kind": "direct"}, max_points=100)], grading=bands),
                          [UnitEntry("A"), UnitEntry("B"), UnitEntry("C")], inputs)
    assert next_grade_gap(result, 0) == GradeGap("Tốt", Decimal("0.5"), False)
    assert next_grade_gap(result, 1) == GradeGap("Khá", Decimal(10), True)
    assert next_grade_gap(result, 2) is None


def test_the_gap_to_the_next_rank_is_the_distance_to_the_unit_just_ahead():
    result = bacninh_departments()
    names = [u.name for u in result.units]
    assert next_rank_gap(result, names.index("Sở Công thương")) == RankGap(9, Decimal("2.18"))
    assert next_rank_gap(result, result.ranks.index(1)) is None


def test_declaration_accuracy_ranks_units_by_how_far_they_declared_from_review():
    result = bacninh_departments()
    rows = declaration_accuracy(result)
    knowledge = next(r for r in rows if result.units[r.unit].name == "Sở Khoa học và Công nghệ")
    assert (knowledge.declared, knowledge.reviewed, knowledge.difference) == (
        Decimal("976.06"), Decimal("734.82"), Decimal("241.24"))
    assert round(knowledge.over_declaration, 4) == Decimal("0.3283")
    assert knowledge.pillar_differences["NTS"] == Decimal(70)  # declared 100, reviewed 30
    # Pillars are the assessed items of this pillar-level data: under- and over-declaration do not cancel.
    transport = next(r for r in rows if result.units[r.unit].name == "Sở Giao thông Vận tải")
    assert transport.difference == Decimal("55.58")
    assert transport.absolute > transport.difference
    assert [r.rank for r in rows] == sorted(r.rank for r in rows)
    assert rows[0].absolute == min(r.absolute for r in rows) and rows[-1].absolute == max(r.absolute for r in rows)


def test_sensitivity_gives_each_units_rank_with_a_pillar_dropped_or_halved():
    result = bacninh_departments()
    sensitivity = pillar_sensitivity(result)
    assert sensitivity.pillars == ("NTS", "TCS", "HTS", "NLS", "ATTT", "HDCDS")
    names = [u.name for u in result.units]
    knowledge = names.index("Sở Khoa học và Công nghệ")  # 30 on NTS, the second lowest: dropping it helps
    dropped = sensitivity.changes(knowledge, "dropped")
    totals = {i: result.reviewed.totals[i] - result.reviewed.pillar_points[0, i] for i in range(len(names))}
    expected_rank = 1 + sum(totals[j] > totals[knowledge] for j in totals)
    assert dropped["NTS"] == 9 - expected_rank > 0
    assert sensitivity.largest_change(knowledge) >= dropped["NTS"]
    leader = result.ranks.index(1)
    assert sensitivity.changes(leader, "halved")["HDCDS"] == 0


def test_reviewer_statistics_count_adjusted_items_and_their_size():
    declared = StageInputs(values={"1.1": {"points": ["10", "20", "5"]}, "1.2": {"points": ["10", "10", "10"]}})
    reviewed = StageInputs(values={"1.1": {"points": ["8", "20", "5"]}, "1.2": {"points": ["4", "10", "12"]}})
    result = group_result(framework_data([indicator({"kind": "direct"}), indicator({"kind": "direct"}, code="1.2")]),
                          [UnitEntry("A"), UnitEntry("B"), UnitEntry("C")], declared, reviewed)
    by = {0: "Lan", 1: "Lan", 2: "Minh"}
    rows = {r.reviewer: r for r in reviewer_adjustments(result, lambda unit, code: by[unit])}
    lan, minh = rows["Lan"], rows["Minh"]
    assert (lan.items, lan.adjusted, lan.lowered, lan.raised) == (4, 2, 2, 0)
    assert (lan.total_change, lan.mean_absolute, lan.largest, lan.share_adjusted) == (
        Decimal(-8), Decimal(4), Decimal(-6), Decimal("0.5"))
    assert (minh.items, minh.adjusted, minh.raised, minh.mean_change) == (2, 1, 1, Decimal(2))


def test_shortfalls_put_first_what_others_in_the_group_reached_and_say_the_next_step_in_the_rules_words():
    meetings = indicator({"kind": "count", "points_each": 5, "unit": "cuộc họp BCĐ"}, code="1.1")
    portal = indicator({"kind": "yes_no", "question": "Có cổng thông tin"}, code="1.2", max_points=10)
    training = indicator({"kind": "steps", "value": "Tỷ lệ", "unit": "%",
                          "steps": [{"at_least": 80, "points": 10}, {"at_least": 50, "points": 5}]},
                         code="1.3", max_points=10)
    inputs = StageInputs(values={"1.1": {"count": [2, 4]}, "1.2": {"value": [False, False]},
                                 "1.3": {"value": ["60", "90"]}})
    result = group_result(framework_data([meetings, portal, training]), [UnitEntry("A"), UnitEntry("B")], inputs)
    found = shortfalls(result, 0)
    assert [s.code for s in found] == ["1.1", "1.3", "1.2"]  # 10 and 5 below the best, then 10 below max alone
    assert found[0].next_step.sentence == "thêm 1 cuộc họp BCĐ → +5 điểm"
    assert (found[0].below_max, found[0].below_best) == (Decimal(10), Decimal(10))
    assert found[1].next_step.sentence == "đạt 80 % → +5 điểm"
    assert found[2].next_step.sentence == "Có cổng thông tin: đạt → +10 điểm"
    assert found[2].below_best == 0
