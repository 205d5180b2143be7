"""The sentences officials read: each rule's and each grading's description (the methodology page), each rule's
explanation and next step (the unit's report), and each framework-file refusal, word for word."""

from decimal import Decimal as D

import numpy as np
import pytest

from dti.engine.errors import FrameworkError
from dti.engine.grading import grading_from_spec
from dti.engine.inputs import UnitEntry, check_column
from dti.engine.points import from_micro
from dti.engine.rules import RULE_KINDS, Columns, rule_from_spec
from dti.engine.spec import Spec

STEPS = {"kind": "steps", "value": "Số cuộc họp", "unit": "cuộc họp",
         "steps": [{"at_least": 4, "points": 20}, {"at_least": 2, "points": 10}]}
CHOICE = {"kind": "choice", "question": "Trưởng Ban", "options": [
    {"code": "ct", "label": "Chủ tịch", "points": 20}, {"code": "pct", "label": "Phó Chủ tịch", "points": 10},
    {"code": "k", "label": "Chưa có", "points": 0}]}
PARTS = {"kind": "parts", "parts": [{"code": "kh", "label": "Kế hoạch", "points": 10},
                                    {"code": "bc", "label": "Báo cáo", "points": 10}]}
CASES = {"kind": "highest_case", "cases": [{"code": "qg", "label": "Giải quốc gia", "points": 20},
                                           {"code": "t", "label": "Giải tỉnh", "points": 10}]}
FORMULA = {"kind": "formula", "inputs": {"a": "Số hồ sơ trực tuyến", "b": "Tổng số hồ sơ"},
           "expression": "min(a / b, 1) * 20"}


def rule(spec, max_points):
    return RULE_KINDS[spec["kind"]].from_spec(Spec(spec, "t.yaml", "rule"), D(max_points))


DESCRIPTIONS = [
    (STEPS, 20, "Theo bậc: từ 4 cuộc họp → 20; từ 2 cuộc họp → 10; thấp hơn → 0 điểm."),
    ({"kind": "ratio", "numerator": "Số văn bản ký số", "denominator": "Tổng số văn bản", "when_zero": "zero"}, 20,
     "a/b × 20, tối đa 20; a: Số văn bản ký số; b: Tổng số văn bản; khi b = 0: 0 điểm; a không được lớn hơn b."),
    ({"kind": "ratio", "when_zero": "full", "above_denominator": "cap"}, 20,
     "a/b × 20, tối đa 20; a: Tử số a; b: Mẫu số b; khi b = 0: 20 điểm; a > b tính tối đa."),
    ({"kind": "relative_to_best", "value": "Tỷ lệ hồ sơ"}, 20,
     "Tỷ lệ hồ sơ của đơn vị ÷ giá trị cao nhất trong khối × 20; khi mọi đơn vị bằng 0 → 0 điểm."),
    ({"kind": "count", "points_each": 5, "unit": "văn bản"}, 20, "Mỗi văn bản được 5 điểm, tối đa 20."),
    ({"kind": "yes_no", "question": "Có kế hoạch"}, 10, "Có kế hoạch: có → 10 điểm; không → 0 điểm."),
    (CHOICE, 20, "Trưởng Ban: Chủ tịch → 20; Phó Chủ tịch → 10; Chưa có → 0."),
    (PARTS, 20, "Cộng điểm các phần đạt: Kế hoạch → 10; Báo cáo → 10."),
    (CASES, 20, "Lấy trường hợp cao nhất áp dụng: Giải quốc gia → 20; Giải tỉnh → 10; không trường hợp nào → 0."),
    ({"kind": "direct"}, 20, "Chấm điểm trực tiếp từ 0 đến 20 điểm."),
    ({"kind": "bonus", "points_each": 5, "unit": "giải thưởng"}, 10,
     "Điểm thưởng: mỗi giải thưởng 5 điểm, tối đa 10 điểm."),
    ({"kind": "bonus"}, 10, "Điểm thưởng: chấm trực tiếp, tối đa 10 điểm."),
    ({"kind": "penalty", "points_each": 2, "unit": "lần vi phạm"}, 10,
     "Điểm trừ: mỗi lần vi phạm 2 điểm, tối đa 10 điểm."),
    ({"kind": "penalty"}, 10, "Điểm trừ: chấm trực tiếp, tối đa 10 điểm."),
    (FORMULA, 20, "Công thức min(a / b, 1) * 20 (a: Số hồ sơ trực tuyến; b: Tổng số hồ sơ), giới hạn 0..20."),
]


