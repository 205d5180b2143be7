"""Monte Carlo rank intervals and grade probabilities."""

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dti.engine import StageInputs, UnitEntry
from dti.engine.analysis import fragile_grades
from dti.engine.uncertainty import UncertaintySettings, rank_uncertainty

from ..builders import framework_data, group_result, indicator
from .test_analysis import bacninh_departments

NO_NOISE = UncertaintySettings(samples=300, tolerance=Decimal(0), weight_tolerance=Decimal(0))


def two_pillar_group(points_a: list, points_b: list, grading=None, declared=None):
    """Units scored on two pillars of two direct indicators each (max 50 per indicator)."""
    data = framework_data([], grading=grading)
    data["groups"][0]["pillars"] = [
        {"code": code, "name": code, "max_points": 100,
         "indicators": [indicator({"kind": "direct"}, code=f"{code}.{k}", max_points=50) for k in (1, 2)]}
        for code in ("A", "B")]

    def inputs(a, b):
        return StageInputs(values={"A.1": {"points": a}, "A.2": {"points": a}, "B.1": {"points": b},
                                   "B.2": {"points": b}})

    units = [UnitEntry(f"Đơn vị {i + 1}") for i in range(len(points_a))]
    reviewed = inputs(points_a, points_b)
    return group_result(data, units, inputs(*declared) if declared else reviewed, reviewed)


def test_without_noise_every_interval_collapses_to_the_published_rank_and_grade():
    result = bacninh_departments()
    uncertainty = rank_uncertainty(result, NO_NOISE)
    assert list(uncertainty.low) == list(uncertainty.high) == list(uncertainty.median) == list(uncertainty.nominal)
    assert list(uncertainty.nominal) == [result.ranks[i] for i in uncertainty.units]
    for k, i in enumerate(uncertainty.units):
        assert uncertainty.grade_probability[k, uncertainty.grades.index(result.grades[i])] == 1


def test_without_noise_tied_units_keep_their_shared_rank():
    result = two_pillar_group(["40", "40", "30"], ["40", "40", "20"])
    assert result.ranks == (1, 1, 3)
    uncertainty = rank_uncertainty(result, NO_NOISE)
    assert [uncertainty.interval(i) for i in range(3)] == [(1, 1), (1, 1), (3, 3)]
    assert uncertainty.tied_with(0) == [1]


def test_a_unit_far_ahead_keeps_the_interval_1_1_and_its_grade():
    result = two_pillar_group(["50", "30", "29", "28", "27", "26"], ["50", "30", "31", "29", "28", "30"])
    uncertainty = rank_uncertainty(result, UncertaintySettings(samples=2000, tolerance=Decimal("0.05"),
                                                               weight_tolerance=Decimal("0.2"), seed=7))
    assert uncertainty.interval(0) == (1, 1)
    assert uncertainty.probability(0, result.grades[0]) == 1
    assert uncertainty.tied_with(0) == []
    # The close ones behind it do move.
    assert uncertainty.interval(1)[1] > uncertainty.interval(1)[0]
    assert 2 in uncertainty.tied_with(1)


def test_a_fixed_seed_gives_identical_results_whatever_the_number_of_workers():
    result = bacninh_departments()
    chosen = UncertaintySettings(samples=1234, seed=42)
    first = rank_uncertainty(result, chosen, workers=1)
    again = rank_uncertainty(result, chosen, workers=3)
    for name in ("median", "low", "high", "grade_probability"):
        assert np.array_equal(getattr(first, name), getattr(again, name))
    other = rank_uncertainty(result, UncertaintySettings(samples=1234, seed=43))
    assert not np.array_equal(first.grade_probability, other.grade_probability)


