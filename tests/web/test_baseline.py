"""A unit's comparison with an earlier year: its own result, or a merged unit's predecessors' by the period's
stated method — the merged Sở Khoa học và Công nghệ against the 2023 results of Sở Thông tin và Truyền thông and
Sở Khoa học và Công nghệ (Phụ lục I of 2405/QĐ-UBND: 929.35 and 734.82 after review)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dti.assessments.actions.imports import import_results
from dti.assessments.actions.periods import create_period
from dti.assessments.actions.units import merge_units
from dti.assessments.models import Period, Unit
from dti.assessments.queries.baseline import MEAN, OWN, PERCENT, Baseline, NoBaseline, baseline

from ..conftest import BACNINH_DATA, publish

MERGED = "Sở Khoa học và Công nghệ tỉnh Bắc Ninh"


@pytest.fixture
def merged(db):
    from dti.assessments.operations.demo import load_demo

    load_demo()
    predecessors = [Unit.objects.get(name="Sở Thông tin và truyền thông"),
                    Unit.objects.get(name="Sở Khoa học và Công nghệ")]
    return merge_units(predecessors, name=MERGED, group_code="so-nganh", year=2025)


def test_the_merged_department_is_compared_through_its_predecessors_by_the_plain_mean(merged):
    found = baseline(merged, 2026, Decimal(1000), MEAN)
    assert isinstance(found, Baseline) and (found.year, found.method) == (2023, MEAN)
    assert found.value == Decimal("832.085")  # (929.35 + 734.82) / 2, exact
    assert found.sentence() == (
        "So với năm 2023 qua các đơn vị tiền thân, theo trung bình cộng điểm (cách tính của cả nước): "
        "Sở Khoa học và Công nghệ 734,82; Sở Thông tin và truyền thông 929,35 → 832,09 điểm.")
    assert found.change(Decimal("850"), Decimal(1000)) == Decimal("17.915")


def test_as_a_percentage_a_year_out_of_100_compares_with_one_out_of_1000(merged):
    found = baseline(merged, 2026, Decimal(100), PERCENT)
    assert found.value == Decimal("83.2085")  # (92.935% + 73.482%) / 2
    assert "734,82/1.000,00 (73,48%)" in found.sentence() and "→ 83,21%." in found.sentence()
    assert found.change(Decimal("90"), Decimal(100)) == Decimal("6.7915")
    refused = baseline(merged, 2026, Decimal(100), MEAN)  # the plain mean needs the same maximum
    assert isinstance(refused, NoBaseline) and "thang điểm khác" in refused.reason


def test_a_unit_with_its_own_result_is_compared_with_it_and_a_new_commune_says_it_has_none(merged):
    own = baseline(Unit.objects.get(name="Sở Y tế"), 2026, Decimal(1000), MEAN)
    assert own.method == OWN and own.year == 2023 and len(own.sources) == 1
    assert baseline(Unit.objects.get(name="Sở Y tế"), 2023, Decimal(1000), MEAN) is None  # nothing earlier
    communes = [Unit.objects.create(name=name, group_code="xa") for name in ("Xã Lạc Vệ", "Xã Tân Chi")]
    new = merge_units(communes, name="Xã Tân Chi (mới)", group_code="xa", year=2025)
    none = baseline(new, 2026, Decimal(100), PERCENT)
    assert isinstance(none, NoBaseline)
    assert none.reason.startswith("Hình thành từ Xã Lạc Vệ, Xã Tân Chi; các đơn vị này chưa được đánh giá")


def test_a_units_public_page_states_its_comparison_and_the_change(client, merged):
    published_2023 = Period.objects.get(state=Period.State.PUBLISHED)
    later = create_period(year=2024, name="Kỳ 2024", framework=published_2023.framework)
    import_results(later, BACNINH_DATA)
    later = publish(later)
    participation = later.participations.get(unit__name="Sở Y tế")
    page = client.get(reverse("portal:unit", args=[later.pk, participation.pk])).content.decode()
    section = page.split('id="baseline"', 1)[1].split("</section>", 1)[0]
    assert "So với năm 2023: 875,83 điểm." in section and 'id="baseline-change">0,00 điểm' in section


def test_the_published_ranking_is_shown_beside_its_restatement_after_the_mergers(client, merged):
    """As the national DTI of 2024 ranked the merged provinces: the merged department on the plain mean of its
    predecessors' 2023 totals, (929.35 + 734.82) / 2 = 832.085, ranked again among the 16 departments it leaves."""
    period = Period.objects.get(state=Period.State.PUBLISHED)
    page = client.get(reverse("portal:group", args=[period.pk, "so-nganh"])).content.decode()
    before = page.split('id="before-mergers"', 1)[1].split("</table>", 1)[0]
    after = page.split('id="restated-after-mergers"', 1)[1].split("</table>", 1)[0]
    assert before.count("<tr>") == 18 and after.count("<tr>") == 17  # a header row, then 17 and 16 units
    merged_row = after.split(MERGED, 1)[1].split("</tr>", 1)[0]
    assert "hợp nhất từ Sở Khoa học và Công nghệ, Sở Thông tin và truyền thông" in merged_row
    assert '<td class="num">832,09</td>' in merged_row
    ahead = [t for t in (Decimal(c.split("</td>")[0].replace(",", ".")) for c in after.split('<td class="num">')[2::2])
             if t > Decimal("832.09")]  # as shown, rounded: the merged unit's own row is not ahead
    assert f'<tr><td class="num">{len(ahead) + 1}</td><td class="unit">{MERGED}' in after
    assert "Sở Thông tin và truyền thông</td>" in before and "Sở Thông tin và truyền thông</td>" not in after
    assert "không phải kết quả chính thức" in page


def test_a_group_without_mergers_since_shows_no_restatement(client, db):
    from dti.assessments.operations.demo import load_demo

    load_demo()
    period = Period.objects.get(state=Period.State.PUBLISHED)
    page = client.get(reverse("portal:group", args=[period.pk, "so-nganh"])).content.decode()
    assert 'id="before-mergers"' not in page and 'id="ranking"' in page
