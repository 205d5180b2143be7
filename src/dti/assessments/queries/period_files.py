"""The documents of a period as the web application serves them: the decision and its appendices, open data and
each unit's report, written by ``dti.documents`` from the period's stored results and settings.

A period that is not yet finalized gets a decision marked as a draft. Documents of a published period never
change, so they are kept in Django's cache under the published snapshot's hash.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial

from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dti.assessments import policy
from dti.assessments.models import IndicatorEntry, Participation, Period, PublishedSnapshot, Stage
from dti.assessments.queries.kept import is_large, published_key
from dti.assessments.queries.scores import period_results
from dti.documents.appendix_xlsx import write_appendix_xlsx
from dti.documents.decision import (
    DecisionSettings,
    build_decision,
    decision_reference,
    draft_settings,
    settings_from_mapping,
    settings_to_mapping,
)
from dti.documents.decision_docx import decision_docx
from dti.documents.opendata import (
    AVERAGES_CSV,
    DICTIONARY_CSV,
    INPUTS_CSV,
    LICENSES,
    PACKAGE_JSON,
    PACKAGE_ZIP,
    RESULTS_CSV,
    RESULTS_JSON,
    License,
    PeriodFacts,
    UnitIdentity,
    inputs_csv,
    open_data_files,
    package_zip,
)
from dti.documents.period_documents import APPENDICES, DECISION, appendices_docx, decision_pdfs, file_name
from dti.documents.unit_report import UnitReport, unit_report
from dti.documents.unit_report_files import unit_report_docx, unit_report_pdf

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
JSON = "application/json"
ZIP = "application/zip"

@dataclass(frozen=True)
class Download:
    content: bytes
    content_type: str
    filename: str


class Sources:
    """What a period's documents are written from, each computed once and only when an exporter asks for it."""

    def __init__(self, period: Period):
        self.period = period

    @cached_property
    def result(self):
        return period_results(self.period)

    @cached_property
    def settings(self) -> DecisionSettings:
        return decision_settings(self.period)

    @cached_property
    def decision(self):
        return build_decision(self.settings, self.result, year=self.period.year)

    @cached_property
    def draft(self) -> bool:
        return is_draft(self.period)

    @cached_property
    def open_data(self) -> dict[str, bytes]:
        return open_data_files(self.result, self.decision.appendices, open_data_facts(self.period, self.settings,
                                                                                     draft=self.draft))


@dataclass(frozen=True)
class PeriodExporter:
    """One document of a period: its identifier (the file name in its address), what download lists call it,
    its media type, and the function that writes it from the period's ``Sources``."""

    identifier: str
    name: str
    media_type: str
    write: Callable[[Sources], bytes]

    def render(self, period: Period) -> tuple[str, str, bytes]:
        """(file name, media type, bytes); a published period's are kept under its snapshot's hash."""
        content = _cached(period, self.identifier, lambda: self.write(Sources(period)))
        return f"{file_name(period.name)}-{self.identifier}", self.media_type, content


# Every document of a period, in the order pages list them; a new document is one registered function.
EXPORTERS: dict[str, PeriodExporter] = {}


def exporter(identifier: str, name, media_type: str):
    def register(write: Callable[[Sources], bytes]) -> Callable[[Sources], bytes]:
        EXPORTERS[identifier] = PeriodExporter(identifier, name, media_type, write)
        return write
    return register


# The decision with its appendices, signed or for signing: the file every results page links to.
DECISION_PDF = f"{DECISION}.pdf"


@exporter(DECISION_PDF, _("Decision with its appendices (PDF)"), PDF)
def _decision_pdf(sources: Sources) -> bytes:
    return decision_pdfs(sources.decision, draft=sources.draft)[0]


@exporter(f"{DECISION}.docx", _("Decision with its appendices (Word)"), DOCX)
def _decision_docx(sources: Sources) -> bytes:
    return decision_docx(sources.settings, sources.decision.appendices, draft=sources.draft)


@exporter(f"{APPENDICES}.xlsx", _("Appendix tables (Excel)"), XLSX)
def _appendices_xlsx(sources: Sources) -> bytes:
    buffer = io.BytesIO()
    write_appendix_xlsx(sources.decision.appendices, buffer)
    return buffer.getvalue()


@exporter(f"{APPENDICES}.pdf", _("Appendix tables (PDF)"), PDF)
def _appendices_pdf(sources: Sources) -> bytes:
    return decision_pdfs(sources.decision, draft=sources.draft)[1]


@exporter(f"{APPENDICES}.docx", _("Appendix tables (Word)"), DOCX)
def _appendices_docx(sources: Sources) -> bytes:
    return appendices_docx(sources.decision.appendices)


@exporter(PACKAGE_ZIP, _("Open data: the whole package (Frictionless Data Package, ZIP)"), ZIP)
def _package_zip(sources: Sources) -> bytes:
    return package_zip(sources.open_data)


@exporter(RESULTS_CSV, _("Open data: results of each unit (CSV)"), CSV)
def _results_csv(sources: Sources) -> bytes:
    return sources.open_data[RESULTS_CSV]


@exporter(AVERAGES_CSV, _("Open data: averages of each group (CSV)"), CSV)
def _averages_csv(sources: Sources) -> bytes:
    return sources.open_data[AVERAGES_CSV]


@exporter(RESULTS_JSON, _("Open data: exact results (JSON)"), JSON)
def _results_json(sources: Sources) -> bytes:
    return sources.open_data[RESULTS_JSON]


@exporter(DICTIONARY_CSV, _("Open data: data dictionary (CSV)"), CSV)
def _dictionary_csv(sources: Sources) -> bytes:
    return sources.open_data[DICTIONARY_CSV]


