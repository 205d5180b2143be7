"""Every document of a period at once: the decision (DOCX, PDF), the appendices alone (XLSX, DOCX, PDF), the open
data package (CSV, JSON, data dictionary, datapackage.json) and one report per unit (PDF, DOCX).

Used by ``dti export-decision`` and by the benchmark; the web application serves the same documents one by one.
The unit reports, the bulk of the work, are shared out between processes, one per core.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from dti.engine import FrameworkResult

from .appendix import Appendix
from .appendix_xlsx import write_appendix_xlsx
from .decision import Decision, DecisionSettings, build_decision, decision_reference
from .decision_docx import decision_docx
from .opendata import PeriodFacts, open_data_files
from .pdf import html_to_pdf_parts, render_html
from .unit_report import UnitReport, unit_report
from .unit_report_files import prepare, unit_report_docx, unit_report_pdf

DECISION = "quyet-dinh"
APPENDICES = "phu-luc"
REPORTS_FOLDER = "bao-cao-don-vi"
OPEN_DATA_FOLDER = "du-lieu-mo"


def decision_pdfs(decision: Decision, *, draft: bool = False) -> tuple[bytes, bytes]:
    """The decision with its appendices, and the appendices alone: one layout, cut at the first appendix."""
    html = render_html("decision.html", settings=decision.settings, appendices=decision.appendices, draft=draft)
    title = f"Quyết định {decision.settings.number}".strip()
    if not decision.appendices:
        raise ValueError("a results decision lists its results in appendices; this one has none")
    first = decision.appendices[0].heading
    whole, appendices = html_to_pdf_parts(html, title=title, cut_at_bookmark=first)
    if appendices is None:
        raise ValueError(f"the decision's layout has no bookmark {first!r} to cut the appendices at")
    return whole, appendices


def appendices_docx(appendices: Sequence[Appendix]) -> bytes:
    return decision_docx(None, appendices)


def file_name(text: str) -> str:
    """A unit's name as a file name: 'Sở Y tế' → 'so-y-te'."""
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "don-vi"


# Reports per task of the report processes: small enough to share the work out evenly, large enough that the
# tasks' messages cost nothing.
REPORTS_PER_TASK = 3


def _write_reports(reports: tuple[UnitReport, ...]) -> list[tuple[bytes, bytes]]:
    """(PDF, DOCX) of each report."""
    return [(unit_report_pdf(report), unit_report_docx(report)) for report in reports]


def _write_pdfs(reports: tuple[UnitReport, ...]) -> list[bytes]:
    return [unit_report_pdf(report) for report in reports]


def unit_report_pdfs(reports: Sequence[UnitReport], workers: int | None = None) -> Iterator[list[bytes]]:
    """The PDF of each report, in order, a few at a time (each batch as it is done, for a progress display),
    written by one process per core: a national period's 3,321 reports would take one core minutes."""
    tasks = [tuple(reports[k:k + REPORTS_PER_TASK]) for k in range(0, len(reports), REPORTS_PER_TASK)]
    helpers = min(workers or os.cpu_count() or 1, len(tasks))
    if helpers <= 1:
        yield from (_write_pdfs(task) for task in tasks)
        return
    prepare()  # loaded once, before the fork: the children inherit fonts and modules
    with ProcessPoolExecutor(helpers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(_write_pdfs, tasks)


def unique_file_names(names: Sequence[str]) -> list[str]:
    """File names for units, two units whose names differ only in accents or punctuation kept apart."""
    used: set[str] = set()
    unique = []
    for text in names:
        base = name = file_name(text)
        copies = 1
        while name in used:
            copies += 1
            name = f"{base}-{copies}"
        used.add(name)
        unique.append(name)
    return unique


def all_unit_reports(result: FrameworkResult, *, period: str,
                     reasons: Mapping[tuple[str, str], Mapping[str, str]] | None = None) -> list[UnitReport]:
    """Reports of every unit of every group; ``reasons`` maps (group code, unit name) to indicator reasons."""
    reasons = reasons or {}
    return [unit_report(g, i, period=period, reasons=reasons.get((g.group.code, u.name)))
            for g in result.groups for i, u in enumerate(g.units)]


def write_period_documents(result: FrameworkResult, settings: DecisionSettings, folder: str | Path, *,
                           period: str, year: int | None = None, draft: bool = False,
                           reasons: Mapping[tuple[str, str], Mapping[str, str]] | None = None,
                           unit_reports: bool = True, workers: int | None = None) -> list[Path]:
    """Write every document of the period under ``folder``; returns the paths written. ``year``: the year
    assessed, when it is not the framework's."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def put(name: str, content: bytes) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written.append(path)

    year = year or result.framework.year
    decision = build_decision(settings, result, year=year)
    reports = all_unit_reports(result, period=period, reasons=reasons) if unit_reports else []
    tasks = [tuple(reports[k:k + REPORTS_PER_TASK]) for k in range(0, len(reports), REPORTS_PER_TASK)]
    # One process per core besides this one, which writes the decision, the appendices and the open data, then
    # takes over the report tasks no other process has begun. Fork: the children inherit the loaded modules and
    # fonts (prepare) instead of loading them again.
    helpers = min((workers or os.cpu_count() or 1) - 1, len(tasks))
    if reports:
        prepare()
    pool = ProcessPoolExecutor(helpers, mp_context=multiprocessing.get_context("fork")) if helpers > 0 else None
    try:
        futures = [pool.submit(_write_reports, task) for task in tasks] if pool else []
        whole, appendices_pdf = decision_pdfs(decision, draft=draft)
        put(f"{DECISION}.pdf", whole)
        put(f"{DECISION}.docx", decision_docx(settings, decision.appendices, draft=draft))
        put(f"{APPENDICES}.pdf", appendices_pdf)
        put(f"{APPENDICES}.docx", appendices_docx(decision.appendices))
        write_appendix_xlsx(decision.appendices, folder / f"{APPENDICES}.xlsx")
        written.append(folder / f"{APPENDICES}.xlsx")
        facts = PeriodFacts(period, year, decision=decision_reference(settings) if not draft else "")
        for name, content in open_data_files(result, decision.appendices, facts).items():
            put(f"{OPEN_DATA_FOLDER}/{name}", content)
        done: dict[int, list[tuple[bytes, bytes]]] = {}
        for k in reversed(range(len(tasks))):  # the last tasks are the ones still waiting
            if not futures or futures[k].cancel():
                done[k] = _write_reports(tasks[k])
        files = [pair for k in range(len(tasks)) for pair in (done[k] if k in done else futures[k].result())]
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
    for name, (pdf, docx) in zip(unique_file_names([r.unit for r in reports]), files, strict=True):
        put(f"{REPORTS_FOLDER}/{name}.pdf", pdf)
        put(f"{REPORTS_FOLDER}/{name}.docx", docx)
    return written
