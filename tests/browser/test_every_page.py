"""Every public page, in both languages, on a wide screen and on a phone: nothing wider than the screen, no
serious or critical accessibility violation, no chart label over another, and on the English page no Vietnamese
left untranslated — a name the data gives (a unit, a decision's number, a framework text without English) is
marked lang="vi", which is what lets a screen reader say it in Vietnamese and this test tell it from a sentence."""

import json

import pytest

from dti.assessments.models import Participation

from .test_portal import OVERLAPS, serious_violations

pytestmark = pytest.mark.django_db(transaction=True)

UNTRANSLATED = r"""() => {
  const vietnamese = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;
  const documentNumber = /\d+\/[A-ZĐ]+(-[A-ZĐ]+)*/g;  // 2405/QĐ-UBND: a number, read as it is written
  const names = Array.from(document.querySelectorAll('[lang^="vi"]'), e => e.textContent.trim()).filter(Boolean);
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, text = node.textContent.trim(), element = node.parentElement;
    if (!vietnamese.test(text.replace(documentNumber, "")) || element.closest('script, style, [lang^="vi"]')) continue;
    // a chart draws text without markup: its Vietnamese labels must be names the page marks elsewhere
    const label = text.replace(/…$/, "");
    if (element.closest("svg") && names.some(name => name.startsWith(label) || label.includes(name))) continue;
    found.push(text);
  }
  return found;
}"""


def public_pages(period) -> list[str]:
    department = Participation.objects.get(period=period, unit__name="Sở Khoa học và Công nghệ")
    district = Participation.objects.get(period=period, unit__name="UBND TP. Bắc Ninh")
    return ["/", f"/ket-qua/{period.pk}/", f"/ket-qua/{period.pk}/khoi/so-nganh/",
            f"/ket-qua/{period.pk}/khoi/huyen/", f"/ket-qua/{period.pk}/don-vi/{department.pk}/",
            f"/ket-qua/{period.pk}/don-vi/{district.pk}/", f"/ket-qua/{period.pk}/phuong-phap/",
            f"/so-sanh/?ky={period.pk}&don-vi={department.pk}&don-vi={district.pk}", "/gioi-thieu/",
            "/khong-co-trang-nay/"]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("width", [1400, 390])
def test_every_public_page_fits_reads_and_labels_its_charts_in_both_languages(live_server, browser, published,
                                                                              width, language):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN",
                                  is_mobile=width < 500)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    faults = {}
    for path in public_pages(published):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.lang") == language, path
        for chart in page.locator(".chart").all():  # drawn before they are measured
            chart.locator("svg").first.wait_for()
        found = {
            "wider than the screen": page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth") > 1,
            "accessibility": serious_violations(page),
            "labels over each other": {chart: overlaps for chart in page.locator(".chart").evaluate_all(
                "nodes => nodes.map(n => '#' + n.id)") if (overlaps := page.evaluate(OVERLAPS, chart))},
            "untranslated": page.evaluate(UNTRANSLATED) if language == "en" else [],
        }
        if any(found.values()):
            faults[path] = {fault: what for fault, what in found.items() if what}
    context.close()
    assert faults == {}, json.dumps(faults, ensure_ascii=False, indent=1)