@pytest.mark.parametrize(("spec", "max_points", "sentence"), DESCRIPTIONS, ids=[d[0]["kind"] for d in DESCRIPTIONS])
def test_each_rule_describes_itself_for_the_methodology_page(spec, max_points, sentence):
    assert rule(spec, max_points).describe(D(max_points)) == sentence


GRADINGS = [
    ({"kind": "percent_bands", "bands": [{"grade": "Tốt", "from": 80}, {"grade": "Khá", "from": 50, "inclusive": False},
                                         {"grade": "Yếu"}]},
     "Theo ngưỡng điểm: Tốt: ≥ 80% điểm tối đa; Khá: > 50% điểm tối đa và < 80% điểm tối đa; "
     "Yếu: ≤ 50% điểm tối đa."),
    ({"kind": "point_bands", "bands": [{"grade": "A", "from": 800}, {"grade": "B"}]},
     "Theo ngưỡng điểm: A: ≥ 800 điểm; B: < 800 điểm."),
    ({"kind": "quota", "grades": [{"grade": "Xuất sắc", "share": 20}, {"grade": "Tốt", "share": 30},
                                  {"grade": "Khá", "share": 50, "remainder": True}]},
     "Theo tỷ lệ thứ hạng trong khối (Xuất sắc: 20%; Tốt: 30%; Khá: 50% (phần còn lại)); số đơn vị mỗi loại = "
     "n × tỷ lệ, làm tròn nửa lên; các đơn vị đồng hạng ở ranh giới nhận xếp loại cao hơn."),
]


@pytest.mark.parametrize(("spec", "sentence"), GRADINGS, ids=[g[0]["kind"] for g in GRADINGS])
def test_each_grading_describes_itself(spec, sentence):
    assert grading_from_spec(Spec(spec, "t.yaml", "grading")).describe() == sentence


