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
