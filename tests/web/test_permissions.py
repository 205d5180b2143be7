"""Every URL as every role and as an anonymous visitor, with objects of another unit and another group."""

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, get_resolver, resolve, reverse
from django.utils import timezone

from dti.assessments.actions.imports import import_results
from dti.assessments.actions.periods import add_participants, create_period
from dti.assessments.models import Appeal, Clarification, Evidence, Period, Unit

from ..conftest import BACNINH_DATA, publish

ROLES = [None, "an", "binh", "chi", "dung", "lan"]
ALLOWED, FORBIDDEN, LOGIN, MISSING = 200, 403, 302, 404


# Every case below reads the same rows: they are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")
OBJECTS = ("period", "other", "published", "unit", "framework", "chi", "evidence", "appeal", "question", "draft")


def extend_world(world):
    period = world["period"]
    other = create_period(year=2024, name="Kỳ 2024", framework=period.framework)
    add_participants(other, [Unit.objects.get(name="Sở Y tế")])
    published = create_period(year=2022, name="Kỳ 2022 đã công bố", framework=period.framework)
    import_results(published, BACNINH_DATA)  # a period without units cannot be published
    publish(published)
    chi = period.participations.get(unit__name="UBND TP. Bắc Ninh")
    # Test data written directly: a citation (no file) and an appeal, whose pages and actions are checked below.
    evidence = Evidence(participation=chi, indicator_code="1.1", symbol="12/BC-UBND", original_name="bien-ban.pdf",
                        content_type="application/pdf")
    evidence.file.save("evidence", ContentFile(b"%PDF-1.4 bien ban"))
    appeal = Appeal.objects.create(participation=chi, indicator_code="1.1", reason="Có 4 biên bản")
    question = Clarification.objects.create(participation=chi, indicator_code="1.2", question="Vì sao?",
                                            sent_at=timezone.now())
    draft = Clarification.objects.create(participation=chi, indicator_code="1.1", question="Chưa gửi")
    world.update(other=other, published=published, unit=Unit.objects.first(), framework=period.framework,
                 chi=chi, evidence=evidence, appeal=appeal, question=question, draft=draft)


@pytest.fixture
def objects(world, people):
    return {name: world[name] for name in OBJECTS} | {"user": people["lan"]}


def expected(allowed_roles, role):
    if role is None:
        return LOGIN
    return ALLOWED if role in allowed_roles else FORBIDDEN