# (rule, max, inputs of three units or fewer, [(points, explanation, next step or None) per unit])
SENTENCES = [
    (STEPS, 20, {"value": ["1", "2", "5"]}, [
        ("0", "1 cuộc họp → 0/20 điểm", "đạt 2 cuộc họp → +10 điểm"),
        ("10", "2 cuộc họp → 10/20 điểm", "đạt 4 cuộc họp → +10 điểm"),
        ("20", "5 cuộc họp → 20/20 điểm", None)]),
    ({"kind": "ratio", "when_zero": "zero"}, 20, {"a": ["1", "3", "0"], "b": ["4", "3", "0"]}, [
        ("5", "1/4 × 20 → 5/20 điểm", "thêm 1 vào “Tử số a” (2/4) → +5 điểm"),
        ("20", "3/3 × 20 → 20/20 điểm", None),
        ("0", "0/0: mẫu số bằng 0 → 0/20 điểm", None)]),
    ({"kind": "ratio", "when_zero": "full", "above_denominator": "cap"}, 20, {"a": ["5", "0"], "b": ["4", "0"]}, [
        ("20", "5/4 × 20 (vượt mẫu số, tính tối đa) → 20/20 điểm", None),
        ("20", "0/0: mẫu số bằng 0 → 20/20 điểm", None)]),
    ({"kind": "relative_to_best", "value": "Số dịch vụ"}, 20, {"value": ["5", "8"]}, [
        ("12.5", "5 so với cao nhất khối 8 → 12,5/20 điểm", "đạt 8 (bằng đơn vị cao nhất khối) → +7,5 điểm"),
        ("20", "8 so với cao nhất khối 8 → 20/20 điểm", None)]),
    ({"kind": "count", "points_each": 5, "unit": "văn bản"}, 20, {"count": ["0", "2", "9"]}, [
        ("0", "0 văn bản × 5 → 0/20 điểm", "thêm 1 văn bản → +5 điểm"),
        ("10", "2 văn bản × 5 → 10/20 điểm", "thêm 1 văn bản → +5 điểm"),
        ("20", "9 văn bản × 5 → 20/20 điểm", None)]),
    ({"kind": "yes_no"}, 10, {"value": ["có", "không"]}, [
        ("10", "Có → 10/10 điểm", None),
        ("0", "Không → 0/10 điểm", "Đạt yêu cầu: đạt → +10 điểm")]),
    (CHOICE, 20, {"choice": ["ct", "pct", "k"]}, [
        ("20", "Chủ tịch → 20/20 điểm", None),
        ("10", "Phó Chủ tịch → 10/20 điểm", "Chủ tịch → +10 điểm"),
        ("0", "Chưa có → 0/20 điểm", "Phó Chủ tịch → +10 điểm")]),
    (PARTS, 20, {"kh": ["có", "có", "không"], "bc": ["có", "không", "không"]}, [
        ("20", "đạt: Kế hoạch; Báo cáo → 20/20 điểm", None),
        ("10", "đạt: Kế hoạch → 10/20 điểm", "đạt thêm: Báo cáo → +10 điểm"),
        ("0", "không đạt phần nào → 0/20 điểm", "đạt thêm: Kế hoạch → +10 điểm")]),
    (CASES, 20, {"qg": ["có", "không", "không"], "t": ["có", "có", "không"]}, [
        ("20", "trường hợp cao nhất: Giải quốc gia → 20/20 điểm", None),
        ("10", "trường hợp cao nhất: Giải tỉnh → 10/20 điểm", "Giải quốc gia → +10 điểm"),
        ("0", "không trường hợp nào áp dụng → 0/20 điểm", "Giải tỉnh → +10 điểm")]),
    ({"kind": "bonus", "points_each": 5, "unit": "giải thưởng"}, 10, {"count": ["0", "1", "3"]}, [
        ("0", "Điểm thưởng: 0 giải thưởng × 5 → +0 điểm (tối đa 10)", "thêm 1 giải thưởng → +5 điểm"),
        ("5", "Điểm thưởng: 1 giải thưởng × 5 → +5 điểm (tối đa 10)", "thêm 1 giải thưởng → +5 điểm"),
        ("10", "Điểm thưởng: 3 giải thưởng × 5 → +10 điểm (tối đa 10)", None)]),
    ({"kind": "penalty", "points_each": 2, "unit": "lần vi phạm"}, 10, {"count": ["0", "1", "9"]}, [
        ("0", "Điểm trừ: 0 lần vi phạm × 2 → −0 điểm (tối đa 10)", None),
        ("2", "Điểm trừ: 1 lần vi phạm × 2 → −2 điểm (tối đa 10)", "bớt 1 lần vi phạm → +2 điểm"),
        # Held at its cap: one violation fewer would change nothing; five fewer lift the penalty to 8.
        ("10", "Điểm trừ: 9 lần vi phạm × 2 → −10 điểm (tối đa 10)", "bớt 5 lần vi phạm → +2 điểm")]),
    ({"kind": "penalty"}, 10, {"points": ["0", "3"]}, [
        ("0", "Điểm trừ: −0 điểm (tối đa 10)", None), ("3", "Điểm trừ: −3 điểm (tối đa 10)", None)]),
    ({"kind": "bonus"}, 10, {"points": ["0", "4"]}, [
        ("0", "Điểm thưởng: +0 điểm (tối đa 10)", None), ("4", "Điểm thưởng: +4 điểm (tối đa 10)", None)]),
    ({"kind": "formula", "inputs": {"a": "Số hồ sơ", "b": "Tổng"},
      "expression": "max(min(a / b, 1), neu(a > 5, 1, 0)) * 20"}, 20, {"a": ["1", "6", "2"], "b": ["4", "100", "2"]}, [
        ("5", "max(min(a / b, 1), neu(a > 5, 1, 0)) * 20 với a = 1, b = 4 → 5/20 điểm", None),
        ("20", "max(min(a / b, 1), neu(a > 5, 1, 0)) * 20 với a = 6, b = 100 → 20/20 điểm", None),
        ("20", "max(min(a / b, 1), neu(a > 5, 1, 0)) * 20 với a = 2, b = 2 → 20/20 điểm", None)]),
]