def test_ranks_9_and_10_of_the_2023_departments_are_fragile_at_the_kha_trung_binh_boundary():
    result = bacninh_departments()
    uncertainty = rank_uncertainty(result, UncertaintySettings(seed=2023))
    fragile = {result.ranks[f.unit]: f for f in fragile_grades(result, Decimal(5), uncertainty)}
    assert (fragile[9].grade, fragile[9].other, fragile[9].margin) == ("Khá", "Trung bình", Decimal("2.18"))
    assert (fragile[10].grade, fragile[10].other, fragile[10].margin) == ("Trung bình", "Khá", Decimal("2.18"))
    # Two points either way: under a 2 % reviewer tolerance each keeps its grade about half of the time.
    assert 0.2 < fragile[9].keeps_grade < 0.8 and 0.2 < fragile[10].keeps_grade < 0.8
    # The leader (929.35, 53.52 ahead of the next) is neither near a boundary nor at risk.
    assert 1 not in fragile
    assert uncertainty.interval(result.ranks.index(1)) == (1, 1)


def test_gap_mode_moves_only_units_whose_declaration_differs_from_review():
    result = two_pillar_group(["40", "30", "20"], ["40", "30", "20"],
                              declared=(["40", "50", "20"], ["40", "50", "20"]))
    uncertainty = rank_uncertainty(result, UncertaintySettings(samples=2000, mode="gap",
                                                               weight_tolerance=Decimal(0)))
    # Unit 2 (reviewed 120, declared 200) overtakes unit 1 (160) whenever review accepts over half its claim.
    assert uncertainty.interval(1) == (1, 2)
    assert uncertainty.interval(0) == (1, 2)
    assert uncertainty.interval(2) == (3, 3)


def test_weights_move_percent_bands_with_the_maximum():
    bands = {"kind": "percent_bands", "bands": [{"grade": "Tốt", "from": 60}, {"grade": "Khá"}]}
    # 61 % and 59 % of max in both pillars: whatever the weights, each stays at its percent and keeps its grade.
    # Were the thresholds not moved with the maximum, weights of 0.7 would put the first at 42.7 % of it.
    result = two_pillar_group(["30.5", "29.5"], ["30.5", "29.5"], grading=bands)
    uncertainty = rank_uncertainty(result, UncertaintySettings(samples=500, tolerance=Decimal(0),
                                                               weight_tolerance=Decimal("0.3")))
    assert uncertainty.probability(0, "Tốt") == 1 and uncertainty.probability(1, "Khá") == 1


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=2, max_size=8), st.integers(0, 2**32 - 1),
       st.sampled_from(["0", "0.05", "0.3"]))
def test_intervals_are_ordered_within_the_group_and_probabilities_add_up(points, seed, tolerance):
    result = two_pillar_group([str(p) for p in points], [str(50 - p) if p % 3 else str(p) for p in points])
    uncertainty = rank_uncertainty(result, UncertaintySettings(samples=200, seed=seed, tolerance=Decimal(tolerance)))
    n = len(points)
    assert ((1 <= uncertainty.low) & (uncertainty.low <= uncertainty.median)).all()
    assert ((uncertainty.median <= uncertainty.high) & (uncertainty.high <= n)).all()
    assert np.allclose(uncertainty.grade_probability.sum(axis=1), 1)


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        UncertaintySettings(samples=0)
    with pytest.raises(ValueError):
        UncertaintySettings(tolerance=Decimal("1.5"))
    with pytest.raises(ValueError):
        UncertaintySettings(mode="guess")


@pytest.mark.parametrize("tie_rule", ["competition", "dense"])
@pytest.mark.parametrize("ties", ["better", "worse"])
def test_without_noise_every_tie_rule_and_quota_tie_policy_gives_the_published_ranks_and_grades(tie_rule, ties):
    quota = {"kind": "quota", "ties": ties, "grades": [{"grade": "Tốt", "share": 50},
                                                       {"grade": "Khá", "share": 50, "remainder": True}]}
    data = framework_data([indicator({"kind": "direct"}, max_points=100)], grading=quota, tie_rule=tie_rule)
    inputs = StageInputs(values={"1.1": {"points": ["90", "80", "70", "70", "60", "60"]}})  # a tie at the quota edge
    result = group_result(data, [UnitEntry(str(i)) for i in range(6)], inputs)
    uncertainty = rank_uncertainty(result, NO_NOISE)
    assert result.grades[2] == result.grades[3] == ("Tốt" if ties == "better" else "Khá")
    assert [uncertainty.interval(i) for i in range(6)] == [(r, r) for r in result.ranks]
    assert [uncertainty.probability(i, result.grades[i]) for i in range(6)] == [1.0] * 6
