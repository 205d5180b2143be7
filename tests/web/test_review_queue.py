"""The review queue at a province's scale: filters by state and by what waits (questions, appeals, second
reviews, changes), a search that needs no diacritics, sorts, and pages that keep the filters."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from dti.assessments.models import Appeal
from dti.assessments.queries.progress import filter_queue
from dti.assessments.views import helpers

from ..builders import forget_what_was_kept
from .test_declaration import chi_participation, fill_everything, open_period  # noqa: F401 - fixtures
from .test_review import act, ask, submitted  # noqa: F401 - fixtures

# The period and its people are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")


def queue(client, period, query=""):
    return client.get(reverse("assessments:review_queue", args=[period.pk]) + query).content.decode()


def units_listed(page: str) -> list[str]:
    start = page.index('<table id="queue"')
    table = page[start:page.index("</table>", start)]
    return [name for name in ("UBND TP. Bắc Ninh", "Sở Y tế") if f">{name}</a>" in table]


def test_a_search_without_diacritics_finds_the_unit(as_user, open_period):  # noqa: F811
    an = as_user("an")
    assert units_listed(queue(an, open_period)) == ["UBND TP. Bắc Ninh", "Sở Y tế"]
    assert units_listed(queue(an, open_period, "?q=bac+ninh")) == ["UBND TP. Bắc Ninh"]
    assert units_listed(queue(an, open_period, "?q=SO+Y")) == ["Sở Y tế"]
    assert "Không có đơn vị nào phù hợp." in queue(an, open_period, "?q=hai+phong")


def test_the_queue_filters_by_state_and_by_an_open_question_and_an_appeal(as_user, submitted):  # noqa: F811
    an, period = as_user("an"), submitted.period
    assert units_listed(queue(an, period, "?trang-thai=submitted")) == ["UBND TP. Bắc Ninh"]
    assert units_listed(queue(an, period, "?trang-thai=not_started")) == ["Sở Y tế"]
    binh = as_user("binh")
    act(binh, submitted, "1.2", action="clarify", question="Gửi biên bản")
    assert units_listed(queue(an, period, "?loc=cau-hoi")) == []  # written, not sent: not open for the unit
    ask(binh, submitted)
    page = queue(an, period, "?loc=cau-hoi")
    assert "Câu hỏi chưa trả lời: 1</a>" in page
    assert units_listed(page) == ["UBND TP. Bắc Ninh"] and "1 câu hỏi" in page
    assert units_listed(queue(an, period, "?loc=phuc-khao")) == []
    Appeal.objects.create(participation=submitted, indicator_code="1.1", reason="Có 4 biên bản")
    forget_what_was_kept()  # written here behind the actions, which would have moved the period's version
    page = queue(an, period, "?loc=phuc-khao")
    assert units_listed(page) == ["UBND TP. Bắc Ninh"] and "1 đề nghị phúc khảo" in page


def test_pages_keep_the_filters(as_user, open_period, monkeypatch):  # noqa: F811
    monkeypatch.setattr(helpers, "PAGE_SIZE", 1)
    an = as_user("an")
    first = queue(an, open_period, "?sap-xep=ten&chieu=giam")
    assert units_listed(first) == ["UBND TP. Bắc Ninh"] and "Trang 1/2" in first
    assert "?sap-xep=ten&amp;chieu=giam&amp;trang=2" in first
    assert units_listed(queue(an, open_period, "?sap-xep=ten&chieu=giam&trang=2")) == ["Sở Y tế"]


def row(name, **values):
    base = {"participation": SimpleNamespace(name=name), "state_key": "submitted", "reviewed_count": 0,
            "declared": Decimal(0), "reviewed": Decimal(0), "changes": 0, "open_questions": 0, "open_appeals": 0,
            "second_review": False, "first_look": False}
    return base | values


def test_filters_and_sorts_of_the_queue_one_by_one():
    rows = [row("Xã Đông Tiến", declared=Decimal("80.5"), second_review=True),
            row("Phường Vũ Ninh", state_key="draft", declared=Decimal("90"), changes=3),
            row("Xã An Bình", first_look=True, reviewed_count=7)]
    names = lambda rows: [r["participation"].name for r in rows]  # noqa: E731
    assert names(filter_queue(rows)) == ["Phường Vũ Ninh", "Xã An Bình", "Xã Đông Tiến"]  # by name, "Đ" as "D"
    assert names(filter_queue(rows, flag="tham-dinh-lan-hai")) == ["Xã Đông Tiến"]
    assert names(filter_queue(rows, flag="thay-doi")) == ["Phường Vũ Ninh", "Xã An Bình"]
    assert names(filter_queue(rows, state="draft")) == ["Phường Vũ Ninh"]
    assert names(filter_queue(rows, sort="tu-khai", descending=True)) == ["Phường Vũ Ninh", "Xã Đông Tiến",
                                                                          "Xã An Bình"]
    assert names(filter_queue(rows, sort="tien-do", descending=True))[0] == "Xã An Bình"
    assert names(filter_queue(rows, sort="nonsense")) == names(filter_queue(rows))
    assert names(filter_queue(rows, query="dong tien")) == ["Xã Đông Tiến"]


def test_appeals_and_second_reviews_have_their_own_lists(as_user, submitted, people, monkeypatch):  # noqa: F811
    from django.utils import timezone

    from dti.assessments.actions import reviews
    from dti.assessments.models import SecondReview

    decided = Appeal.objects.create(participation=submitted, indicator_code="1.2", reason="Có kế hoạch",
                                    state=Appeal.State.REJECTED, decision="Không có minh chứng",
                                    decided_at=timezone.now())
    Appeal.objects.create(participation=submitted, indicator_code="1.1", reason="Có 4 biên bản")
    monkeypatch.setattr(reviews, "second_review_needed", lambda period: frozenset({submitted.pk}))
    SecondReview.objects.create(participation=submitted, reviewer=people["an"], note="Đã xem lại 1.1")
    url = reverse("assessments:period_appeals", args=[submitted.period.pk])
    assert url in queue(as_user("binh"), submitted.period)  # linked from the queue
    page = as_user("binh").get(url).content.decode()
    assert "(1 cần quyết định)" in page
    rows = page.split('id="appeals"', 1)[1].split("</table>", 1)[0].split("<tr>")[2:]
    assert "Có 4 biên bản" in rows[0] and "cần quyết định" in rows[0]  # the open appeal first
    assert "Có kế hoạch" in rows[1] and decided.decision in rows[1]
    needed = page.split('id="second-reviews-needed"', 1)[1].split("</ul>", 1)[0]
    assert "UBND TP. Bắc Ninh" in needed
    assert "Đã xem lại 1.1" in page.split('id="second-reviews-done"', 1)[1]