@pytest.mark.parametrize(("spec", "max_points", "values", "expected"), SENTENCES,
                         ids=[f"{s[0]['kind']}-{i}" for i, s in enumerate(SENTENCES)])
def test_each_rule_explains_its_points_and_says_the_next_step(spec, max_points, values, expected):
    scored = rule(spec, max_points)
    n = len(next(iter(values.values())))
    units, needed = tuple(UnitEntry(f"Đơn vị {i}") for i in range(n)), np.ones(n, dtype=bool)
    columns = Columns({s.name: check_column(values[s.name], s, needed, units, "1.1")
                       for s in scored.inputs(D(max_points))}, needed)
    micro = scored.score(columns, D(max_points))
    got = []
    for i in range(n):
        step = scored.next_step(columns, i, int(micro[i]), D(max_points))
        got.append((f"{from_micro(int(micro[i])).normalize():f}",
                    scored.explain(columns, i, int(micro[i]), D(max_points)),
                    None if step is None else step.sentence))
    assert got == expected


REFUSED_RULES = [
    ({"kind": "steps", "steps": [{"at_least": 4, "points": 25}]}, 20,
     "t.yaml, rule › steps[0] 4: bậc cho 25 điểm, vượt điểm tối đa 20"),
    ({"kind": "steps", "steps": [{"at_least": 4, "points": 20}, {"at_least": 4, "points": 10}]}, 20,
     "t.yaml, rule: hai bậc có cùng ngưỡng 'at_least'"),
    ({"kind": "count", "points_each": 0}, 20, "t.yaml, rule: 'points_each' phải lớn hơn 0"),
    ({"kind": "bonus", "points_each": 0}, 10, "t.yaml, rule: 'points_each' phải lớn hơn 0"),
    ({"kind": "bonus", "points_each": -1}, 10, "t.yaml, rule: 'points_each' không được nhỏ hơn 0, gặp -1"),
    ({"kind": "choice", "options": [{"code": "a", "label": "A", "points": 30}]}, 20,
     "t.yaml, rule › options[0] a: 30 điểm vượt điểm tối đa 20"),
    ({"kind": "choice", "options": [{"code": "a", "label": "A", "points": 20}, {"code": "a", "label": "B", "points": 10}]},
     20, "t.yaml, rule: mã 'a' trùng lặp trong 'options'"),
    ({"kind": "parts", "parts": [{"code": "a", "label": "A", "points": 10}, {"code": "b", "label": "B", "points": 5}]},
     20, "t.yaml, rule: các phần cộng lại 15 điểm, khác điểm tối đa 20"),
    ({"kind": "highest_case", "cases": [{"code": "a", "label": "A", "points": 25}]}, 20,
     "t.yaml, rule › cases[0] a: 25 điểm vượt điểm tối đa 20"),
    ({"kind": "formula", "inputs": {}, "expression": "1"}, 20,
     "t.yaml, rule: công thức cần ít nhất một đầu vào trong 'inputs' (tên: mô tả)"),
    ({"kind": "tong"}, 20, "t.yaml, rule: loại quy tắc không xác định 'tong' (hợp lệ: steps, ratio, relative_to_best, "
                           "count, yes_no, choice, parts, highest_case, sum, direct, bonus, penalty, formula)"),
    ({"kind": "ratio"}, 20, "t.yaml, rule: thiếu trường bắt buộc 'when_zero'"),
    ({"kind": "ratio", "when_zero": "sometimes"}, 20,
     "t.yaml, rule: 'when_zero' phải là một trong full, zero, not_applicable; gặp 'sometimes'"),
    ({"kind": "relative_to_best", "best": 1}, 20, "t.yaml, rule: trường không xác định: best (hợp lệ: kind, value)"),
    ({"kind": "yes_no", "question": ["a"]}, 20, "t.yaml, rule: 'question' phải là chuỗi ký tự, gặp ['a']"),
]


@pytest.mark.parametrize(("spec", "max_points", "message"), REFUSED_RULES,
                         ids=[f"{r[0]['kind']}-{i}" for i, r in enumerate(REFUSED_RULES)])