EVERYONE = {"an", "binh", "chi", "dung", "lan"}
READERS = {"an", "lan"}
SECRETARIAT = {"an"}
CHIS_READERS = {"an", "lan", "binh", "chi"}  # Chi's district: Chi, its reviewer Bình and the readers
CASES = [
    # (name, method, url builder, roles allowed)
    ("dashboard", "get", lambda o: reverse("assessments:dashboard"), EVERYONE),
    ("frameworks", "get", lambda o: reverse("assessments:frameworks"), READERS),
    ("framework import", "post", lambda o: reverse("assessments:frameworks"), SECRETARIAT),
    ("framework tree", "get", lambda o: reverse("assessments:framework", args=[o["framework"].pk]), READERS),
    ("framework annex", "get", lambda o: reverse("assessments:framework_annex", args=[o["framework"].pk]), READERS),
    ("framework template", "get", lambda o: reverse("assessments:framework_template"), READERS),
    ("units", "get", lambda o: reverse("assessments:units"), READERS),
    ("unit add", "post", lambda o: reverse("assessments:units"), SECRETARIAT),
    ("unit edit", "get", lambda o: reverse("assessments:unit", args=[o["unit"].pk]), SECRETARIAT),
    ("users", "get", lambda o: reverse("assessments:users"), SECRETARIAT),
    ("user create", "post", lambda o: reverse("assessments:users"), SECRETARIAT),
    ("outbox", "get", lambda o: reverse("assessments:outbox"), SECRETARIAT),
    ("outbox retry", "post", lambda o: reverse("assessments:outbox"), SECRETARIAT),
    ("periods", "get", lambda o: reverse("assessments:periods"), EVERYONE),
    ("period create", "post", lambda o: reverse("assessments:periods"), SECRETARIAT),
    # Bình reviews districts of the 2023 period; Chi (a district) and Dung (a department) take part in it.
    ("period", "get", lambda o: reverse("assessments:period", args=[o["period"].pk]), EVERYONE),
    ("period results", "get", lambda o: reverse("assessments:period_results", args=[o["period"].pk]), EVERYONE),
    # The 2024 period has only Sở Y tế and no reviewer: Chi and Bình have nothing there.
    ("other period", "get", lambda o: reverse("assessments:period", args=[o["other"].pk]), {"an", "lan", "dung"}),
    ("other period results", "get", lambda o: reverse("assessments:period_results", args=[o["other"].pk]),
     {"an", "lan", "dung"}),
    ("period advance", "post", lambda o: reverse("assessments:period_advance", args=[o["period"].pk]), SECRETARIAT),
    ("period timeline", "post", lambda o: reverse("assessments:period_timeline", args=[o["period"].pk]),
     SECRETARIAT),
    ("period import", "post", lambda o: reverse("assessments:period_import", args=[o["period"].pk]), SECRETARIAT),
    ("period assign", "post", lambda o: reverse("assessments:period_assign", args=[o["period"].pk]), SECRETARIAT),
    ("period add unit", "post", lambda o: reverse("assessments:period_add_unit", args=[o["other"].pk]), SECRETARIAT),
    ("period remove unit", "post", lambda o: reverse("assessments:period_remove_unit",
                                                     args=[o["other"].pk, o["other"].participations.get().pk]),
     SECRETARIAT),
    ("period remind", "post", lambda o: reverse("assessments:period_remind", args=[o["period"].pk]), SECRETARIAT),
    ("period progress", "get", lambda o: reverse("assessments:period_progress", args=[o["period"].pk]), READERS),
    ("review queue", "get", lambda o: reverse("assessments:review_queue", args=[o["period"].pk]), {"an", "binh"}),
    ("units from register", "post", lambda o: reverse("assessments:units_from_register"), SECRETARIAT),
    ("units merge", "post", lambda o: reverse("assessments:units_merge"), SECRETARIAT),
    ("period appeals", "get", lambda o: reverse("assessments:period_appeals", args=[o["period"].pk]),
     {"an", "binh"}),
    ("units template", "get", lambda o: reverse("assessments:units_template"), SECRETARIAT),
    ("units import", "post", lambda o: reverse("assessments:units_import"), SECRETARIAT),
    ("accounts template", "get", lambda o: reverse("assessments:accounts_template"), SECRETARIAT),
    ("accounts import", "post", lambda o: reverse("assessments:accounts_import"), SECRETARIAT),
    ("user", "get", lambda o: reverse("assessments:user", args=[o["user"].pk]), SECRETARIAT),
    ("user edit", "post", lambda o: reverse("assessments:user", args=[o["user"].pk]), SECRETARIAT),
    ("user toggle", "post", lambda o: reverse("assessments:user_toggle", args=[o["user"].pk]), SECRETARIAT),
    ("decision page", "get", lambda o: reverse("assessments:period_decision", args=[o["period"].pk]), READERS),
    ("decision settings", "post", lambda o: reverse("assessments:period_decision", args=[o["period"].pk]),
     SECRETARIAT),
    ("period document", "get", lambda o: reverse("assessments:period_download",
                                                 args=[o["period"].pk, "phu-luc.xlsx"]), READERS),
    ("prepared files", "get", lambda o: reverse("assessments:prepared_files", args=[o["period"].pk]), READERS),
    ("prepare a file", "post", lambda o: (reverse("assessments:prepared_files", args=[o["period"].pk]),
                                          {"kind": "unit_reports"}), READERS),
    ("prepared download", "get", lambda o: reverse("assessments:prepared_download",
                                                   args=[o["period"].pk, prepared_file(o["period"]).pk]), READERS),
    ("period analysis", "get", lambda o: reverse("assessments:period_analysis", args=[o["period"].pk]), READERS),
    ("unit analysis", "get", lambda o: reverse("assessments:participation_analysis", args=[
        o["period"].participations.get(unit__name="UBND TP. Bắc Ninh").pk]), {"an", "lan", "binh", "chi"}),
    # Chi's own district: Chi, the district reviewer Bình, and the readers; not Dung.
    ("unit report", "get", lambda o: reverse("assessments:unit_report", args=[
        o["period"].participations.get(unit__name="UBND TP. Bắc Ninh").pk, "docx"]), {"an", "lan", "binh", "chi"}),
    ("log", "get", lambda o: reverse("assessments:log"), READERS),
    ("declaration", "get", lambda o: reverse("assessments:declaration", args=[o["chi"].pk]), CHIS_READERS),
    ("declaration pillar", "get", lambda o: reverse("assessments:declaration_pillar", args=[o["chi"].pk, "NTS"]),
     CHIS_READERS),
    ("declaration save", "post", lambda o: reverse("assessments:declaration_pillar", args=[o["chi"].pk, "NTS"]),
     {"chi"}),
    ("declaration preview", "post", lambda o: reverse("assessments:declaration_preview", args=[o["chi"].pk, "1.1"]),
     {"chi"}),
    ("declaration submit", "post", lambda o: reverse("assessments:declaration_submit", args=[o["chi"].pk]), {"chi"}),
    ("declaration reopen", "post", lambda o: reverse("assessments:declaration_reopen", args=[o["chi"].pk]),
     SECRETARIAT),
    ("declaration history", "get", lambda o: reverse("assessments:declaration_history", args=[o["chi"].pk]),
     CHIS_READERS),
    ("declaration appeals", "get", lambda o: reverse("assessments:declaration_appeals", args=[o["chi"].pk]),
     CHIS_READERS),
    ("appeal", "post", lambda o: (reverse("assessments:declaration_appeals", args=[o["chi"].pk]),
                                  {"indicator": "1.1", "reason": "Có 4 biên bản"}), {"chi"}),
    ("evidence add", "post", lambda o: reverse("assessments:evidence_add", args=[o["chi"].pk, "1.1"]), {"chi"}),
    ("evidence", "get", lambda o: reverse("assessments:evidence", args=[o["evidence"].pk]), CHIS_READERS),
    ("evidence withdraw", "post", lambda o: reverse("assessments:evidence_withdraw", args=[o["evidence"].pk]),
     {"chi"}),
    ("review unit", "get", lambda o: reverse("assessments:review_unit", args=[o["chi"].pk]), {"an", "binh"}),
    # Dung's department is in a group Bình does not review.
    ("review other group", "get", lambda o: reverse("assessments:review_unit", args=[
        o["period"].participations.get(unit__name="Sở Y tế").pk]), {"an"}),
    # The secretariat may act as a reviewer of any group.
    ("review action", "post", lambda o: (reverse("assessments:review_action", args=[o["chi"].pk, "1.1"]),
                                         {"action": "accept"}), {"an", "binh"}),
    ("accept remaining", "post", lambda o: reverse("assessments:accept_remaining", args=[o["chi"].pk]), {"an", "binh"}),
    ("questions send", "post", lambda o: reverse("assessments:questions_send", args=[o["chi"].pk]), {"an", "binh"}),
    ("question discard", "post", lambda o: reverse("assessments:question_discard",
                                                   args=[o["chi"].pk, o["draft"].pk]), {"an", "binh"}),
    ("declaration return", "post", lambda o: (reverse("assessments:declaration_return", args=[o["chi"].pk]),
                                              {"reason": "Sửa lại"}), {"an", "binh"}),
    ("question answer", "post", lambda o: (reverse("assessments:question_answer",
                                                   args=[o["chi"].pk, o["question"].pk]), {"answer": "Vì thế"}),
     {"chi"}),
    ("second review", "post", lambda o: reverse("assessments:second_review", args=[o["chi"].pk]), {"an", "binh"}),
    ("appeal decision", "post", lambda o: reverse("assessments:decide_appeal", args=[o["chi"].pk, o["appeal"].pk]),
     {"an", "binh"}),
]


