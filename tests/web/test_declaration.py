"""A unit officer declares: points while typing, drafts, conflicts, submit, deadlines, and scope."""

import datetime
from decimal import Decimal as D

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.urls import reverse

from dti.assessments.actions import declarations
from dti.assessments.actions.frameworks import import_framework
from dti.assessments.actions.periods import add_participants, advance_period, create_period, remove_participation
from dti.assessments.models import AuditEntry, Declaration, Participation, ReviewerAssignment, Unit

from ..builders import framework_data, indicator

# The period and its people are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")


@pytest.fixture
def open_period(period, people):
    """2024, open for declaration, with Chi's district and Dung's department."""
    current = create_period(year=2024, name="Kỳ 2024", framework=period.framework,
                                     declaration_opens=datetime.date(2024, 1, 1),
                                     declaration_closes=datetime.date(2099, 12, 31))
    add_participants(current, [Unit.objects.get(name="UBND TP. Bắc Ninh"), Unit.objects.get(name="Sở Y tế")])
    advance_period(current, "declaring")
    ReviewerAssignment.objects.create(period=current, reviewer=people["binh"],
                                      group=current.framework.groups.get(code="huyen"))
    return current


@pytest.fixture
def chi_participation(open_period):
    return Participation.objects.get(period=open_period, unit__name="UBND TP. Bắc Ninh")


def pillar_url(participation, pillar="NTS"):
    return reverse("assessments:declaration_pillar", args=[participation.pk, pillar])


def save(client, participation, code, version=0, pillar="NTS", **inputs):
    data = {"indicator": code, f"{code}-version": version}
    data.update({f"{code}-input_{name}": value for name, value in inputs.items()})
    return client.post(pillar_url(participation, pillar), data, follow=True)


def test_points_show_while_typing_computed_by_the_engine(as_user, chi_participation):
    client = as_user("chi")
    url = reverse("assessments:declaration_preview", args=[chi_participation.pk, "1.2"])
    fragment = client.post(url, {"1.2-input_a": "2", "1.2-input_b": "3"}).content.decode()
    assert "13,33" in fragment and "2/3 × 20 → 13,33/20 điểm" in fragment
    fragment = client.post(url, {"1.2-input_a": "hai", "1.2-input_b": "3"}).content.decode()
    assert "cần một số" in fragment


def test_a_draft_is_saved_with_its_points_and_an_audit_entry(as_user, chi_participation, people):
    client = as_user("chi")
    page = save(client, chi_participation, "1.1", value="3").content.decode()
    assert "Đã lưu 1.1." in page
    entry = chi_participation.entries.get(indicator_code="1.1", stage="declared")
    assert (entry.inputs, entry.points, entry.version) == ({"value": "3"}, 15, 1)
    audit = AuditEntry.objects.filter(participation=chi_participation, indicator_code="1.1").get()
    assert (audit.action, audit.old, audit.new["inputs"], audit.by) == (
        "dti.declaration.inputs_changed", None, {"value": "3"}, people["chi"])
    assert Declaration.objects.get(participation=chi_participation).state == "draft"


def test_the_second_of_two_concurrent_saves_is_refused_showing_the_first(as_user, chi_participation):
    client = as_user("chi")
    save(client, chi_participation, "1.1", version=0, value="3")
    page = save(client, chi_participation, "1.1", version=0, value="1").content.decode()
    assert "trong khi anh/chị đang sửa: value = 3" in page
    assert chi_participation.entries.get(indicator_code="1.1").inputs == {"value": "3"}


def test_submitting_an_incomplete_declaration_is_refused_and_lists_what_is_missing(as_user, chi_participation):
    client = as_user("chi")
    save(client, chi_participation, "1.1", value="4")
    page = client.post(reverse("assessments:declaration_submit", args=[chi_participation.pk]), follow=True)
    text = page.content.decode()
    assert "1.2 Bí thư hoặc Chủ tịch chủ trì các cuộc họp về chuyển đổi số" in text
    assert Declaration.objects.get(participation=chi_participation).state == "draft"