def test_a_rule_the_file_gets_wrong_is_refused_with_its_place_and_fault(spec, max_points, message):
    with pytest.raises(FrameworkError) as refused:
        rule_from_spec(Spec(spec, "t.yaml", "rule"), D(max_points))
    assert str(refused.value) == message


@pytest.mark.parametrize("expression", ["a +", "b * 2"])
def test_a_formula_that_cannot_be_evaluated_is_refused_when_the_file_loads(expression):
    with pytest.raises(FrameworkError) as refused:
        rule_from_spec(Spec({"kind": "formula", "inputs": {"a": "A"}, "expression": expression}, "t.yaml", "rule"),
                       D(20))
    assert str(refused.value).startswith(f"t.yaml, rule: công thức '{expression}' không hợp lệ: ")


REFUSED_GRADINGS = [
    ({"kind": "quota", "grades": [{"grade": "A", "share": 50}, {"grade": "B", "share": 50}]},
     "t.yaml, grading: cần đúng một loại nhận phần còn lại ('remainder: true')"),
    ({"kind": "quota", "grades": [{"grade": "A", "share": 50}, {"grade": "B", "share": 40, "remainder": True}]},
     "t.yaml, grading: tổng tỷ lệ các loại là 90%, phải bằng 100%"),
    ({"kind": "quota", "grades": [{"grade": "A", "share": 50}, {"grade": "A", "share": 50, "remainder": True}]},
     "t.yaml, grading: loại 'A' xuất hiện hai lần"),
    ({"kind": "percent_bands", "bands": [{"grade": "A", "from": 80}, {"grade": "B", "from": 50}]},
     "t.yaml, grading › bands[1] B: loại cuối cùng không có ngưỡng 'from': nó nhận mọi tổng điểm thấp hơn"),
    ({"kind": "percent_bands", "bands": [{"grade": "A"}, {"grade": "B"}]},
     "t.yaml, grading › bands[0] A: thiếu ngưỡng 'from'"),
    ({"kind": "percent_bands", "bands": [{"grade": "A", "from": 120}, {"grade": "B"}]},
     "t.yaml, grading › bands[0] A: ngưỡng 120% vượt 100%"),
    ({"kind": "percent_bands", "bands": [{"grade": "A", "from": 50}, {"grade": "B", "from": 80}, {"grade": "C"}]},
     "t.yaml, grading › bands[1] B: các ngưỡng phải giảm dần từ loại cao nhất"),
    ({"kind": "point_bands", "bands": [{"grade": "A", "from": 800}, {"grade": "A"}]},
     "t.yaml, grading: loại 'A' xuất hiện hai lần"),
    ({"kind": "point_bands", "bands": [{"grade": "A", "from": 800, "extra": 1}, {"grade": "B"}]},
     "t.yaml, grading › bands[0] A: trường không xác định: extra (hợp lệ: from, grade, inclusive)"),
    ({"kind": "quota", "grades": [{"grade": "A", "share": 100, "remainder": True}], "rounding": "up"},
     "t.yaml, grading: 'rounding' phải là một trong half_up, floor, ceiling; gặp 'up'"),
    ({"kind": "stars"}, "t.yaml, grading: 'kind' phải là một trong quota, percent_bands, point_bands; gặp 'stars'"),
]


@pytest.mark.parametrize(("spec", "message"), REFUSED_GRADINGS,
                         ids=[f"{g[0]['kind']}-{i}" for i, g in enumerate(REFUSED_GRADINGS)])
def test_a_grading_the_file_gets_wrong_is_refused_with_its_place_and_fault(spec, message):
    with pytest.raises(FrameworkError) as refused:
        grading_from_spec(Spec(spec, "t.yaml", "grading"))
    assert str(refused.value) == message


