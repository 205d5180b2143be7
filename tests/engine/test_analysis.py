"""Units whose grade hangs on a few points."""

from decimal import Decimal

from dti.documents.frameworks import load_framework
from dti.documents.results import load_results
from dti.engine import StageInputs, UnitEntry, score_framework
from dti.engine.analysis import GradeGap, near_grade_boundary, next_grade_gap

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