def fill_everything(client, participation):
    group = participation.period.framework.parsed.group("huyen")
    values = {"1.1": {"value": "4"}, "1.2": {"a": "2", "b": "2"}, "1.3": {"a": "1", "b": "1"}}
    for pillar, item in ((p, i) for p in group.pillars for i in p.walk()):
        inputs = values.get(item.code, {"points": str(item.max_points // 2)})
        save(client, participation, item.code, pillar=pillar.code, **inputs)


def test_a_complete_declaration_is_submitted_and_then_read_only(as_user, chi_participation):
    client = as_user("chi")
    fill_everything(client, chi_participation)
    client.post(reverse("assessments:declaration_submit", args=[chi_participation.pk]))
    assert Declaration.objects.get(participation=chi_participation).state == "submitted"
    page = client.get(pillar_url(chi_participation)).content.decode()
    assert "<fieldset disabled>" in page
    assert "Bản khai báo đã nộp lúc" in page
    save(client, chi_participation, "1.1", version=1, value="1")
    assert chi_participation.entries.get(indicator_code="1.1").inputs == {"value": "4"}


def test_an_edit_after_the_deadline_is_refused(as_user, chi_participation):
    period = chi_participation.period
    period.declaration_closes = datetime.date(2020, 1, 1)
    period.save()
    with pytest.raises(ValidationError, match="Hạn khai báo đã kết thúc ngày 01/01/2020"):
        declarations.save_declared_indicator(chi_participation, _indicator(chi_participation, "1.1"),
                                             inputs={"value": "3"}, not_applicable=False, comment="",
                                             expected_version=None, by=None)


def _indicator(participation, code):
    group = participation.period.framework.parsed.group(participation.group.code)
    return next(i for _, i in group.indicators() if i.code == code)


def test_a_unit_officer_cannot_reach_another_units_declaration(as_user, open_period):
    other = Participation.objects.get(period=open_period, unit__name="Sở Y tế")
    client = as_user("chi")
    assert client.get(reverse("assessments:declaration", args=[other.pk])).status_code == 403
    assert client.get(pillar_url(other)).status_code == 403
    assert save(client, other, "NTS.con-lai", points="50").status_code == 403
    preview = reverse("assessments:declaration_preview", args=[other.pk, "NTS.con-lai"])
    assert client.post(preview, {"NTS.con-lai-input_points": "50"}).status_code == 403
    assert not other.entries.exists()


def test_a_form_field_naming_an_indicator_of_another_group_is_refused(as_user, chi_participation):
    client = as_user("chi")
    response = client.post(pillar_url(chi_participation), {"indicator": "HDCDS.con-lai-khong-co"})
    assert response.status_code == 404


def test_a_reviewer_and_a_leader_read_but_cannot_declare(as_user, chi_participation):
    for name in ("binh", "lan"):
        client = as_user(name)
        assert client.get(pillar_url(chi_participation)).status_code == 200
        assert save(client, chi_participation, "1.1", value="3").status_code == 403


def test_not_applicable_needs_a_reason(db, people):
    data = framework_data([indicator({"kind": "yes_no"}, "1.1", 10, not_applicable="exclude"),
                           indicator({"kind": "direct"}, "1.2", 10)], max_points=20)
    version, _ = import_framework(yaml.safe_dump(data, allow_unicode=True), "t.yaml")
    period = create_period(year=2025, name="x", framework=version)
    unit = Unit.objects.create(name="Đơn vị X", group_code="g")
    add_participants(period, [unit])
    period = advance_period(period, "declaring")
    participation = period.participations.get()
    target = _indicator(participation, "1.1")
    with pytest.raises(ValidationError, match="why|sao|lý do|Say"):
        declarations.save_declared_indicator(participation, target, inputs={}, not_applicable=True, comment="",
                                             expected_version=None, by=None)
    entry = declarations.save_declared_indicator(participation, target, inputs={}, not_applicable=True,
                                                 comment="Đơn vị không có dịch vụ công", expected_version=None,
                                                 by=None)
    assert entry.not_applicable and entry.points is None


def test_the_secretariat_reopens_a_late_declaration_with_a_reason(as_user, chi_participation):
    period = chi_participation.period
    period.declaration_closes = datetime.date(2020, 1, 1)
    period.save()
    url = reverse("assessments:declaration_reopen", args=[chi_participation.pk])
    until = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    page = as_user("an").post(url, {"until": until, "reason": " "}, follow=True).content.decode()
    assert "Mở lại bản khai báo cần có lý do." in page
    assert save(as_user("chi"), chi_participation, "1.1", value="3").status_code == 200
    assert not chi_participation.entries.exists()
    page = as_user("an").post(url, {"until": until, "reason": "Đơn vị mất điện ngày cuối hạn"},
                              follow=True).content.decode()
    assert "UBND TP. Bắc Ninh được sửa bản khai báo đến hết ngày" in page
    save(as_user("chi"), chi_participation, "1.1", value="3")
    assert chi_participation.entries.get().inputs == {"value": "3"}
    assert AuditEntry.objects.get(action="dti.declaration.reopened").reason == "Đơn vị mất điện ngày cuối hạn"
    assert as_user("chi").post(url, {"until": until, "reason": "x"}).status_code == 403


def test_a_sent_question_shows_beside_its_indicator_and_an_unsent_one_nowhere(as_user, chi_participation):
    from django.utils import timezone

    from dti.assessments.models import Clarification

    Clarification.objects.create(participation=chi_participation, indicator_code="1.2", question="Gửi thêm biên bản",
                                 sent_at=timezone.now())
    Clarification.objects.create(participation=chi_participation, indicator_code="1.1", question="Nháp chưa gửi")
    page = as_user("chi").get(pillar_url(chi_participation)).content.decode()
    section = page.split('id="indicator-1.2"', 1)[1].split("</article>", 1)[0]
    assert "Gửi thêm biên bản" in section and "Nháp chưa gửi" not in page



@pytest.fixture
def reviewed(as_user, chi_participation, people):
    """Chi's district alone in the 2024 period, declared, submitted and accepted in full by Bình."""
    from dti.assessments.actions import reviews

    period = chi_participation.period
    remove_participation(period.participations.get(unit__name="Sở Y tế"))
    fill_everything(as_user("chi"), chi_participation)
    as_user("chi").post(reverse("assessments:declaration_submit", args=[chi_participation.pk]))
    for _pillar, item in period.framework.parsed.group("huyen").indicators():
        reviews.accept(chi_participation, item, by=people["binh"])
    return chi_participation


def test_the_preview_reads_vietnamese_numbers_and_repeats_them_as_read(as_user, chi_participation):
    client = as_user("chi")
    url = reverse("assessments:declaration_preview", args=[chi_participation.pk, "1.2"])
    fragment = client.post(url, {"1.2-input_a": "850", "1.2-input_b": "1.000.000"}).content.decode()
    assert "Đã đọc" in fragment and "= <strong>1000000</strong>" in fragment
    fragment = client.post(url, {"1.2-input_a": "850", "1.2-input_b": "1.000"}).content.decode()
    assert "hãy nhập 1000 hoặc 1" in fragment
    fragment = client.post(url, {"1.2-input_a": "1001", "1.2-input_b": "1000"}).content.decode()
    assert "tử số a lớn hơn mẫu số b" in fragment


@pytest.mark.parametrize(("typed", "fault"), [("1.000", "hai cách đọc"), ("3,5", "cần một số nguyên"),
                                             ("1e3", "lũy thừa"), ("４", "chữ số 0–9"),
                                             ("1e999999999", "lũy thừa")])
def test_a_value_that_cannot_be_read_safely_is_refused_and_nothing_is_saved(as_user, chi_participation, typed,
                                                                           fault):
    page = save(as_user("chi"), chi_participation, "1.1", value=typed).content.decode()
    assert fault in page
    assert not chi_participation.entries.filter(indicator_code="1.1").exists()


def test_a_draft_with_a_value_still_missing_refuses_the_values_it_cannot_read(as_user, chi_participation):
    """A draft may lack the denominator for now; the numerator it holds is read like every other number."""
    client = as_user("chi")
    page = save(client, chi_participation, "1.2", a="1.000").content.decode()
    assert "hãy nhập 1000 hoặc 1" in page
    assert not chi_participation.entries.filter(indicator_code="1.2").exists()
    save(client, chi_participation, "1.2", a="1000")
    assert chi_participation.entries.get(indicator_code="1.2").inputs == {"a": "1000"}
    preview = client.post(reverse("assessments:declaration_preview", args=[chi_participation.pk, "1.2"]),
                          {"1.2-input_a": "1e3"}).content.decode()
    assert "lũy thừa" in preview


def test_points_relative_to_the_best_are_scored_with_the_group_and_follow_its_best(db):
    """A unit's points on a relative-to-best indicator come from the whole group, on its page and in the stored
    progress figures, and move when another unit's value changes the best."""
    from dti.assessments.actions import reviews

    data = framework_data([indicator({"kind": "relative_to_best", "value": "Số dịch vụ"}, "1.1", 20)], max_points=20)
    version, _ = import_framework(yaml.safe_dump(data, allow_unicode=True), "t.yaml")
    period = create_period(year=2025, name="x", framework=version)
    add_participants(period, [Unit.objects.create(name=name, group_code="g") for name in ("Xã A", "Xã B")])
    period = advance_period(period, "declaring")
    a, b = (period.participations.get(unit__name=name) for name in ("Xã A", "Xã B"))
    target = _indicator(a, "1.1")

    def declare(participation, value):
        declarations.save_declared_indicator(participation, target, inputs={"value": value}, not_applicable=False,
                                             comment="", expected_version=None, by=None)

    def stored(participation, stage="declared"):
        return participation.entries.get(stage=stage).points

    declare(a, "5")
    assert stored(a) == 20  # alone in the group, A is the best
    declare(b, "8")
    assert (stored(a), stored(b)) == (D("12.5"), 20)
    result, _problem = declarations.preview(target, {"value": "6"}, False, a)
    assert result.points == 15 and result.explanation == "6 so với cao nhất khối 8 → 15/20 điểm"
    assert declarations.entered_points(a, "declared")["P"] == D("12.5")
    declare(b, "2")  # B's new value makes A the best: A's points move without A saving anything
    assert (stored(a), stored(b)) == (20, 8)
    # Reviewed: a unit not yet reviewed counts with its declared value.
    for participation in (a, b):
        declarations.submit_declaration(participation, by=None)
    period = advance_period(period, "reviewing")
    reviews.adjust(a, target, inputs={"value": "1"}, not_applicable=False, reason="Chỉ 1 dịch vụ có hồ sơ",
                   by=None)
    assert stored(a, "reviewed") == 10  # 1 against B's declared 2
    reviews.accept(b, target, by=None)
    assert (stored(a, "reviewed"), stored(b, "reviewed")) == (10, 20)


def test_a_save_and_the_page_after_it_read_only_what_they_need(as_user, chi_participation):
    """At the deadline every officer saves and reads the page again, every few seconds: a save is the session,
    the person (with their role, unit and second step), the unit's participation (with its declaration), then the
    declaration and the page's entries inside the transaction and three writes (the entry, the period's write
    version, the audit entry); the page is the same three reads and the entries, questions and evidence."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user("chi")
    save(client, chi_participation, "1.1", version=0, value="3")

    def statements(captured):
        return [q["sql"].split()[0].upper() for q in captured.captured_queries
                if q["sql"].lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE", "DELETE"))]

    data = {"indicator": "1.1", "1.1-version": 1, "1.1-input_value": "4"}
    with CaptureQueriesContext(connection) as saving:
        assert client.post(pillar_url(chi_participation), data).status_code == 302
    assert statements(saving) == ["SELECT"] * 5 + ["UPDATE", "UPDATE", "INSERT"]
    assert chi_participation.entries.get(indicator_code="1.1", stage="declared").inputs == {"value": "4"}
    with CaptureQueriesContext(connection) as reading:
        assert client.get(pillar_url(chi_participation)).status_code == 200
    assert statements(reading) == ["SELECT"] * 6