# (rule, max, [(input name, kind, label the form shows, most points it takes)])
FORM_INPUTS = [
    (STEPS, 20, [("value", "number", "Số cuộc họp", None)]),
    ({"kind": "ratio", "when_zero": "zero"}, 20, [("a", "number", "Tử số a", None), ("b", "number", "Mẫu số b", None)]),
    ({"kind": "relative_to_best", "value": "Số dịch vụ"}, 20, [("value", "number", "Số dịch vụ", None)]),
    ({"kind": "count", "points_each": 5, "unit": "văn bản"}, 20, [("count", "count", "Số văn bản", None)]),
    ({"kind": "yes_no"}, 10, [("value", "boolean", "Đạt yêu cầu", None)]),
    (CHOICE, 20, [("choice", "choice", "Trưởng Ban", None)]),
    (PARTS, 20, [("kh", "boolean", "Kế hoạch", None), ("bc", "boolean", "Báo cáo", None)]),
    (CASES, 20, [("qg", "boolean", "Giải quốc gia", None), ("t", "boolean", "Giải tỉnh", None)]),
    ({"kind": "bonus", "points_each": 5, "unit": "giải thưởng"}, 10, [("count", "count", "Số giải thưởng", None)]),
    ({"kind": "penalty", "points_each": 2, "unit": "lần vi phạm"}, 10, [("count", "count", "Số lần vi phạm", None)]),
    ({"kind": "penalty"}, 10, [("points", "points", "Số điểm", D(10))]),
    ({"kind": "bonus"}, 7, [("points", "points", "Số điểm", D(7))]),
    ({"kind": "direct"}, 20, [("points", "points", "Số điểm", D(20))]),
    (FORMULA, 20, [("a", "number", "Số hồ sơ trực tuyến", None), ("b", "number", "Tổng số hồ sơ", None)]),
]


@pytest.mark.parametrize(("spec", "max_points", "inputs"), FORM_INPUTS,
                         ids=[f"{f[0]['kind']}-{i}" for i, f in enumerate(FORM_INPUTS)])
def test_each_rule_asks_the_form_for_its_inputs_by_name_and_label(spec, max_points, inputs):
    assert [(s.name, s.kind, s.label, s.maximum) for s in rule(spec, max_points).inputs(D(max_points))] == inputs


@pytest.mark.parametrize(("spec", "sentence"), [
    ({"kind": "quota", "rounding": "floor", "ties": "worse",
      "grades": [{"grade": "A", "share": 40}, {"grade": "B", "share": 60, "remainder": True}]},
     "Theo tỷ lệ thứ hạng trong khối (A: 40%; B: 60% (phần còn lại)); số đơn vị mỗi loại = n × tỷ lệ, "
     "làm tròn xuống; các đơn vị đồng hạng ở ranh giới nhận xếp loại thấp hơn."),
    ({"kind": "quota", "rounding": "ceiling",
      "grades": [{"grade": "A", "share": 40}, {"grade": "B", "share": 60, "remainder": True}]},
     "Theo tỷ lệ thứ hạng trong khối (A: 40%; B: 60% (phần còn lại)); số đơn vị mỗi loại = n × tỷ lệ, "
     "làm tròn lên; các đơn vị đồng hạng ở ranh giới nhận xếp loại cao hơn."),
])
def test_a_quota_says_how_it_rounds_and_where_ties_go(spec, sentence):
    assert grading_from_spec(Spec(spec, "t.yaml", "grading")).describe() == sentence


def test_bands_may_start_at_100_percent_share_a_threshold_and_say_how_they_were_inferred():
    grading = grading_from_spec(Spec({"kind": "percent_bands", "inferred": "Suy ra từ kết quả 2023", "bands": [
        {"grade": "Tuyệt đối", "from": 100}, {"grade": "Trên 80", "from": 80, "inclusive": False},
        {"grade": "Đúng 80", "from": 80}, {"grade": "Thấp"}]}, "t.yaml", "grading"))
    assert grading.inferred == "Suy ra từ kết quả 2023"
    assert grading.thresholds == (100, 80, 80)
    assert grading.assign([100_000_000, 99_000_000, 80_000_000, 79_000_000], D(100)) == \
        ["Tuyệt đối", "Trên 80", "Đúng 80", "Thấp"]


@pytest.mark.parametrize(("spec", "message"), [
    ({"kind": "formula", "inputs": {"min": "A"}, "expression": "min * 2"},
     "t.yaml, rule › inputs: tên đầu vào 'min' không dùng được trong công thức"),
    ({"kind": "formula", "inputs": {"a b": "A"}, "expression": "1"},
     "t.yaml, rule › inputs: tên đầu vào 'a b' không dùng được trong công thức"),
    ({"kind": "formula", "expression": "1"},
     "t.yaml, rule: công thức cần ít nhất một đầu vào trong 'inputs' (tên: mô tả)"),
])
def test_a_formula_input_must_be_a_name_the_expression_can_use(spec, message):
    with pytest.raises(FrameworkError) as refused:
        rule_from_spec(Spec(spec, "t.yaml", "rule"), D(20))
    assert str(refused.value) == message


