"""Every rule kind, with its edges: b = 0, not applicable, out of range, missing input, nesting."""

from decimal import Decimal as D

import numpy as np
import pytest

from dti.engine import InputError, StageInputs, UnitEntry, build_framework
from dti.engine.rules import RULE_KINDS, Columns

from ..builders import framework_data, group_result, indicator, score_one

MEETINGS = {"kind": "steps", "unit": "cuộc họp",
            "steps": [{"at_least": 4, "points": 20}, {"at_least": 3, "points": 15},
                      {"at_least": 2, "points": 10}, {"at_least": 1, "points": 5}]}


def test_steps_map_meetings_to_points_and_explain_them():
    points, explanations, _ = score_one(MEETINGS, {"value": ["4", "3", "2", "1", "0", "7"]})
    assert points == [20, 15, 10, 5, 0, 20]
    assert explanations[0] == "4 cuộc họp → 20/20 điểm"
    assert explanations[4] == "0 cuộc họp → 0/20 điểm"


def test_steps_refuse_a_negative_count_naming_unit_indicator_and_value():
    with pytest.raises(InputError) as error:
        score_one(MEETINGS, {"value": ["2", "-1"]})
    message = str(error.value)
    assert "Đơn vị 2" in message and "1.1" in message and "'-1'" in message and "không được âm" in message


def test_a_missing_input_is_refused_with_its_label():
    with pytest.raises(InputError, match="Đơn vị 1.*thiếu giá trị"):
        score_one(MEETINGS, {"value": [None, "3"]})


RATIO = {"kind": "ratio", "numerator": "họp do Chủ tịch chủ trì", "denominator": "tổng số cuộc họp", "when_zero": "zero"}


def test_ratio_is_a_over_b_times_max_capped_where_the_framework_says_and_exact():
    capped = {**RATIO, "above_denominator": "cap"}
    points, explanations, _ = score_one(capped, {"a": ["2", "3", "5", "1"], "b": ["3", "4", "4", "8"]})
    assert points == [D("13.333333"), 15, 20, D("2.5")]
    assert explanations[0] == "2/3 × 20 → 13,33/20 điểm"
    assert "vượt mẫu số" in explanations[2]


def test_ratio_refuses_a_numerator_above_its_denominator_unless_the_framework_caps():
    with pytest.raises(InputError) as error:
        score_one(RATIO, {"a": ["2", "1001"], "b": ["3", "1000"]})
    assert "Đơn vị 2" in str(error.value) and "'1001'" in str(error.value)
    assert "tử số a lớn hơn mẫu số b" in error.value.fault


def test_ratio_reads_a_vietnamese_thousand_and_refuses_an_ambiguous_one():
    points, explanations, _ = score_one(RATIO, {"a": ["850"], "b": ["1.000.000"]})
    assert explanations[0].startswith("850/1000000 × 20")
    points, _, _ = score_one(RATIO, {"a": ["850"], "b": ["1000"]})
    assert points == [17]
    with pytest.raises(InputError) as error:
        score_one(RATIO, {"a": ["850"], "b": ["1.000"]})
    assert "hãy nhập 1000 hoặc 1" in error.value.fault


def test_steps_of_a_counted_value_refuse_a_fraction():
    whole = {**MEETINGS, "whole": True}
    assert score_one(whole, {"value": ["3"]})[0] == [15]
    with pytest.raises(InputError, match="cần một số nguyên"):
        score_one(whole, {"value": ["3,5"]})
    assert score_one(MEETINGS, {"value": ["3,5"]})[0] == [15]  # a measured value may have decimals


@pytest.mark.parametrize(("when_zero", "expected"), [("zero", 0), ("full", 20)])
def test_ratio_with_zero_denominator_follows_the_framework(when_zero, expected):
    points, explanations, _ = score_one({**RATIO, "when_zero": when_zero}, {"a": ["0"], "b": ["0"]})
    assert points == [expected]
    assert "mẫu số bằng 0" in explanations[0]