def prepared_file(period):
    """A file the worker has made for the period."""
    from django.core.files.base import ContentFile

    from dti.assessments.models import PreparedFile

    prepared = PreparedFile(period=period, kind=PreparedFile.Kind.UNIT_REPORTS, version="v", state="done",
                            filename="bao-cao.zip")
    prepared.file.save("bao-cao.zip", ContentFile(b"PK"), save=True)
    return prepared


def target(url, objects) -> tuple[str, dict]:
    """A case's address and the data it posts (a case gives an address, or an address and its data)."""
    built = url(objects)
    return built if isinstance(built, tuple) else (built, {})


def test_every_signed_in_address_is_in_the_matrix(objects):
    """The addresses of the signed-in side, read from the URL resolver: a new one fails here until the matrix
    says who may open it."""
    covered = {(resolve(target(url, objects)[0]).url_name, method) for _name, method, url, _allowed in CASES}
    patterns = next(p for p in get_resolver().url_patterns
                    if getattr(p, "namespace", None) == "assessments").url_patterns
    names = {p.name for p in patterns if isinstance(p, URLPattern)}
    assert names - {name for name, _method in covered} == set()


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
@pytest.mark.parametrize(("name", "method", "url", "allowed"), CASES, ids=[c[0] for c in CASES])
def test_permission_matrix(as_user, objects, role, name, method, url, allowed):
    client = as_user(role)
    address, data = target(url, objects)
    response = getattr(client, method)(address, data)
    want = expected(allowed, role)
    if want == ALLOWED and method == "post":
        assert response.status_code in (200, 302), (name, role, response.status_code)
        if response.status_code == 302:
            assert "dang-nhap" not in response["Location"]
    elif want == LOGIN:
        assert response.status_code == 302 and "dang-nhap" in response["Location"], (name, response.status_code)
    else:
        assert response.status_code == want, (name, role, response.status_code)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_the_public_sees_published_periods_only(as_user, objects, role):
    client = as_user(role)
    assert client.get(reverse("portal:home")).status_code == ALLOWED
    assert client.get(reverse("portal:period", args=[objects["published"].pk])).status_code == ALLOWED
    assert client.get(reverse("portal:period", args=[objects["period"].pk])).status_code == MISSING