@pytest.mark.parametrize(("spec", "max_points", "inputs"), [
    ({"kind": "relative_to_best"}, 20, [("value", "number", "Giá trị", None)]),
    ({"kind": "count", "points_each": "0.5"}, 20, [("count", "count", "Số đơn vị", None)]),
    ({"kind": "choice", "options": [{"code": "a", "label": "A", "points": 20}]}, 20,
     [("choice", "choice", "Lựa chọn", None)]),
    ({"kind": "penalty", "points_each": "0.5"}, 10, [("count", "count", "Số lần", None)]),
    ({"kind": "bonus", "points_each": "0.25"}, 10, [("count", "count", "Số lần", None)]),
])
def test_a_rule_without_labels_names_its_inputs_plainly_and_takes_fractional_points_each(spec, max_points, inputs):
    assert [(s.name, s.kind, s.label, s.maximum) for s in rule(spec, max_points).inputs(D(max_points))] == inputs


def test_a_ratio_whose_zero_denominator_makes_it_not_applicable_says_so():
    assert rule({"kind": "ratio", "when_zero": "not_applicable"}, 20).describe(D(20)) == \
        "a/b × 20, tối đa 20; a: Tử số a; b: Mẫu số b; khi b = 0: không áp dụng; a không được lớn hơn b."


def test_a_gain_of_one_millionth_of_a_point_is_still_a_next_step():
    scored = rule({"kind": "count", "points_each": "0.000001", "unit": "văn bản"}, 20)
    columns = Columns({"count": np.array([0])}, np.array([True]))
    step = scored.next_step(columns, 0, 0, D(20))
    assert (step.action, step.gain_micro) == ("thêm 1 văn bản", 1)


@pytest.mark.parametrize(("value", "places", "rounded"), [
    ("804.545", 2, "804.55"), ("0.125", 2, "0.13"), ("0.135", 2, "0.14"), ("-0.125", 2, "-0.13"),
    ("619.815", 2, "619.82"), ("2.5", 0, "3"), ("0.0005", 3, "0.001"),
    # More digits than a default decimal context keeps (28): still exact.
    ("123456789012345678901234567890.125", 2, "123456789012345678901234567890.13"),
])
def test_display_rounding_is_half_up_on_the_decimal_value(value, places, rounded):
    from dti.engine.points import round_half_up

    assert str(round_half_up(D(value), places)) == rounded
    if places == 2:
        assert str(round_half_up(D(value))) == rounded  # two places unless told otherwise


def test_points_written_for_people_and_kept_exactly():
    from dti.engine.points import exact_quotient, format_points, pts_text, round_to_micro, to_micro

    assert [pts_text(D(v)) for v in ("100", "12.50", "13.333", "0.5", "20")] == ["100", "12,5", "13,33", "0,5", "20"]
    assert format_points(None) == ""
    assert [format_points(D("1.005")), format_points(D("1.005"), decimal_mark=","), format_points(D("1.2345"), 3)] == \
        ["1.01", "1,01", "1.235"]
    assert [round_to_micro(D(v)) for v in ("0.0000005", "0.0000004", "-0.0000005", "2.5")] == [1, 0, -1, 2_500_000]
    assert str(exact_quotient(1, 3)) == "0." + "3" * 60  # 60 significant digits, more than a default context's 28
    assert exact_quotient(1, 8) == D("0.125") and str(exact_quotient(10, 4)) == "2.5"
    with pytest.raises(ValueError) as refused:
        to_micro(D("0.0000001"))
    assert str(refused.value) == "0.0000001 có quá 6 chữ số thập phân"


