from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BACNINH_FRAMEWORK = ROOT / "frameworks" / "bacninh-2023.yaml"
BACNINH_DATA = ROOT / "data" / "bacninh-2023.csv"
NATIONAL_FRAMEWORK = ROOT / "frameworks" / "national-2022-province.yaml"


@pytest.fixture
def bacninh_framework():
    from dti.documents.frameworks import load_framework

    return load_framework(BACNINH_FRAMEWORK)


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Every test starts with an empty cache: published pages are cached under the published snapshots, and
    two tests that load the same demo data would otherwise share pages whose links name other rows."""
    from django.core.cache import cache

    cache.clear()
    yield
