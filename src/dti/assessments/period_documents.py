"""The documents of a period as the web application serves them: the decision and its appendices, open data and
each unit's report, written by ``dti.documents`` from the period's stored results and settings.

A period that is not yet finalized gets a decision marked as a draft. Documents of a published period never
change, so they are kept in Django's cache under the published snapshot's hash.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from dti.documents.appendix_xlsx import write_appendix_xlsx
from dti.documents.decision import DecisionSettings, build_decision, draft_settings, settings_from_mapping
from dti.documents.decision_docx import decision_docx
from dti.documents.opendata import DICTIONARY_CSV, RESULTS_CSV, RESULTS_JSON, open_data_files
from dti.documents.period_documents import APPENDICES, DECISION, appendices_docx, decision_pdfs, file_name
from dti.documents.unit_report import UnitReport, unit_report
from dti.documents.unit_report_files import unit_report_docx, unit_report_pdf

from . import policy
from .models import IndicatorEntry, Participation, Period, PublishedSnapshot, Stage
from .scores import period_results, published_key

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
JSON = "application/json"

# File name → content type of every document of a period, in the order pages list them.
PERIOD_DOCUMENTS = {
    f"{DECISION}.pdf": PDF, f"{DECISION}.docx": DOCX, f"{APPENDICES}.xlsx": XLSX, f"{APPENDICES}.pdf": PDF,
    f"{APPENDICES}.docx": DOCX, RESULTS_CSV: CSV, RESULTS_JSON: JSON, DICTIONARY_CSV: CSV,
}
REPORT_TYPES = {"pdf": PDF, "docx": DOCX}
# What each file is, as download lists name it.
DOCUMENT_LABELS = {
    f"{DECISION}.pdf": _("Decision with its appendices (PDF)"),
    f"{DECISION}.docx": _("Decision with its appendices (Word)"),
    f"{APPENDICES}.xlsx": _("Appendix tables (Excel)"),
    f"{APPENDICES}.pdf": _("Appendix tables (PDF)"),
    f"{APPENDICES}.docx": _("Appendix tables (Word)"),
    RESULTS_CSV: _("Open data: results (CSV)"),
    RESULTS_JSON: _("Open data: results (JSON)"),
    DICTIONARY_CSV: _("Open data: data dictionary (CSV)"),
}


def document_list() -> list[tuple[str, str]]:
    """(file name, label) of every document of a period, in the order pages list them."""
    return [(name, DOCUMENT_LABELS[name]) for name in PERIOD_DOCUMENTS]


@dataclass(frozen=True)
class Download:
    content: bytes
    content_type: str
    filename: str


def decision_settings(period: Period) -> DecisionSettings:
    """The period's settings, or a draft's from the framework when none were saved."""
    if period.decision_settings:
        return settings_from_mapping(period.decision_settings, period.name)
    return draft_settings(period.framework.parsed, period.year)


def is_draft(period: Period) -> bool:
    return period.state not in policy.LOCKED or not period.decision_settings


def _cached(period: Period, key: str, make):
    snapshot = published_key(period)
    if snapshot is None:
        return make()
    key = f"dti:document:{snapshot}:{key}"
    content = cache.get(key)
    if content is None:
        content = make()
        cache.set(key, content, timeout=None)
    return content


def period_document(period: Period, name: str) -> Download:
    """One document of the period by file name (a key of PERIOD_DOCUMENTS); raises DtiError while the period's
    results cannot be computed."""
    content_type = PERIOD_DOCUMENTS[name]
    content = _cached(period, name, lambda: _make(period, name))
    return Download(content, content_type, f"{file_name(period.name)}-{name}")


def _make(period: Period, name: str) -> bytes:
    result = period_results(period)
    settings = decision_settings(period)
    decision = build_decision(settings, result)
    draft = is_draft(period)
    if name in (f"{DECISION}.pdf", f"{APPENDICES}.pdf"):
        whole, appendices = decision_pdfs(decision, draft=draft)
        return whole if name.startswith(DECISION) else appendices
    if name == f"{DECISION}.docx":
        return decision_docx(settings, decision.appendices, draft=draft)
    if name == f"{APPENDICES}.docx":
        return appendices_docx(decision.appendices)
    if name == f"{APPENDICES}.xlsx":
        buffer = io.BytesIO()
        write_appendix_xlsx(decision.appendices, buffer)
        return buffer.getvalue()
    snapshot = PublishedSnapshot.objects.filter(period=period).first()
    meta = {"name": period.name, "year": period.year, "state": period.state,
            "published": snapshot.created_at.date().isoformat() if snapshot else None,
            "snapshot_sha256": snapshot.sha256 if snapshot else None}
    return open_data_files(result, period=meta)[name]


def reviewer_reasons(participation: Participation) -> dict[str, str]:
    """Indicator code → the reviewer's reason, where one was written."""
    return dict(IndicatorEntry.objects.filter(participation=participation, stage=Stage.REVIEWED)
                .exclude(reason="").values_list("indicator_code", "reason"))


def participation_report(participation: Participation, *, with_reasons: bool = False) -> UnitReport:
    """The report of a unit in a period, from the period's results (its whole group is scored); raises DtiError
    while results cannot be computed. ``with_reasons`` adds the reviewer's reasons (a database read)."""
    period = participation.period
    result = next(g for g in period_results(period).groups if g.group.code == participation.group.code)
    index = [u.name for u in result.units].index(participation.name)
    reasons = reviewer_reasons(participation) if with_reasons else None
    return unit_report(result, index, period=period.name, reasons=reasons)


def unit_report_document(participation: Participation, kind: str) -> Download:
    """The unit's report as ``kind`` (pdf or docx); raises DtiError while results cannot be computed."""
    period = participation.period

    def make() -> bytes:
        report = participation_report(participation, with_reasons=True)
        return unit_report_pdf(report) if kind == "pdf" else unit_report_docx(report)

    content = _cached(period, f"report:{participation.pk}.{kind}", make)
    return Download(content, REPORT_TYPES[kind], f"bao-cao-{file_name(participation.name)}-{period.year}.{kind}")
