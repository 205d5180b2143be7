"""The policy state by state, without a server: what each period state allows, with the exact refusal a person
reads, and the date boundaries of declaration and appeal windows (the last day is still open)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dti.assessments import policy
from dti.assessments.models import Declaration, Participation, Period

LABELS = {"draft": "Nháp", "declaring": "Đang khai báo", "reviewing": "Đang rà soát", "appeals": "Phúc khảo",
          "finalized": "Đã chốt", "published": "Đã công bố"}
NEXT = {"draft": "declaring", "declaring": "reviewing", "reviewing": "appeals", "appeals": "finalized",
        "finalized": "published"}
OUT_OF_WINDOW = "Chỉ nhận phúc khảo trong thời gian phúc khảo (kỳ đánh giá đang ở trạng thái “{}”)."


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def period(state, **dates):
    return Period(year=2025, name="Kỳ 2025", state=state, **dates,
                  decision_settings={"number": "1/QĐ-UBND", "signed_on": "2025-12-26"})


@pytest.mark.parametrize("state", LABELS)
def test_each_period_state_allows_what_the_policy_says_and_refuses_the_rest_in_words(state):
    current = period(state)
    part = Participation(period=current)
    following = NEXT.get(state)
    assert policy.next_period_states(current) == ([following] if following else [])
    if following:
        assert policy.period_move_refusal(current, following) is None
    then = (f"Trạng thái kế tiếp là “{LABELS[following]}”." if following else "Kỳ đánh giá đã được công bố.")
    assert policy.period_move_refusal(current, "published" if state != "finalized" else "draft") == (
        f"Kỳ đánh giá đang ở trạng thái “{LABELS[state]}” không thể chuyển sang "
        f"“{'Đã công bố' if state != 'finalized' else 'Nháp'}”. {then}")
    assert policy.period_move_refusal(current, "bất kỳ") == (
        f"Kỳ đánh giá đang ở trạng thái “{LABELS[state]}” không thể chuyển sang “bất kỳ”. {then}")
    locked = state in ("finalized", "published")
    assert policy.locked_refusal(current) == (
        f"Kỳ đánh giá đã ở trạng thái “{LABELS[state]}”: không thể thay đổi gì thêm." if locked else None)
    assert policy.join_or_leave_refusal(current) == (
        None if state in ("draft", "declaring")
        else "Chỉ thêm hoặc bớt đơn vị khi kỳ đánh giá đang ở trạng thái nháp hoặc đang khai báo.")
    assert policy.second_review_refusal(part) == (
        None if state in ("reviewing", "appeals")
        else "Thẩm định lần hai chỉ thực hiện khi kỳ đánh giá đang rà soát hoặc phúc khảo.")
    assert policy.appeal_decision_refusal(part) == (None if state == "appeals" else OUT_OF_WINDOW.format(LABELS[state]))
    assert policy.appeal_refusal(part) == (None if state == "appeals" else OUT_OF_WINDOW.format(LABELS[state]))


@pytest.mark.parametrize(("day", "refusal"), [
    (datetime.date(2025, 2, 28), "Thời gian phúc khảo bắt đầu ngày 01/03/2025."),
    (datetime.date(2025, 3, 1), None),
    (datetime.date(2025, 3, 10), None),
    (datetime.date(2025, 3, 11), "Thời gian phúc khảo đã kết thúc ngày 10/03/2025."),
])
def test_the_appeal_window_includes_its_first_and_last_days(day, refusal):
    window = period("appeals", appeal_opens=datetime.date(2025, 3, 1), appeal_closes=datetime.date(2025, 3, 10))
    assert policy.appeal_refusal(Participation(period=window), today=day) == refusal


def test_a_refusal_is_raised_as_a_validation_error_and_none_is_not():
    policy.refuse(None)
    policy.refuse("")
    with pytest.raises(ValidationError) as refused:
        policy.refuse("Không được")
    assert refused.value.messages == ["Không được"]


def test_a_declaration_in_a_state_outside_the_table_cannot_move_at_all():
    with pytest.raises(ValueError, match="from lost to draft"):
        policy.check_declaration_move(Declaration(state="lost"), "draft")


@pytest.mark.parametrize(("current", "allowed"), [(s, sorted(m)) for s, m in policy.DECLARATION_MOVES.items()])
def test_a_declaration_moves_only_as_the_table_says(current, allowed):
    for target in Declaration.State.values:
        declaration = Declaration(state=current)
        if target in allowed:
            policy.check_declaration_move(declaration, target)
        else:
            with pytest.raises(ValueError, match=f"from {current} to {target}"):
                policy.check_declaration_move(declaration, target)


@pytest.fixture
def participation(db):
    from dti.assessments.actions.frameworks import import_framework
    from dti.assessments.actions.periods import add_participants, create_period
    from dti.assessments.models import Unit

    from ..conftest import BACNINH_FRAMEWORK

    framework, _ = import_framework(BACNINH_FRAMEWORK.read_text(encoding="utf-8"), BACNINH_FRAMEWORK.name)
    current = create_period(year=2025, name="Kỳ 2025", framework=framework,
                            declaration_closes=datetime.date(2025, 3, 31))
    add_participants(current, [Unit.objects.create(name="UBND xã Thử", group_code="huyen")])
    return current.participations.get()


def move(participation, period_state, declaration_state=None, **declaration):
    Period.objects.filter(pk=participation.period_id).update(state=period_state)
    if declaration_state:
        Declaration.objects.update_or_create(participation=participation,
                                             defaults={"state": declaration_state, **declaration})
    return Participation.objects.get(pk=participation.pk)


def test_a_unit_edits_while_declaring_until_the_deadline_or_its_reopening(participation):
    closes = datetime.date(2025, 3, 31)
    assert policy.edit_refusal(move(participation, "draft")) == \
        "Kỳ đánh giá không trong thời gian khai báo (đang ở trạng thái “Nháp”)."
    open_ = move(participation, "declaring")
    assert policy.edit_refusal(open_, today=closes) is None  # the last day is still open
    assert policy.edit_refusal(open_, today=closes + datetime.timedelta(days=1)) == \
        "Hạn khai báo đã kết thúc ngày 31/03/2025."
    reopened = move(participation, "declaring", "draft", reopened_until=datetime.date(2025, 4, 5))
    assert policy.edit_refusal(reopened, today=datetime.date(2025, 4, 5)) is None
    assert policy.edit_refusal(reopened, today=datetime.date(2025, 4, 6)) == \
        "Hạn khai báo đã kết thúc ngày 31/03/2025."
    sent = move(participation, "declaring", "submitted",
                submitted_at=datetime.datetime(2025, 3, 2, 1, 30, tzinfo=datetime.UTC))
    assert policy.edit_refusal(sent, today=closes) == \
        "Bản khai báo đã nộp lúc 02/03/2025 08:30; chỉ sửa được khi được trả lại."
    undated = move(participation, "declaring", "submitted", submitted_at=None)
    assert policy.edit_refusal(undated, today=closes) == \
        "Bản khai báo đã nộp lúc ?; chỉ sửa được khi được trả lại."
    # A returned declaration is answered whenever the question comes, while reviewers work.
    for state in ("declaring", "reviewing"):
        assert policy.edit_refusal(move(participation, state, "returned"), today=closes + datetime.timedelta(30)) is None
    assert policy.edit_refusal(move(participation, "appeals", "returned")) == \
        "Kỳ đánh giá không trong thời gian khai báo (đang ở trạng thái “Phúc khảo”)."


def test_reviewers_work_on_a_sent_declaration_while_units_declare_and_in_review(participation):
    assert policy.declaration_state(participation) == "not_started"
    assert not Declaration.objects.exists()  # reading the state wrote nothing
    assert policy.review_refusal(move(participation, "declaring")) == "Bản khai báo chưa được nộp."
    for period_state in ("declaring", "reviewing"):
        assert policy.review_refusal(move(participation, period_state, "submitted")) is None
    for state in ("draft", "returned"):
        assert policy.review_refusal(move(participation, "reviewing", state)) == "Bản khai báo chưa được nộp."
    assert policy.review_refusal(move(participation, "appeals", "submitted")) == \
        "Kỳ đánh giá không trong thời gian rà soát (đang ở trạng thái “Phúc khảo”)."
