"""Framework files: the shipped ones load, and every kind of bad file is refused with file, place and fault."""

import copy
import json
from decimal import Decimal

import pytest

from dti.documents.frameworks import load_framework, parse_framework
from dti.engine import FrameworkError, build_framework

from ..builders import QUOTA_BACNINH, framework_data, indicator
from ..conftest import BACNINH_FRAMEWORK, NATIONAL_FRAMEWORK


def test_bacninh_framework_has_both_groups_with_their_pillars_and_inferred_maxima():
    framework = load_framework(BACNINH_FRAMEWORK)
    departments, districts = framework.groups
    assert [p.code for p in departments.pillars] == ["NTS", "TCS", "HTS", "NLS", "ATTT", "HDCDS"]
    assert [p.max_points for p in departments.pillars] == [100, 100, 100, 70, 100, 530]
    assert [p.code for p in districts.pillars] == ["NTS", "TCS", "HTS", "NLS", "ATTT", "HDCDS", "HDKTS", "HDXHS"]
    assert [p.max_points for p in districts.pillars] == [100, 100, 100, 100, 100, 300, 100, 100]
    assert departments.max_points == districts.max_points == 1000
    assert all(p.inferred for g in framework.groups for p in g.pillars)
    assert departments.grading.inferred and districts.grading.counts(17) == [3, 3, 3, 5, 3]
    nts = districts.pillar("NTS")
    assert [i.code for i in nts.indicators] == ["1.1", "1.2", "1.3", "NTS.con-lai"]
    assert [i.rule.kind for i in nts.indicators] == ["steps", "ratio", "ratio", "direct"]
    assert nts.indicators[0].verifier == "Sở Thông tin và Truyền thông"


def test_national_framework_has_nine_pillars_and_three_composites():
    group = load_framework(NATIONAL_FRAMEWORK).group("tinh")
    assert [p.code for p in group.pillars] == ["NTS", "TCS", "HTS", "NLS", "ATTT", "DTTM", "HDCQS", "HDKTS", "HDXHS"]
    assert group.max_points == 1000
    assert not group.pillar("DTTM").scored
    assert {c.code: c.max_points for c in group.composites} == {"CQS": 700, "KTS": 650, "XHS": 650}
    assert group.grading is None


def refused(data) -> str:
    with pytest.raises(FrameworkError) as error:
        build_framework(data, "tỉnh.yaml")
    return str(error.value)


def test_it_refuses_an_unknown_rule_kind():
    message = refused(framework_data([indicator({"kind": "ratioo"})]))
    assert message.startswith("tỉnh.yaml, groups[0] g › pillars[0] P › indicators[0] 1.1 › rule:")
    assert "loại quy tắc không xác định 'ratioo'" in message


def test_it_refuses_children_that_do_not_add_up_to_the_parent():
    parent = {"code": "1", "name": "Cha", "max_points": 30,
              "indicators": [indicator({"kind": "direct"}, "1.1", 20), indicator({"kind": "direct"}, "1.2", 5)]}
    message = refused(framework_data([parent], max_points=30))
    assert "indicators[0] 1:" in message
    assert "cộng lại 25 (1.1 (20) + 1.2 (5)), khác điểm tối đa 30" in message


def test_it_refuses_indicators_that_do_not_add_up_to_the_pillar():
    message = refused(framework_data([indicator({"kind": "direct"})], max_points=25))
    assert "pillars[0] P:" in message and "khác điểm tối đa 25 của chỉ số chính" in message


def test_it_refuses_duplicate_indicator_codes():
    data = framework_data([indicator({"kind": "direct"}, "1.1"), indicator({"kind": "direct"}, "1.1")])
    assert "mã chỉ số thành phần '1.1' trùng lặp" in refused(data)


def test_it_refuses_duplicate_pillar_codes():
    data = framework_data([indicator({"kind": "direct"})])
    data["groups"][0]["pillars"].append(copy.deepcopy(data["groups"][0]["pillars"][0]))
    assert "mã chỉ số chính 'P' trùng lặp" in refused(data)


def test_it_refuses_grading_shares_not_summing_to_100():
    grading = copy.deepcopy(QUOTA_BACNINH)
    grading["grades"][0]["share"] = 10
    message = refused(framework_data([indicator({"kind": "direct"})], grading=grading))
    assert "› grading:" in message and "tổng tỷ lệ các loại là 95%, phải bằng 100%" in message


def test_it_refuses_a_composite_naming_an_unknown_pillar():
    data = framework_data([indicator({"kind": "direct"})],
                          composites=[{"code": "CQS", "name": "Chính quyền số", "pillars": ["P", "HDCQS"],
                                       "max_points": 700}])
    message = refused(data)
    assert "composites[0] CQS:" in message and "'HDCQS' không có trong khối" in message


def test_it_refuses_a_step_worth_more_than_the_indicator():
    rule = {"kind": "steps", "steps": [{"at_least": 1, "points": 25}]}
    assert "vượt điểm tối đa 20" in refused(framework_data([indicator(rule)]))


def test_it_refuses_parts_that_do_not_add_up():
    rule = {"kind": "parts", "parts": [{"code": "a", "label": "A", "points": 5}]}
    assert "các phần cộng lại 5 điểm, khác điểm tối đa 20" in refused(framework_data([indicator(rule)]))


def test_it_refuses_a_ratio_that_does_not_say_what_b_zero_means():
    message = refused(framework_data([indicator({"kind": "ratio"})]))
    assert "'when_zero'" in message


def test_it_refuses_unknown_fields_and_missing_ones():
    assert "trường không xác định: maxpoints" in refused(
        framework_data([{"code": "1", "name": "x", "maxpoints": 20, "rule": {"kind": "direct"}}], max_points=20))
    assert "thiếu trường bắt buộc 'name'" in refused(
        framework_data([{"code": "1", "max_points": 20, "rule": {"kind": "direct"}}]))


def test_it_refuses_bands_that_go_up():
    grading = {"kind": "percent_bands", "bands": [{"grade": "Tốt", "from": 50}, {"grade": "Khá", "from": 70},
                                                  {"grade": "Kém"}]}
    assert "giảm dần" in refused(framework_data([indicator({"kind": "direct"})], grading=grading))


def test_a_yaml_syntax_error_names_the_line():
    with pytest.raises(FrameworkError, match=r"x\.yaml, dòng 2, cột \d+: YAML không hợp lệ"):
        parse_framework("code: a\n  name: [b\n", "x.yaml")


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(FrameworkError, match="không đọc được tệp"):
        load_framework(tmp_path / "none.yaml")


def test_a_file_that_is_not_a_mapping_is_refused():
    with pytest.raises(FrameworkError, match="gốc tệp: cần một bảng khóa"):
        parse_framework("- a\n- b\n", "x.yaml")


def test_maxima_more_precise_than_a_micro_point_are_refused():
    data = framework_data([indicator({"kind": "direct"}, max_points=Decimal("20.0000001"))],
                          max_points=Decimal("20.0000001"))
    assert "chữ số thập phân" in refused(data)


@pytest.mark.parametrize("code", ['x"; filename="evil.exe', "Bắc Ninh", "a\r\nSet-Cookie: x=1", "", "-x", "x" * 101])
def test_a_framework_code_must_be_a_slug(code):
    text = BACNINH_FRAMEWORK.read_text(encoding="utf-8").replace("code: bacninh-2023", f"code: {json.dumps(code)}", 1)
    with pytest.raises(FrameworkError, match="'code'"):
        parse_framework(text, "x.yaml")
