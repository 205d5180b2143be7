"""The background tasks: long work that a page asks for and the worker (``dti worker``, Django's task
framework with its database backend) does, reporting how far it has got on the ``PreparedFile`` row."""

from __future__ import annotations

import io
import zipfile

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from dti.assessments.models import PreparedFile
from dti.engine import DtiError

PROGRESS_EVERY = 25  # units between two progress writes


@task()
def prepare_file(prepared_id: int) -> str:
    """Make the file of ``PreparedFile`` ``prepared_id``; its state tells the page how it went."""
    prepared = PreparedFile.objects.select_related("period__framework").get(pk=prepared_id)
    PreparedFile.objects.filter(pk=prepared_id).update(state=PreparedFile.State.RUNNING)

    def progress(done: int) -> None:
        PreparedFile.objects.filter(pk=prepared_id).update(done=done)

    try:
        content, filename = MAKERS[prepared.kind](prepared, progress)
    except DtiError as exc:  # the period's figures cannot be scored yet: the page says why
        _failed(prepared_id, str(exc))
        return "failed"
    except Exception:
        _failed(prepared_id, gettext("The file could not be prepared; the worker's log says why."))
        raise  # recorded as the task's failure as well
    prepared.file.save(filename, ContentFile(content), save=False)
    PreparedFile.objects.filter(pk=prepared_id).update(
        state=PreparedFile.State.DONE, file=prepared.file.name, filename=filename, done=prepared.total,
        finished_at=timezone.now())
    return "done"


@task()
def prepare_publication(period_id: int) -> str:
    """What the public pages, the API and the downloads of a just-published period read — its results, tables,
    each group's analysis and every document — computed once by the worker and kept under the snapshot's hash,
    so that no visitor, the first included, waits for a national period to be scored or its decision written."""
    from dti.assessments.models import Period
    from dti.assessments.queries.group_analysis import group_analysis
    from dti.assessments.queries.period_files import EXPORTERS
    from dti.assessments.queries.presentation import period_tables

    period = Period.objects.select_related("framework").get(pk=period_id)
    for table in period_tables(period):
        group_analysis(period, table.group_code)
    for exporter in EXPORTERS.values():
        exporter.render(period)
    return "kept"


def _failed(prepared_id: int, error: str) -> None:
    PreparedFile.objects.filter(pk=prepared_id).update(state=PreparedFile.State.FAILED, error=error,
                                                        finished_at=timezone.now())


def unit_reports(prepared: PreparedFile, progress) -> tuple[bytes, str]:
    """Every unit's report as PDF, in one ZIP file: the group scored once (kept), the reviewers' reasons read in
    one query, the reports written by one process per core."""
    from dti.assessments.queries.period_files import period_reviewer_reasons
    from dti.assessments.queries.scores import period_results
    from dti.documents.period_documents import all_unit_reports, file_name, unique_file_names, unit_report_pdfs

    period = prepared.period
    reports = all_unit_reports(period_results(period), period=period.name, reasons=period_reviewer_reasons(period))
    names = iter(unique_file_names([report.unit for report in reports]))
    buffer = io.BytesIO()
    done = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for pdfs in unit_report_pdfs(reports):
            for pdf in pdfs:
                archive.writestr(f"bao-cao-{next(names)}-{period.year}.pdf", pdf)
            done, before = done + len(pdfs), done
            if done // PROGRESS_EVERY > before // PROGRESS_EVERY:
                progress(done)
    return buffer.getvalue(), f"bao-cao-don-vi-{file_name(period.name)}.zip"


def period_documents(prepared: PreparedFile, progress) -> tuple[bytes, str]:
    """Every document of the period — the decision and its appendices in each format, open data, every input —
    in one ZIP file, written from one scoring of the period; progress counted in files."""
    from dti.assessments.queries.period_files import documents_pack
    from dti.documents.period_documents import file_name

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, (name, write) in enumerate(documents_pack(prepared.period), start=1):
            archive.writestr(name, write())
            progress(done)
    return buffer.getvalue(), f"van-ban-{file_name(prepared.period.name)}.zip"


MAKERS = {PreparedFile.Kind.UNIT_REPORTS: unit_reports, PreparedFile.Kind.PERIOD_DOCUMENTS: period_documents}