def test_a_quota_rounds_each_grades_count_as_it_says_and_names_its_grades_in_errors():
    spec = {"grades": [{"grade": "A", "share": 50}, {"grade": "B", "share": 50, "remainder": True}]}
    counts = {rounding: grading_from_spec(Spec({"kind": "quota", "rounding": rounding, **spec}, "t.yaml", "g")).counts(5)
              for rounding in ("half_up", "floor", "ceiling")}
    assert counts == {"half_up": [3, 2], "floor": [2, 3], "ceiling": [3, 2]}  # 2.5 units: half up, never half even
    inferred = grading_from_spec(Spec({"kind": "quota", "inferred": "Suy ra từ QĐ 2405", **spec}, "t.yaml", "g"))
    assert inferred.inferred == "Suy ra từ QĐ 2405" and inferred.ties == "better"
    with pytest.raises(FrameworkError) as refused:
        grading_from_spec(Spec({"kind": "quota", "grades": [{"grade": "A", "share": 100, "remainder": True, "x": 1}]},
                               "t.yaml", "g"))
    assert str(refused.value) == "t.yaml, g › grades[0] A: trường không xác định: x (hợp lệ: grade, remainder, share)"
    with pytest.raises(FrameworkError) as refused:
        grading_from_spec(Spec({"kind": "quota", "ties": "x", **spec}, "t.yaml", "g"))
    assert str(refused.value) == "t.yaml, g: 'ties' phải là một trong better, worse; gặp 'x'"
    assert grading_from_spec(Spec({"kind": "point_bands", "bands": [{"grade": "A"}]}, "t.yaml", "g")).basis == "points"


def test_an_unknown_tie_rule_is_refused():
    from dti.engine.ranking import rank

    with pytest.raises(ValueError, match="unknown tie rule 'olympic'"):
        rank(np.array([1, 2]), "olympic")


def test_exact_arithmetic_beyond_a_default_decimal_context():
    from dti.engine.points import round_half_up, scaled_quotient_micro

    # a × 10⁶ ÷ b is 123456.5 less 1/(2b): 123456, however close to the half. A default context (28 digits) would
    # keep only 21 decimals, see a tie and round up.
    b = 10**24 + 1
    a = D(f"{((2 * 123456 + 1) * b - 1) // 2}E-6")  # exact: the numerator is even
    got = scaled_quotient_micro(np.array([a], dtype=object), np.array([D(b)], dtype=object), 10**6)
    assert [int(g) for g in got] == [123456]
    assert scaled_quotient_micro(np.array([], dtype=object), np.array([], dtype=object), 10**6).shape == (0,)
    with pytest.raises(ValueError) as refused:
        round_half_up(D("1e70"))
    assert str(refused.value) == "không làm tròn được 1E+70"


GLOSSED = {"code": "g", "name": "Bộ thử", "source": "QĐ thử", "groups": [{
    "code": "x", "name": "Xã", "grading": {"kind": "percent_bands",
                                             "bands": [{"grade": "Tốt", "from": 50}, {"grade": "Kém"}]},
    "pillars": [{"code": "NTS", "name": "Nhận thức số", "max_points": 20, "indicators": [
        {"code": "1.1", "name": "Họp", "max_points": 20,
         "rule": {"kind": "steps", "unit": "cuộc họp", "steps": [{"at_least": 4, "points": 20}]}}]}]}]}


def test_a_frameworks_english_translates_only_texts_it_holds():
    from dti.engine import build_framework

    framework = build_framework({**GLOSSED, "english": {"Nhận thức số": "Digital awareness", "Tốt": "Good",
                                                        "cuộc họp": "meetings"}}, "thu.yaml")
    assert framework.glossary == {"Nhận thức số": "Digital awareness", "Tốt": "Good", "cuộc họp": "meetings"}
    assert {"Bộ thử", "Xã", "Tốt", "Kém", "Họp", "cuộc họp", "QĐ thử"} <= framework.texts
    assert "NTS" not in framework.texts and "steps" not in framework.texts  # codes and kinds are not words
    with pytest.raises(FrameworkError, match="'Nhận thức sô' không có trong bộ chỉ số"):
        build_framework({**GLOSSED, "english": {"Nhận thức sô": "Digital awareness"}}, "thu.yaml")
    with pytest.raises(FrameworkError, match="english"):
        build_framework({**GLOSSED, "english": {"Tốt": ""}}, "thu.yaml")