def test_ratio_with_zero_denominator_as_not_applicable_uses_the_indicator_policy():
    points, explanations, _ = score_one({**RATIO, "when_zero": "not_applicable"}, {"a": ["0", "1"], "b": ["0", "2"]},
                                        not_applicable="full")
    assert points == [20, 10]
    assert explanations[0].startswith("Không áp dụng")


def test_ratio_refuses_text_for_a_number():
    with pytest.raises(InputError, match="cần một số"):
        score_one(RATIO, {"a": ["hai"], "b": ["3"]})


def test_relative_to_best_divides_by_the_best_applicable_unit():
    rule = {"kind": "relative_to_best", "value": "Tỷ lệ hồ sơ trực tuyến"}
    points, explanations, _ = score_one(rule, {"value": ["0.5", "0.8", "0.4"]})
    assert points == [D("12.5"), 20, 10]
    assert explanations[0] == "0,5 so với cao nhất khối 0,8 → 12,5/20 điểm"


def test_relative_to_best_gives_zero_to_everyone_when_the_best_is_zero():
    points, _, _ = score_one({"kind": "relative_to_best"}, {"value": ["0", "0"]})
    assert points == [0, 0]


def test_count_is_capped_at_max():
    rule = {"kind": "count", "points_each": 5, "unit": "văn bản"}
    points, explanations, _ = score_one(rule, {"count": ["0", "3", "9"]})
    assert points == [0, 15, 20]
    assert explanations[1] == "3 văn bản × 5 → 15/20 điểm"


def test_count_refuses_a_fraction():
    with pytest.raises(InputError, match="số nguyên"):
        score_one({"kind": "count", "points_each": 5}, {"count": ["1.5"]})


def test_yes_no_reads_vietnamese_and_english_answers():
    points, explanations, _ = score_one({"kind": "yes_no", "question": "Có kế hoạch"},
                                        {"value": ["có", "không", "yes", "0"]})
    assert points == [20, 0, 20, 0]
    assert explanations[:2] == ["Có → 20/20 điểm", "Không → 0/20 điểm"]


def test_yes_no_refuses_anything_else():
    with pytest.raises(InputError, match="cần có/không"):
        score_one({"kind": "yes_no"}, {"value": ["có lẽ"]})


CHOICE = {"kind": "choice", "question": "Trưởng ban chỉ đạo",
          "options": [{"code": "chu-tich", "label": "Bí thư hoặc Chủ tịch", "points": 20},
                      {"code": "pho", "label": "Phó Chủ tịch", "points": 10},
                      {"code": "khong", "label": "Chưa thành lập", "points": 0}]}


def test_choice_gives_each_answer_its_points():
    points, explanations, _ = score_one(CHOICE, {"choice": ["chu-tich", "pho", "khong"]})
    assert points == [20, 10, 0]
    assert explanations[1] == "Phó Chủ tịch → 10/20 điểm"


def test_choice_refuses_an_unknown_answer_and_lists_the_allowed_ones():
    with pytest.raises(InputError, match="chu-tich, pho, khong"):
        score_one(CHOICE, {"choice": ["giam-doc"]})


PARTS = {"kind": "parts", "parts": [{"code": "ke_hoach", "label": "Có kế hoạch", "points": 10},
                                    {"code": "bao_cao", "label": "Có báo cáo", "points": 10}]}


def test_parts_add_up():
    points, explanations, _ = score_one(PARTS, {"ke_hoach": ["có", "có", "không"], "bao_cao": ["có", "không", "không"]})
    assert points == [20, 10, 0]
    assert explanations[1] == "đạt: Có kế hoạch → 10/20 điểm"
    assert explanations[2] == "không đạt phần nào → 0/20 điểm"


def test_highest_case_takes_the_best_applicable_case():
    rule = {"kind": "highest_case", "cases": [{"code": "tinh", "label": "Giải cấp tỉnh", "points": 10},
                                              {"code": "quoc_gia", "label": "Giải quốc gia", "points": 20}]}
    points, explanations, _ = score_one(rule, {"tinh": ["có", "có", "không"], "quoc_gia": ["có", "không", "không"]})
    assert points == [20, 10, 0]
    assert explanations[0] == "trường hợp cao nhất: Giải quốc gia → 20/20 điểm"