def test_a_unit_officer_sees_only_their_own_unit(as_user, objects):
    url = reverse("assessments:period_results", args=[objects["period"].pk])
    chi = as_user("chi").get(url).content.decode()
    assert "UBND TP. Bắc Ninh" in chi and "Sở Y tế" not in chi and "UBND Thị xã Quế Võ" not in chi
    dung = as_user("dung").get(url).content.decode()
    assert "Sở Y tế" in dung and "UBND TP. Bắc Ninh" not in dung


def test_a_reviewer_sees_only_the_groups_assigned(as_user, objects):
    page = as_user("binh").get(reverse("assessments:period_results", args=[objects["period"].pk])).content.decode()
    assert "UBND Thị xã Quế Võ" in page and "Sở Y tế" not in page
    detail = as_user("binh").get(reverse("assessments:period", args=[objects["period"].pk])).content.decode()
    assert "Sở Tài chính" not in detail


def test_a_leader_reads_but_cannot_move_a_period(as_user, objects):
    client = as_user("lan")
    page = client.get(reverse("assessments:period", args=[objects["period"].pk])).content.decode()
    assert "chuyen-trang-thai" not in page
    client.post(reverse("assessments:period_advance", args=[objects["period"].pk]),
                {"to_state": "declaring", "confirmed": "true"})
    assert Period.objects.get(pk=objects["period"].pk).state == "draft"


