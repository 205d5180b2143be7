"""Ranks, grades, averages, indexes and composites."""

from decimal import Decimal as D

import numpy as np

from dti.engine import StageInputs, UnitEntry
from dti.engine.grading import QuotaGrading
from dti.engine.ranking import rank
from dti.engine.spec import Spec

from ..builders import QUOTA_BACNINH, framework_data, group_result, indicator


def test_competition_ranking_shares_a_rank_and_skips_the_next():
    assert rank(np.array([90, 80, 80, 70])).tolist() == [1, 2, 2, 4]
    assert rank(np.array([70, 80, 90, 80])).tolist() == [4, 2, 1, 2]


def test_dense_ranking_does_not_skip():
    assert rank(np.array([90, 80, 80, 70]), "dense").tolist() == [1, 2, 2, 3]


def quota(**overrides) -> QuotaGrading:
    return QuotaGrading.from_spec(Spec({**QUOTA_BACNINH, **overrides}, "t.yaml"))


def test_bacninh_quota_counts_for_the_published_group_sizes():
    grading = quota()
    assert grading.counts(17) == [3, 3, 3, 5, 3]
    assert grading.counts(8) == [1, 2, 2, 2, 1]
    assert grading.counts(3) == [0, 1, 1, 1, 0]
    assert grading.counts(1) == [0, 0, 0, 1, 0]


def test_quota_in_small_groups_never_hands_out_more_grades_than_units():
    grading = quota()
    for n in range(0, 40):
        assert sum(grading.counts(n)) == n
        assert all(c >= 0 for c in grading.counts(n))


def test_tied_units_at_a_quota_boundary_share_the_better_grade_by_default():
    totals = np.array([100, 90, 90, 80, 70, 60, 50, 40], dtype=np.int64)  # 8 units: 1/2/2/2/1
    assert quota().assign(totals, D(1000)) == ["Xuất sắc", "Tốt", "Tốt", "Khá", "Khá", "Trung bình",
                                                 "Trung bình", "Kém"]
    tied_at_boundary = np.array([100, 100, 90, 80, 70, 60, 50, 40], dtype=np.int64)
    assert quota().assign(tied_at_boundary, D(1000))[:2] == ["Xuất sắc", "Xuất sắc"]
    assert quota(ties="worse").assign(tied_at_boundary, D(1000))[:2] == ["Tốt", "Tốt"]


def band_result(bands, totals, kind="percent_bands", max_points=100):
    indicators = [indicator({"kind": "direct"}, max_points=max_points)]
    units = [UnitEntry(f"U{i}") for i in range(len(totals))]
    inputs = StageInputs(values={"1.1": {"points": [str(t) for t in totals]}})
    return group_result(framework_data(indicators, grading={"kind": kind, "bands": bands}), units, inputs)


def test_percent_bands_with_closed_lower_ends_as_in_kon_tum():
    bands = [{"grade": "Tốt", "from": 90}, {"grade": "Khá", "from": 70}, {"grade": "Trung bình", "from": 50},
             {"grade": "Kém"}]
    result = band_result(bands, ["90", "89.999999", "70", "50", "49.99"])
    assert result.grades == ("Tốt", "Khá", "Khá", "Trung bình", "Kém")


def test_percent_bands_with_open_lower_ends_as_in_lao_cai():
    bands = [{"grade": "Tốt", "from": 75, "inclusive": False}, {"grade": "Khá", "from": 50, "inclusive": False},
             {"grade": "Trung bình", "from": 25, "inclusive": False}, {"grade": "Kém"}]
    result = band_result(bands, ["75.01", "75", "50", "25", "25.000001"])
    assert result.grades == ("Tốt", "Khá", "Trung bình", "Kém", "Trung bình")


def test_point_bands():
    bands = [{"grade": "Đạt", "from": 60}, {"grade": "Chưa đạt"}]
    assert band_result(bands, ["60", "59.5"], "point_bands").grades == ("Đạt", "Chưa đạt")


def test_percent_bands_compare_the_share_of_the_maximum_and_point_bands_the_points():
    bands = [{"grade": "Tốt", "from": 80}, {"grade": "Khá", "from": 50, "inclusive": False}, {"grade": "Kém"}]
    totals = ["240", "239.999999", "150.000001", "150", "80"]  # of a maximum of 300: 80%, just under, 50% …
    assert band_result(bands, totals, max_points=300).grades == ("Tốt", "Khá", "Khá", "Kém", "Kém")
    assert band_result(bands, totals, "point_bands", max_points=300).grades == ("Tốt", "Tốt", "Tốt", "Tốt", "Tốt")
    assert band_result(bands, ["80", "79.99", "50", "50.01"], "point_bands", max_points=300).grades == \
        ("Tốt", "Khá", "Kém", "Khá")


def test_a_unit_not_ranked_is_scored_but_neither_ranked_graded_nor_averaged():
    indicators = [indicator({"kind": "direct"}, max_points=100)]
    units = [UnitEntry("A"), UnitEntry("Ngoài xếp hạng", ranked=False), UnitEntry("B")]
    inputs = StageInputs(values={"1.1": {"points": ["50", "99", "70"]}})
    result = group_result(framework_data(indicators), units, inputs)
    assert result.ranks == (2, None, 1)
    assert result.grades[1] is None
    assert result.view("reviewed", 1).total == 99
    assert result.average("reviewed").total == 60


def test_averages_are_exact_and_indexes_are_points_over_max():
    indicators = [indicator({"kind": "direct"}, max_points=100)]
    units = [UnitEntry(n) for n in "ABC"]
    inputs = StageInputs(values={"1.1": {"points": ["10", "10", "11"]}})
    result = group_result(framework_data(indicators), units, inputs)
    average = result.average("declared")
    assert str(average.total).startswith("10.33333333333333333333")
    assert result.view("declared", 2).index == D("0.11")
    assert result.view("declared", 2).pillar_index == {"P": D("0.11")}


def test_composites_sum_their_pillars_over_their_own_max():
    data = framework_data([indicator({"kind": "direct"}, max_points=500)],
                          composites=[{"code": "CQS", "name": "Chính quyền số", "pillars": ["P"], "max_points": 700}])
    inputs = StageInputs(values={"1.1": {"points": ["350"]}})
    view = group_result(data, [UnitEntry("A")], inputs).view("reviewed", 0)
    assert view.composites == {"CQS": (D(350), D("0.5"))}