def test_direct_points_are_checked_against_max():
    points, explanations, _ = score_one({"kind": "direct"}, {"points": ["12.5", "0", "20"]})
    assert points == [D("12.5"), 0, 20]
    assert explanations[0] == "Chấm trực tiếp → 12,5/20 điểm"
    with pytest.raises(InputError, match="vượt điểm tối đa"):
        score_one({"kind": "direct"}, {"points": ["20.01"]})


FORMULA = {"kind": "formula", "expression": "min(a / b, 1) * 20",
           "inputs": {"a": "Hồ sơ trực tuyến", "b": "Tổng hồ sơ"}}


def test_formula_is_evaluated_exactly_and_limited_to_max():
    points, explanations, _ = score_one(FORMULA, {"a": ["1", "3", "9"], "b": ["3", "4", "4"]})
    assert points == [D("6.666667"), 15, 20]
    assert explanations[1] == "min(a / b, 1) * 20 với a = 3, b = 4 → 15/20 điểm"


def test_formula_with_a_conditional_and_a_literal_decimal():
    rule = {"kind": "formula", "expression": "neu(a >= 0.5, 20, a * 20)", "inputs": {"a": "Tỷ lệ"}}
    points, _, _ = score_one(rule, {"a": ["0.25", "0.75"]})
    assert points == [5, 20]


def test_formula_division_by_zero_names_the_unit():
    with pytest.raises(InputError, match="Đơn vị 2.*chia cho 0"):
        score_one(FORMULA, {"a": ["1", "1"], "b": ["2", "0"]})


def test_formula_cannot_reach_python():
    from dti.engine import FrameworkError

    for expression in ("__import__('os').system('true')", "a.__class__", "open('x')", "[a for a in b]"):
        with pytest.raises(FrameworkError, match="công thức"):
            score_one({**FORMULA, "expression": expression}, {"a": ["1"], "b": ["1"]})


@pytest.mark.parametrize(("policy", "expected"), [("zero", [0, 15]), ("full", [20, 15])])
def test_not_applicable_zero_or_full(policy, expected):
    points, explanations, _ = score_one(MEETINGS, {"value": [None, "3"]}, na=["có", ""],
                                        **{"not_applicable": policy})
    assert points == expected
    assert explanations[0].startswith("Không áp dụng")


def test_not_applicable_excluded_rescales_the_pillar_to_its_max():
    indicators = [indicator(MEETINGS, "1.1", not_applicable="exclude"), indicator({"kind": "direct"}, "1.2", 30)]
    units = [UnitEntry("A"), UnitEntry("B")]
    inputs = StageInputs(values={"1.1": {"value": [None, "4"]}, "1.2": {"points": ["15", "15"]}},
                         not_applicable={"1.1": ["có", None]})
    result = group_result(framework_data(indicators), units, inputs)
    # A: 15 of the 30 points it could get → 25 of 50; B: 20 + 15.
    assert [result.view("reviewed", i).pillars["P"] for i in range(2)] == [25, 35]


def test_the_rescaled_pillar_is_rounded_half_up_to_the_micro_point():
    indicators = [indicator(MEETINGS, "1.1", not_applicable="exclude"), indicator({"kind": "direct"}, "1.2", 30)]
    inputs = StageInputs(values={"1.1": {"value": [None, None]}, "1.2": {"points": ["1", "0.5"]}},
                         not_applicable={"1.1": ["có", "có"]})
    result = group_result(framework_data(indicators), [UnitEntry("A"), UnitEntry("B")], inputs)
    # 1 × 50 / 30 = 1.6666666…, 0.5 × 50 / 30 = 0.8333333…: the seventh digit decides, up from half.
    assert [result.view("reviewed", i).pillars["P"] for i in range(2)] == [D("1.666667"), D("0.833333")]


def test_not_applicable_is_refused_where_the_framework_does_not_allow_it():
    with pytest.raises(InputError, match="không cho phép"):
        score_one(MEETINGS, {"value": [None]}, na=["có"])