def test_units_join_and_leave_a_period_only_while_it_is_open(as_user, objects):
    client = as_user("an")
    other = objects["other"]
    unit = Unit.objects.get(name="UBND TP. Bắc Ninh")
    group = other.framework.groups.get(code="huyen")
    client.post(reverse("assessments:period_add_unit", args=[other.pk]),
                {"unit": unit.pk, "group": group.pk, "ranked": "on"})
    participation = other.participations.get(unit=unit)
    client.post(reverse("assessments:period_remove_unit", args=[other.pk, participation.pk]))
    assert not other.participations.filter(unit=unit).exists()
    # The 2023 period has figures: its units cannot leave.
    first = objects["period"].participations.first()
    page = client.post(reverse("assessments:period_remove_unit", args=[objects["period"].pk, first.pk]), follow=True)
    assert objects["period"].participations.filter(pk=first.pk).exists()
    assert "cannot leave" in page.content.decode() or "không thể" in page.content.decode()


def test_the_secretariat_disables_an_account_which_then_cannot_sign_in(as_user, objects, people):
    client = as_user("an")
    client.post(reverse("assessments:user_toggle", args=[people["chi"].pk]))
    people["chi"].refresh_from_db()
    assert not people["chi"].is_active
    client.logout()
    from .conftest import PASSWORD

    response = client.post(reverse("accounts:login"), {"username": "chi", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session  # the form again, signed out


def test_a_renamed_unit_records_its_lineage(as_user, objects):
    client = as_user("an")
    old, new = Unit.objects.get(name="UBND Thị xã Quế Võ"), Unit.objects.create(name="UBND TP. Quế Võ",
                                                                                  group_code="huyen")
    client.post(reverse("assessments:unit", args=[new.pk]), {"predecessor": old.pk, "kind": "renamed", "year": 2024})
    page = client.get(reverse("assessments:unit", args=[old.pk])).content.decode()
    assert "UBND TP. Quế Võ" in page


def test_a_unit_officer_sees_their_true_rank_in_the_group(as_user, objects):
    page = as_user("chi").get(reverse("assessments:period_results", args=[objects["period"].pk])).content.decode()
    row = page.split("UBND TP. Bắc Ninh", 1)[1].split("</tr>", 1)[0]
    assert ">3</td>" in row and "658,32" in row  # third of eight districts, as published
    assert "601,80" in page  # the group's reviewed average, not the unit's own total


def test_the_secretariat_opens_a_period_with_its_timeline_and_second_review_margin(as_user, objects):
    client = as_user("an")
    client.post(reverse("assessments:periods"), {
        "year": 2025, "name": "Kỳ 2025", "framework": objects["framework"].pk, "declaration_opens": "2025-10-01",
        "declaration_closes": "2025-11-15", "second_review_margin": "3.5", "add_units": "on"})
    created = Period.objects.get(year=2025)
    assert created.second_review_margin == 3.5 and created.participations.count() == 25
    assert created.comparison_method == Period.Comparison.MEAN  # left out: the national method
    page = client.get(reverse("assessments:period", args=[created.pk])).content.decode()
    assert "trung bình cộng điểm của các đơn vị tiền thân (cách tính của cả nước)" in page


def test_every_unit_of_the_groups_means_those_that_exist_that_year(as_user, objects):
    from dti.assessments.actions.units import merge_units

    merged = merge_units([Unit.objects.get(name="Sở Thông tin và truyền thông"),
                          Unit.objects.get(name="Sở Khoa học và Công nghệ")],
                         name="Sở Khoa học và Công nghệ tỉnh Bắc Ninh", group_code="so-nganh", year=2025)
    as_user("an").post(reverse("assessments:periods"), {
        "year": 2025, "name": "Kỳ 2025", "framework": objects["framework"].pk, "second_review_margin": "0",
        "add_units": "on"})
    units = set(Period.objects.get(year=2025).participations.values_list("unit__name", flat=True))
    assert merged.name in units and len(units) == 24  # two merged into one
    assert "Sở Thông tin và truyền thông" not in units and "Sở Khoa học và Công nghệ" not in units
