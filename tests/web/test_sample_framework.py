"""The shipped example framework in today's shape (communes and wards, departments, 100 points each): it loads,
its maxima add up, it names itself an example wherever its name is shown, and the secretariat can import it."""

from decimal import Decimal

import yaml
from django.urls import reverse

from dti.assessments.actions.frameworks import import_framework
from dti.engine import build_framework

from ..conftest import ROOT

SAMPLE = ROOT / "frameworks" / "mau-bacninh-2026.yaml"


def test_the_sample_framework_has_communes_and_departments_out_of_100():
    framework = build_framework(yaml.safe_load(SAMPLE.read_text(encoding="utf-8")), SAMPLE.name)
    groups = {g.code: g for g in framework.groups}
    assert {code: (g.max_points, len(g.pillars), len(g.leaves())) for code, g in groups.items()} == {
        "xa-phuong": (Decimal(100), 8, 14), "so-nganh": (Decimal(100), 6, 6)}
    assert all("bộ chỉ số mẫu" in g.name for g in framework.groups) and "bộ chỉ số mẫu" in framework.name


def test_the_secretariat_imports_it_and_its_page_says_it_is_an_example(as_user, people):
    version, _created = import_framework(SAMPLE.read_text(encoding="utf-8"), SAMPLE.name, by=people["an"])
    page = as_user("an").get(reverse("assessments:framework", args=[version.pk])).content.decode()
    assert "Xã, phường (bộ chỉ số mẫu)" in page and "không phải văn bản ban hành" in page