def test_nested_indicators_sum_with_bonus_and_penalty():
    children = [indicator(MEETINGS, "1.1.1"), indicator({"kind": "yes_no"}, "1.1.2", 10),
                indicator({"kind": "bonus", "points_each": 2, "unit": "giải thưởng"}, "1.1.3", 5),
                indicator({"kind": "penalty"}, "1.1.4", 50)]
    parent = {"code": "1.1", "name": "Lãnh đạo", "max_points": 30, "indicators": children}
    units = [UnitEntry("A"), UnitEntry("B")]
    inputs = StageInputs(values={"1.1.1": {"value": ["4", "1"]}, "1.1.2": {"value": ["có", "không"]},
                                 "1.1.3": {"count": ["4", "0"]}, "1.1.4": {"points": ["0", "40"]}})
    result = group_result(framework_data([parent], max_points=30), units, inputs)
    a, b = (result.view("reviewed", i).pillars["P"] for i in range(2))
    assert a == 35  # 20 + 10 + bonus capped at 5: bonus lifts a pillar above its max
    assert b == 0  # 5 + 0 − 40 never goes below zero
    assert result.explain("reviewed", 0, "1.1.3") == "Điểm thưởng: 4 giải thưởng × 2 → +5 điểm (tối đa 5)"
    assert result.explain("reviewed", 0, "1.1") == "1.1.1 (20) + 1.1.2 (10) + 1.1.3 (5) + 1.1.4 (0) → 35/30 điểm"


def test_typed_numpy_columns_are_checked_without_a_python_loop():
    points, _, _ = score_one({"kind": "count", "points_each": 5}, {"count": np.array([0, 2, 10])})
    assert points == [0, 10, 20]
    with pytest.raises(InputError, match="Đơn vị 2.*không được âm"):
        score_one({"kind": "count", "points_each": 5}, {"count": np.array([0, -2])})
    with pytest.raises(InputError, match="float"):
        score_one({"kind": "steps", **{k: v for k, v in MEETINGS.items() if k != "kind"}},
                  {"value": np.array([1.5])})


def test_a_formula_over_integer_columns_divides_exactly():
    points, _, _ = score_one(FORMULA, {"a": np.array([1, 2]), "b": np.array([3, 3])})
    assert points == [D("6.666667"), D("13.333333")]


@pytest.mark.parametrize(("rule", "values", "sentence"), [
    ({"kind": "count", "points_each": 5, "unit": "cuộc họp BCĐ"}, {"count": [3]}, "thêm 1 cuộc họp BCĐ → +5 điểm"),
    ({"kind": "count", "points_each": 6, "unit": "lớp"}, {"count": [3]}, "thêm 1 lớp → +2 điểm"),  # up to max 20
    ({"kind": "count", "points_each": 5, "unit": "lớp"}, {"count": [4]}, None),
    ({"kind": "steps", "unit": "%", "steps": [{"at_least": 90, "points": 20}, {"at_least": 50, "points": 10}]},
     {"value": ["40"]}, "đạt 50 % → +10 điểm"),
    ({"kind": "steps", "unit": "cuộc họp", "whole": True,  # a counted value: an integer column
      "steps": [{"at_least": 4, "points": 20}, {"at_least": 2, "points": 10}]},
     {"value": ["3"]}, "đạt 4 cuộc họp → +10 điểm"),
    ({"kind": "ratio", "numerator": "Số TTHC trực tuyến", "denominator": "Tổng số TTHC", "when_zero": "zero"},
     {"a": ["3"], "b": ["8"]}, "thêm 1 vào “Số TTHC trực tuyến” (4/8) → +2,5 điểm"),
    ({"kind": "ratio", "when_zero": "zero"}, {"a": ["8"], "b": ["8"]}, None),
    ({"kind": "yes_no", "question": "Ban hành kế hoạch"}, {"value": ["không"]}, "Ban hành kế hoạch: đạt → +20 điểm"),
    ({"kind": "choice", "question": "Mức", "options": [
        {"code": "a", "label": "Mức 4", "points": 20}, {"code": "b", "label": "Mức 3", "points": 12},
        {"code": "c", "label": "Mức 2", "points": 5}]}, {"choice": ["c"]}, "Mức 3 → +7 điểm"),
    ({"kind": "parts", "parts": [{"code": "p", "label": "Có quy chế", "points": 5},
                                 {"code": "q", "label": "Có kế hoạch", "points": 15}]},
     {"p": ["có"], "q": ["không"]}, "đạt thêm: Có kế hoạch → +15 điểm"),
    ({"kind": "highest_case", "cases": [{"code": "x", "label": "Cấp tỉnh", "points": 20},
                                        {"code": "y", "label": "Cấp huyện", "points": 10}]},
     {"x": ["không"], "y": ["có"]}, "Cấp tỉnh → +10 điểm"),
    ({"kind": "direct"}, {"points": ["12.5"]}, "đạt mức tối đa 20 điểm → +7,5 điểm"),
    ({"kind": "formula", "expression": "x * 2", "inputs": {"x": "X"}}, {"x": ["3"]}, None),
])
def test_each_rule_says_the_next_step_that_gains_points(rule, values, sentence):
    _, _, result = score_one(rule, values)
    columns = result.reviewed.columns["1.1"]
    indicator = result.group.pillars[0].indicators[0]
    step = indicator.rule.next_step(columns, 0, int(result.reviewed.indicator_points["1.1"][0]), indicator.max_points)
    assert (step.sentence if step else None) == sentence


