"""Properties that hold for any inputs (hypothesis)."""

from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dti.documents.results import parse_results
from dti.engine import StageInputs, UnitEntry, build_framework, score_group
from dti.engine.grading import QuotaGrading
from dti.engine.points import from_micro
from dti.engine.spec import Spec

from ..builders import QUOTA_BACNINH

RULES = [
    {"code": "1", "max_points": 20, "rule": {"kind": "steps", "steps": [{"at_least": 3, "points": 20},
                                                                         {"at_least": 1, "points": 7}]}},
    {"code": "2", "max_points": 15, "rule": {"kind": "ratio", "when_zero": "zero", "above_denominator": "cap"}},
    {"code": "3", "max_points": 10, "rule": {"kind": "count", "points_each": 3}},
    {"code": "4", "max_points": 5, "rule": {"kind": "yes_no"}},
    {"code": "5", "max_points": 10, "rule": {"kind": "choice", "options": [
        {"code": "a", "label": "A", "points": 10}, {"code": "b", "label": "B", "points": 4}]}},
    {"code": "6", "max_points": 10, "rule": {"kind": "formula", "expression": "x * 3 / 7", "inputs": {"x": "X"}}},
    {"code": "7", "max_points": 10, "rule": {"kind": "relative_to_best"}},
    {"code": "8", "max_points": 20, "rule": {"kind": "direct"}},
]
FRAMEWORK = build_framework({
    "code": "p", "name": "p", "source": "p",
    "groups": [{"code": "g", "name": "g", "grading": QUOTA_BACNINH, "pillars": [
        {"code": "A", "name": "A", "max_points": 45, "indicators": [{**r, "name": r["code"]} for r in RULES[:3]]},
        {"code": "B", "name": "B", "max_points": 55, "indicators": [{**r, "name": r["code"]} for r in RULES[3:]]},
    ]}],
}, "p.yaml")
GROUP = FRAMEWORK.groups[0]

small = st.integers(min_value=0, max_value=50)
unit_inputs = st.fixed_dictionaries({
    "1": st.fixed_dictionaries({"value": small}),
    "2": st.tuples(small, small).map(lambda ab: {"a": ab[0], "b": ab[1]}),
    "3": st.fixed_dictionaries({"count": small}),
    "4": st.fixed_dictionaries({"value": st.booleans()}),
    "5": st.fixed_dictionaries({"choice": st.sampled_from(["a", "b"])}),
    "6": st.fixed_dictionaries({"x": st.decimals(min_value=0, max_value=100, places=2)}),
    "7": st.fixed_dictionaries({"value": st.decimals(min_value=0, max_value=1, places=3)}),
    "8": st.fixed_dictionaries({"points": st.decimals(min_value=0, max_value=20, places=2)}),
})
groups = st.lists(unit_inputs, min_size=1, max_size=25)


def stage(units_inputs) -> StageInputs:
    return StageInputs(values={code: {name: [u[code][name] for u in units_inputs] for name in units_inputs[0][code]}
                               for code in units_inputs[0]})


def scored(units_inputs):
    units = tuple(UnitEntry(f"U{i}") for i in range(len(units_inputs)))
    return score_group(GROUP, units, stage(units_inputs), stage(units_inputs))


@given(groups)
def test_totals_are_the_sum_of_their_pillars_and_pillars_of_their_indicators(units_inputs):
    result = scored(units_inputs)
    score = result.reviewed
    assert (score.totals == score.pillar_points.sum(axis=0)).all()
    for p, pillar in enumerate(GROUP.pillars):
        assert (score.pillar_points[p] == sum(score.indicator_points[i.code] for i in pillar.indicators)).all()


@given(groups)
def test_points_never_exceed_max_nor_fall_below_zero(units_inputs):
    score = scored(units_inputs).reviewed
    for _, indicator in GROUP.indicators():
        points = score.indicator_points[indicator.code]
        assert (points >= 0).all() and (points <= indicator.max_micro).all()


@given(groups)
def test_ranks_are_competition_ranks_of_the_totals(units_inputs):
    result = scored(units_inputs)
    totals = result.reviewed.totals
    for i, rank in enumerate(result.ranks):
        assert rank == 1 + sum(1 for t in totals if t > totals[i])


@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=0, max_size=60, unique=True))
def test_quota_grading_gives_exactly_the_counts_its_shares_imply(totals):
    grading = QuotaGrading.from_spec(Spec(QUOTA_BACNINH, "q.yaml"))
    grades = grading.assign(np.array(totals, dtype=np.int64), Decimal(1000))
    n = len(totals)
    counts = [grades.count(g) for g in grading.grades]
    assert counts == grading.counts(n)
    expected = [int(Decimal(n * share / 100).quantize(Decimal(1), "ROUND_HALF_UP")) for share in (15, 20, 20)]
    if n >= 7:  # below seven units the shares' roundings can add up to more than the group
        assert counts[:3] == expected
        assert counts[4] == int(Decimal(n * 15 / 100).quantize(Decimal(1), "ROUND_HALF_UP"))
    # Better totals never get a worse grade.
    order = sorted(range(n), key=lambda i: -totals[i])
    positions = [grading.grades.index(grades[i]) for i in order]
    assert positions == sorted(positions)


@given(groups, st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_units(units_inputs, random):
    permutation = list(range(len(units_inputs)))
    random.shuffle(permutation)
    original = scored(units_inputs)
    shuffled_units = tuple(UnitEntry(f"U{i}") for i in permutation)
    shuffled_inputs = [units_inputs[i] for i in permutation]
    shuffled = score_group(GROUP, shuffled_units, stage(shuffled_inputs), stage(shuffled_inputs))
    for j, i in enumerate(permutation):
        assert shuffled.reviewed.totals[j] == original.reviewed.totals[i]
        assert shuffled.ranks[j] == original.ranks[i]
        assert shuffled.grades[j] == original.grades[i]
    assert shuffled.average("reviewed") == original.average("reviewed")


points = st.decimals(min_value=0, max_value=45, places=2)


@settings(max_examples=50)
@given(st.lists(st.tuples(points, points), min_size=1, max_size=12), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_rows_in_a_results_file(rows, random):
    header = ["group", "unit", "declared.A", "declared.B", "reviewed.A", "reviewed.B"]
    lines = [(i + 2, ["g", f"U{i}", str(a), str(b), str(a), str(b)]) for i, (a, b) in enumerate(rows)]
    shuffled = lines[:]
    random.shuffle(shuffled)

    def by_unit(lines):
        data = parse_results(header, lines, FRAMEWORK, "r.csv").groups["g"]
        result = score_group(GROUP, data.units, data.declared, data.reviewed)
        return {u.name: (from_micro(result.reviewed.totals[i]), result.ranks[i], result.grades[i])
                for i, u in enumerate(result.units)}

    assert by_unit(lines) == by_unit(shuffled)
