"""The documents' font ships with the package: a machine with no fonts at all writes the same documents."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from dti.documents.frameworks import load_framework
from dti.documents.results import load_results
from dti.documents.unit_report import unit_report
from dti.engine import score_framework

from ..conftest import BACNINH_DATA, BACNINH_FRAMEWORK
from .pdfs import DOCUMENT_FONTS, font_families, pdf_text

DECISION_SETTINGS = BACNINH_DATA.with_name("bacninh-2023-decision.yaml")
CHART = """
import hashlib, sys
from dti.documents.frameworks import load_framework
from dti.documents.results import load_results
from dti.documents.unit_report import unit_report
from dti.engine import score_framework
framework = load_framework(sys.argv[1])
result = score_framework(framework, load_results(sys.argv[2], framework).groups)
print(hashlib.sha256(unit_report(result.groups[0], 0, period="2023").chart.png(scale=1)).hexdigest())
"""


def without_fonts(tmp_path: Path) -> dict:
    """The environment of a machine whose fontconfig knows no font folder at all."""
    config = tmp_path / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                      f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n")
    return {**os.environ, "FONTCONFIG_FILE": str(config), "FONTCONFIG_PATH": str(tmp_path)}


def test_a_machine_without_any_font_writes_the_documents_in_the_shipped_serif(tmp_path):
    environment = without_fonts(tmp_path)
    fc_list = shutil.which("fc-list")
    if fc_list:
        listed = subprocess.run([fc_list], env=environment, capture_output=True, text=True, check=False)
        assert listed.stdout.strip() == ""  # the machine really has no font
    out = tmp_path / "van-ban"
    subprocess.run([sys.executable, "-m", "dti.cli", "export-decision", "-f", str(BACNINH_FRAMEWORK), "-d",
                    str(BACNINH_DATA), "-s", str(DECISION_SETTINGS), "-o", str(out)], env=environment, check=True,
                   capture_output=True)
    pdfs = sorted(out.rglob("*.pdf"))
    assert len(pdfs) > 3
    for path in pdfs:
        assert font_families(path) <= DOCUMENT_FONTS, path.name
        text = pdf_text(path)
        assert "(cid:" not in text and "\ufffd" not in text, path.name
    assert "Xuất sắc" in pdf_text(next(p for p in pdfs if "quyet-dinh" in p.name))


def test_the_chart_is_drawn_identically_with_or_without_the_machines_fonts(tmp_path):
    framework = load_framework(BACNINH_FRAMEWORK)
    result = score_framework(framework, load_results(BACNINH_DATA, framework).groups)
    here = hashlib.sha256(unit_report(result.groups[0], 0, period="2023").chart.png(scale=1)).hexdigest()
    bare = subprocess.run([sys.executable, "-c", CHART, str(BACNINH_FRAMEWORK), str(BACNINH_DATA)],
                          env=without_fonts(tmp_path), capture_output=True, text=True, check=True)
    assert bare.stdout.strip() == here