def test_relative_to_best_and_penalties_say_their_next_step():
    _, _, result = score_one({"kind": "relative_to_best", "value": "Số dịch vụ"}, {"value": ["5", "8"]})
    rule, columns = result.group.pillars[0].indicators[0].rule, result.reviewed.columns["1.1"]
    points = result.reviewed.indicator_points["1.1"]
    assert rule.next_step(columns, 0, int(points[0]), D(20)).sentence == \
        "đạt 8 (bằng đơn vị cao nhất khối) → +7,5 điểm"
    assert rule.next_step(columns, 1, int(points[1]), D(20)) is None
    penalty = RULE_KINDS["penalty"](D(2), "lần vi phạm")
    columns = Columns({"count": np.array([3])}, np.array([True]))
    counted = penalty.score(columns, D(5))
    # 3 violations × 2 = 6, held at the cap of 5: one fewer gives 4, so it gains 1 point, not 2.
    assert penalty.next_step(columns, 0, int(counted[0]), D(5)).sentence == "bớt 1 lần vi phạm → +1 điểm"


def test_a_preview_relative_to_the_best_is_scored_with_the_group_and_skips_what_cannot_be_read():
    from dti.engine.scoring import points_together, preview_indicator

    framework = build_framework(framework_data([indicator({"kind": "relative_to_best", "value": "Số dịch vụ"})]),
                                "t.yaml")
    target = framework.groups[0].pillars[0].indicators[0]
    alone = preview_indicator(target, {"value": "4"}, unit_name="Xã A")
    assert alone.points == 20 and alone.depends_on_group
    # Another unit's unreadable entry ("hai") says nothing about this unit's points and names no one.
    with_group = preview_indicator(target, {"value": "4"}, unit_name="Xã A",
                                   others=[{"value": "5"}, {"value": "hai"}, {"value": "2"}])
    assert with_group.points == 16 and with_group.explanation == "4 so với cao nhất khối 5 → 16/20 điểm"
    with pytest.raises(InputError, match="Xã A"):
        preview_indicator(target, {"value": "bốn"}, unit_name="Xã A", others=[{"value": "5"}])
    assert points_together(target, [{"value": "4"}, {"value": "hai"}, {"value": "5"}]) == [16, None, 20]
    # A rule that does not compare units ignores the others.
    count = build_framework(framework_data([indicator({"kind": "count", "points_each": 5})]), "t.yaml").groups[0]
    assert preview_indicator(count.pillars[0].indicators[0], {"count": "1"}, others=[{"count": "x"}]).points == 5
