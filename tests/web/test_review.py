"""A reviewer accepts, adjusts with a reason, or asks the unit; scope and refusals."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dti.assessments.models import AuditEntry, Declaration, IndicatorEntry

from .test_declaration import chi_participation, fill_everything, open_period  # noqa: F401 - fixtures

# The period and its people are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")


@pytest.fixture
def submitted(as_user, chi_participation):  # noqa: F811
    client = as_user("chi")
    fill_everything(client, chi_participation)
    client.post(reverse("assessments:declaration_submit", args=[chi_participation.pk]))
    assert Declaration.objects.get(participation=chi_participation).state == "submitted"
    return chi_participation


def act(client, participation, code, **data):
    return client.post(reverse("assessments:review_action", args=[participation.pk, code]), data, follow=True)


def ask(client, participation, *questions):
    """Write each (indicator code, question) and send them together as one round; the page after sending."""
    for code, question in questions:
        act(client, participation, code, action="clarify", question=question)
    return client.post(reverse("assessments:questions_send", args=[participation.pk]), follow=True)


def answer(client, participation, question, text):
    return client.post(reverse("assessments:question_answer", args=[participation.pk, question.pk]),
                       {"answer": text}, follow=True)


def test_accepting_copies_the_declared_values(as_user, submitted, people):
    act(as_user("binh"), submitted, "1.1", action="accept")
    reviewed = IndicatorEntry.objects.get(participation=submitted, indicator_code="1.1", stage="reviewed")
    assert (reviewed.inputs, reviewed.points, reviewed.updated_by) == ({"value": "4"}, 20, people["binh"])


def test_an_adjustment_without_a_reason_is_refused(as_user, submitted):
    page = act(as_user("binh"), submitted, "1.1", action="adjust", **{"1.1-input_value": "2"}, reason=" ")
    assert "1.1: Điều chỉnh cần có lý do." in page.content.decode()
    assert not IndicatorEntry.objects.filter(participation=submitted, stage="reviewed").exists()


def test_an_adjustment_with_a_reason_changes_the_reviewed_points_and_is_audited(as_user, submitted, people):
    act(as_user("binh"), submitted, "1.1", action="adjust", **{"1.1-input_value": "2"},
        reason="Chỉ có 2 biên bản họp hợp lệ")
    reviewed = IndicatorEntry.objects.get(participation=submitted, indicator_code="1.1", stage="reviewed")
    assert (reviewed.points, reviewed.reason) == (10, "Chỉ có 2 biên bản họp hợp lệ")
    audit = AuditEntry.objects.get(participation=submitted, action="dti.review.adjusted")
    assert audit.reason == "Chỉ có 2 biên bản họp hợp lệ" and audit.new["points"] == "10"
    page = as_user("binh").get(reverse("assessments:review_unit", args=[submitted.pk])).content.decode()
    assert "Chỉ có 2 biên bản họp hợp lệ" in page


def test_questions_go_together_and_the_unit_answers_each_in_words_without_resubmitting(
        as_user, submitted, people, django_capture_on_commit_callbacks):
    from django.core import mail

    from dti.assessments.audit import Action
    from dti.assessments.models import AuditEntry, Clarification

    binh = as_user("binh")
    review = reverse("assessments:review_unit", args=[submitted.pk])
    with django_capture_on_commit_callbacks(execute=True):
        act(binh, submitted, "1.1", action="clarify", question="Gửi biên bản cuộc họp thứ hai")
        act(binh, submitted, "1.2", action="clarify", question="Tỷ lệ tính trên tổng số nào?")
        assert mail.outbox == []  # written, not yet sent
        overview = reverse("assessments:declaration", args=[submitted.pk])
        assert "Gửi biên bản cuộc họp thứ hai" not in as_user("chi").get(overview).content.decode()
        assert "Gửi cùng lúc các câu hỏi cho đơn vị (2)" in as_user("binh").get(review).content.decode()
        ask(as_user("binh"), submitted)
    assert len(mail.outbox) == 1 and "Đề nghị làm rõ 2 chỉ số" in mail.outbox[0].subject
    assert "Gửi biên bản cuộc họp thứ hai" in mail.outbox[0].body and "Tỷ lệ tính trên" in mail.outbox[0].body
    assert "không cần nộp lại" in mail.outbox[0].body
    # the declaration stays with the reviewers, who go on with the other indicators
    assert Declaration.objects.get(participation=submitted).state == "submitted"
    act(binh, submitted, "1.3", action="accept")
    assert IndicatorEntry.objects.filter(participation=submitted, indicator_code="1.3", stage="reviewed").exists()

    client = as_user("chi")
    page = client.get(overview).content.decode()
    assert "Gửi biên bản cuộc họp thứ hai" in page and "Tỷ lệ tính trên tổng số nào?" in page
    first, second = Clarification.objects.filter(participation=submitted).order_by("indicator_code")
    mail.outbox.clear()
    people["binh"].email = "binh@stttt.example"
    people["binh"].save()
    with django_capture_on_commit_callbacks(execute=True):
        page = answer(client, submitted, first, "Biên bản số 12/BB-UBND ngày 3/5 đã bổ sung.").content.decode()
    assert "Đã gửi câu trả lời về 1.1 cho cán bộ thẩm định." in page
    first.refresh_from_db()
    assert (first.answer, first.answered_by) == ("Biên bản số 12/BB-UBND ngày 3/5 đã bổ sung.", people["chi"])
    assert [m.to for m in mail.outbox] == [["binh@stttt.example"]] and "Biên bản số 12" in mail.outbox[0].body
    assert list(Clarification.objects.open()) == [second]  # the other question is still open
    assert Declaration.objects.get(participation=submitted).state == "submitted"
    assert "Biên bản số 12/BB-UBND" in as_user("binh").get(review).content.decode()
    # answered once: a second answer is refused, and nothing changes
    page = answer(as_user("chi"), submitted, first, "Sửa lại").content.decode()
    assert "Câu hỏi đã được trả lời ngày" in page
    first.refresh_from_db()
    assert first.answer.startswith("Biên bản số 12")
    # only the unit's own people answer
    assert answer(as_user("dung"), submitted, second, "?").status_code == 403
    assert sorted(AuditEntry.objects.filter(participation=submitted).values_list("action", flat=True)
                  .filter(action__in=[Action.QUESTION_WRITTEN, Action.CLARIFICATION_ASKED,
                                      Action.CLARIFICATION_ANSWERED])) == sorted(
        [Action.QUESTION_WRITTEN] * 2 + [Action.CLARIFICATION_ASKED] * 2 + [Action.CLARIFICATION_ANSWERED])


def test_an_unsent_question_is_discarded_and_an_empty_round_is_refused(as_user, submitted):
    from dti.assessments.models import Clarification

    binh = as_user("binh")
    act(binh, submitted, "1.2", action="clarify", question="Hỏi nhầm")
    question = Clarification.objects.get()
    binh.post(reverse("assessments:question_discard", args=[submitted.pk, question.pk]))
    assert not Clarification.objects.exists()
    page = binh.post(reverse("assessments:questions_send", args=[submitted.pk]), follow=True).content.decode()
    assert "Không có câu hỏi nào để gửi." in page
    act(binh, submitted, "1.2", action="clarify", question="Gửi biên bản")
    ask(binh, submitted)
    sent = Clarification.objects.get()
    assert binh.post(reverse("assessments:question_discard", args=[submitted.pk, sent.pk])).status_code == 404
    assert Clarification.objects.get() == sent


def test_returning_the_declaration_gives_it_back_until_the_unit_resubmits(as_user, submitted):
    binh = as_user("binh")
    returned = reverse("assessments:declaration_return", args=[submitted.pk])
    page = binh.post(returned, {"reason": ""}, follow=True).content.decode()
    assert "Trả lại bản khai báo cần có lý do." in page
    assert Declaration.objects.get(participation=submitted).state == "submitted"
    binh.post(returned, {"reason": "Khai lại trụ cột Nhận thức số"})
    assert Declaration.objects.get(participation=submitted).state == "returned"
    client = as_user("chi")
    page = client.get(reverse("assessments:declaration", args=[submitted.pk])).content.decode()
    assert "Bản khai báo được trả lại để sửa" in page
    client.post(reverse("assessments:declaration_submit", args=[submitted.pk]))
    assert Declaration.objects.get(participation=submitted).state == "submitted"


def test_an_action_done_in_place_answers_with_the_changed_parts_only(as_user, submitted):
    """htmx posts the accept: the answer is the indicator's card, the points and the state, swapped by id,
    not the 20,000-pixel page."""
    binh = as_user("binh")
    url = reverse("assessments:review_action", args=[submitted.pk, "1.1"])
    response = binh.post(url, {"action": "accept", "version": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page and page.count("<article") == 1
    assert '<article id="review-1.1" hx-swap-oob="true">' in page
    assert '<section id="review-summary" hx-swap-oob="true">' in page
    assert "Đã chấp nhận 1.1 như khai báo." in page
    card = page.split('<article id="review-1.1"', 1)[1].split("</article>", 1)[0]
    assert "Rà soát: <strong>20,00</strong>" in card
    # the message was shown in place, so the next page does not repeat it
    assert "Đã chấp nhận 1.1" not in binh.get(reverse("assessments:review_unit", args=[submitted.pk])).content.decode()
    # a refused adjustment keeps the card (and what was typed) and says why
    page = binh.post(url, {"action": "adjust", "version": "1", "1.1-input_value": "3", "reason": ""},
                     HTTP_HX_REQUEST="true").content.decode()
    assert 'id="review-1.1"' not in page and 'class="error"' in page


def test_reviewing_every_indicator_shows_the_declaration_reviewed(as_user, submitted):
    """"Reviewed" is read from the entries: shown once the last indicator is reviewed, never stored."""
    client = as_user("binh")
    group = submitted.period.framework.parsed.group("huyen")
    leaves = [indicator for _pillar, indicator in group.indicators() if not indicator.children]
    queue = reverse("assessments:review_queue", args=[submitted.period.pk])
    for indicator in leaves:
        assert "Đã rà soát</td>" not in client.get(queue).content.decode()
        act(client, submitted, indicator.code, action="accept")
    assert f"Đã rà soát</td><td>{len(leaves)}/{len(leaves)}" in client.get(queue).content.decode()
    page = client.get(reverse("assessments:review_unit", args=[submitted.pk])).content.decode()
    assert '<span class="state" id="declaration-state">Đã rà soát</span>' in page
    assert Declaration.objects.get(participation=submitted).state == "submitted"


@pytest.mark.parametrize("role", ["chi", "dung", "lan"])
def test_only_reviewers_of_the_group_and_the_secretariat_review(as_user, submitted, role):
    client = as_user(role)
    assert client.get(reverse("assessments:review_unit", args=[submitted.pk])).status_code == 403
    assert act(client, submitted, "1.1", action="accept").status_code == 403
    assert not IndicatorEntry.objects.filter(participation=submitted, stage="reviewed").exists()


def test_a_declaration_not_yet_submitted_cannot_be_reviewed(as_user, chi_participation):  # noqa: F811
    page = act(as_user("binh"), chi_participation, "1.1", action="accept").content.decode()
    assert "1.1: Bản khai báo chưa được nộp." in page


def test_the_queue_shows_what_changed_since_the_reviewers_last_look(as_user, submitted):
    queue = reverse("assessments:review_queue", args=[submitted.period.pk])
    binh = as_user("binh")
    assert "chưa mở" in binh.get(queue).content.decode()
    binh.get(reverse("assessments:review_unit", args=[submitted.pk]))
    ask(binh, submitted, ("1.2", "Gửi biên bản"))  # the reviewer's own change
    row = binh.get(queue).content.decode().split("UBND TP. Bắc Ninh", 1)[1].split("</tr>", 1)[0]
    assert '<mark class="changes">' not in row
    from dti.assessments.models import Clarification

    answer(as_user("chi"), submitted, Clarification.objects.get(), "Đã gửi biên bản")  # the unit's answer
    row = as_user("binh").get(queue).content.decode().split("UBND TP. Bắc Ninh", 1)[1].split("</tr>", 1)[0]
    assert '<mark class="changes">' in row


def test_two_reviewers_adjusting_the_same_indicator_the_second_is_refused(as_user, submitted, people):
    from dti.accounts.models import Role
    from dti.accounts.services import create_account
    from dti.assessments.models import ReviewerAssignment

    second = create_account(username="tuan", password="x" * 12, role=Role.REVIEWER)
    ReviewerAssignment.objects.create(period=submitted.period, reviewer=second, group=submitted.group)
    act(as_user("binh"), submitted, "1.1", action="adjust", version="0", **{"1.1-input_value": "3"}, reason="Ba")
    client = as_user(None)
    client.force_login(second)
    page = act(client, submitted, "1.1", action="adjust", version="0", **{"1.1-input_value": "1"},
               reason="Một").content.decode()
    assert "value = 3" in page
    assert IndicatorEntry.objects.get(participation=submitted, indicator_code="1.1", stage="reviewed").inputs == {
        "value": "3"}


def test_a_reviewer_assigned_one_indicator_reviews_only_that_one(as_user, submitted):
    from dti.accounts.models import Role
    from dti.accounts.services import create_account
    from dti.assessments.models import ReviewerAssignment

    narrow = create_account(username="hoa", password="x" * 12, role=Role.REVIEWER)
    ReviewerAssignment.objects.create(period=submitted.period, reviewer=narrow, group=submitted.group,
                                      indicator_code="1.2")
    client = as_user(None)
    client.force_login(narrow)
    assert act(client, submitted, "1.1", action="accept").status_code == 403
    act(client, submitted, "1.2", action="accept")
    assert list(IndicatorEntry.objects.filter(participation=submitted, stage="reviewed")
                .values_list("indicator_code", flat=True)) == ["1.2"]


def test_a_reviewer_gives_points_directly_with_a_reason_and_the_results_follow(as_user, submitted):
    act(as_user("binh"), submitted, "1.2", action="adjust", **{"1.2-input_a": "2", "1.2-input_b": "2"},
        points="12.5", reason="Một cuộc họp chỉ chủ trì một phần")
    reviewed = IndicatorEntry.objects.get(participation=submitted, indicator_code="1.2", stage="reviewed")
    assert (reviewed.points, reviewed.points_given) == (Decimal("12.5"), True)
    page = act(as_user("binh"), submitted, "1.3", action="adjust", **{"1.3-input_a": "1", "1.3-input_b": "1"},
               points="25", reason="x").content.decode()
    assert "1.3:" in page
    from dti.assessments.queries.adapter import period_inputs

    data = period_inputs(submitted.period)["huyen"]
    position = [u.name for u in data.units].index("UBND TP. Bắc Ninh")
    assert data.reviewed.indicator_points["1.2"][position] == Decimal("12.5")


def test_a_question_asked_after_the_declaration_closed_is_answered_with_evidence(as_user, submitted):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dti.assessments.actions.periods import advance_period
    from dti.assessments.models import Clarification, Evidence
    from dti.assessments.policy import edit_refusal

    period = advance_period(submitted.period, "reviewing")
    assert edit_refusal(submitted) is not None  # submitted and the period under review: nothing to change
    ask(as_user("binh"), submitted, ("1.2", "Gửi lại biên bản"))
    client = as_user("chi")
    pillar = client.get(reverse("assessments:declaration_pillar", args=[submitted.pk, "NTS"])).content.decode()
    card = pillar.split('id="indicator-1.2"', 1)[1].split("</article>", 1)[0]
    assert "Gửi lại biên bản" in card and "Thêm minh chứng" in card  # evidence, for this indicator only
    assert "Thêm minh chứng" not in pillar.split('id="indicator-1.1"', 1)[1].split("</article>", 1)[0]
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban", content_type="application/pdf")
    client.post(reverse("assessments:evidence_add", args=[submitted.pk, "1.2"]), {"file": upload})
    assert Evidence.objects.filter(participation=submitted, indicator_code="1.2").count() == 1
    upload = SimpleUploadedFile("khac.pdf", b"%PDF-1.4 khac", content_type="application/pdf")
    client.post(reverse("assessments:evidence_add", args=[submitted.pk, "1.1"]), {"file": upload})
    assert not Evidence.objects.filter(participation=submitted, indicator_code="1.1").exists()
    answer(client, submitted, Clarification.objects.get(), "Biên bản đã bổ sung")
    upload = SimpleUploadedFile("muon.pdf", b"%PDF-1.4 muon", content_type="application/pdf")
    client.post(reverse("assessments:evidence_add", args=[submitted.pk, "1.2"]), {"file": upload})
    assert Evidence.objects.filter(participation=submitted, indicator_code="1.2").count() == 1  # answered: closed
    assert period.state == "reviewing" and edit_refusal(submitted) is not None


def test_a_declaration_returned_after_the_deadline_is_corrected_and_sent_again(as_user, submitted):
    from dti.assessments.actions.periods import advance_period
    from dti.assessments.policy import edit_refusal

    period = advance_period(submitted.period, "reviewing")
    as_user("binh").post(reverse("assessments:declaration_return", args=[submitted.pk]), {"reason": "Sửa 1.2"})
    client = as_user("chi")
    data = {"indicator": "1.2", "1.2-input_a": "3", "1.2-input_b": "3", "1.2-version": ""}
    client.post(reverse("assessments:declaration_pillar", args=[submitted.pk, "NTS"]), data)
    entry = IndicatorEntry.objects.get(participation=submitted, indicator_code="1.2", stage="declared")
    assert entry.inputs == {"a": "3", "b": "3"}
    client.post(reverse("assessments:declaration_submit", args=[submitted.pk]))
    assert Declaration.objects.get(participation=submitted).state == "submitted"
    assert period.state == "reviewing" and edit_refusal(submitted) is not None  # sent again: closed again