@exporter(PACKAGE_JSON, _("Open data: package descriptor (datapackage.json)"), JSON)
def _package_json(sources: Sources) -> bytes:
    return sources.open_data[PACKAGE_JSON]


REPORT_TYPES = {"pdf": PDF, "docx": DOCX}


def document_list() -> list[tuple[str, str]]:
    """(file name, label) of every document of a period, in the order pages list them."""
    return [(e.identifier, e.name) for e in EXPORTERS.values()]


def decision_settings(period: Period) -> DecisionSettings:
    """The period's settings, or a draft's from the framework when none were saved."""
    if period.decision_settings:
        return settings_from_mapping(period.decision_settings, period.name)
    return draft_settings(period.framework.parsed, period.year)


def previous_decision_settings(period: Period) -> tuple[Period, dict] | None:
    """The latest earlier period's saved settings, as a start for this period's: the number and the signing
    date blank (a new decision gets its own), the year of the title and appendix titles moved to this period's
    (legal bases and articles are copied as they were: they cite earlier documents by their own dates), and
    appendix titles kept for this framework's groups only. None when no earlier period has saved settings."""
    source = (Period.objects.exclude(pk=period.pk).exclude(decision_settings={}).filter(year__lte=period.year)
              .order_by("-year", "-pk").first())
    if source is None:
        return None
    mapping = settings_to_mapping(settings_from_mapping(source.decision_settings, source.name))
    mapping["number"], mapping["signed_on"] = "", None
    moved = str(source.year), str(period.year)
    mapping["title"] = mapping.get("title", "").replace(*moved)
    codes = set(period.framework.groups.values_list("code", flat=True))
    mapping["appendix_titles"] = {code: title.replace(*moved)
                                  for code, title in mapping.get("appendix_titles", {}).items() if code in codes}
    return source, mapping


def open_data_license() -> License:
    """The licence the settings choose for the open data (DTI_OPEN_DATA_LICENSE, checked at start)."""
    return LICENSES[django_settings.DTI_OPEN_DATA_LICENSE]


def open_data_facts(period: Period, settings: DecisionSettings, *, draft: bool) -> PeriodFacts:
    """What the open data package says of the period: its year, its publication in Vietnam's time, the
    decision it cites (none for a draft), the licence the settings choose, and each unit's identifiers."""
    snapshot = PublishedSnapshot.objects.filter(period=period).only("created_at", "sha256").first()
    units = {(group, published or name): UnitIdentity(unit_id, code) for group, published, name, unit_id, code in
             period.participations.values_list("group__code", "published_name", "unit__name", "unit_id",
                                               "unit__official_code")}
    return PeriodFacts(
        period.name, period.year, period.state,
        published=timezone.localtime(snapshot.created_at).isoformat(timespec="seconds") if snapshot else None,
        snapshot_sha256=snapshot.sha256 if snapshot else None,
        decision="" if draft else decision_reference(settings),
        license=open_data_license(), units=units)


def is_draft(period: Period) -> bool:
    return period.state not in policy.LOCKED or not period.decision_settings


def _cached(period: Period, key: str, make):
    snapshot = published_key(period)
    if snapshot is None:
        return make()
    key = _document_key(snapshot, key)
    content = cache.get(key)
    if content is None:
        content = make()
        cache.set(key, content, timeout=None)
    return content


def _document_key(snapshot: str, name: str) -> str:
    """Where a published period's document is kept: under its snapshot's hash, which never changes."""
    return f"dti:document:{snapshot}:{name}"


def documents_pack(period: Period) -> list[tuple[str, Callable[[], bytes]]]:
    """(file name, writer) of every file of the period's documents in one ZIP file (``PreparedFile``): every
    document of ``EXPORTERS``, written from one scoring, and every input of the units at both stages."""
    from dti.assessments.queries.adapter import period_rows

    sources = Sources(period)
    prefix = file_name(period.name)
    files: list[tuple[str, Callable[[], bytes]]] = [
        (f"{prefix}-{exporter.identifier}", partial(exporter.write, sources)) for exporter in EXPORTERS.values()]
    files.append((f"{prefix}-{INPUTS_CSV}", lambda: inputs_csv(period_rows(period))))
    return files


def written_in_the_background(period: Period, name: str) -> bool:
    """Whether the document ``name`` of ``period`` is for the worker to write (``PreparedFile``): the period is
    large (a national decision takes minutes to write) and the document is not already kept."""
    if not is_large(period):
        return False
    snapshot = published_key(period)
    return snapshot is None or cache.get(_document_key(snapshot, name)) is None


def period_document(period: Period, name: str) -> Download:
    """One document of the period by its exporter's identifier; raises DtiError while the period's results
    cannot be computed."""
    filename, media_type, content = EXPORTERS[name].render(period)
    return Download(content, media_type, filename)


def reviewer_reasons(participation: Participation) -> dict[str, str]:
    """Indicator code → the reviewer's reason, where one was written."""
    return dict(IndicatorEntry.objects.filter(participation=participation, stage=Stage.REVIEWED)
                .exclude(reason="").values_list("indicator_code", "reason"))


def period_reviewer_reasons(period: Period) -> dict[tuple[str, str], dict[str, str]]:
    """(group code, unit name) → indicator code → the reviewer's reason, for every unit of the period, in one
    query: the shape ``all_unit_reports`` takes."""
    reasons: dict[tuple[str, str], dict[str, str]] = {}
    names = {p.pk: (p.group.code, p.name) for p in period.participations.select_related("unit", "group")}
    for participation_id, code, reason in (IndicatorEntry.objects.filter(participation__period=period,
                                                                         stage=Stage.REVIEWED).exclude(reason="")
                                           .values_list("participation_id", "indicator_code", "reason")):
        reasons.setdefault(names[participation_id], {})[code] = reason
    return reasons


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
