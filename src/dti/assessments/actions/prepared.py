"""Asking for a file that takes long to make: the worker makes it (``dti.assessments.tasks``), the page shows
how far it has got. Asking again before the period changes gives the file already asked for.

No audit entry: asking for a copy of what the period holds changes nothing of it (and an entry would move the
period's version, so that no two requests could ever share a file)."""

from __future__ import annotations

from django.db import transaction

from dti.assessments.models import Period, PreparedFile
from dti.assessments.queries import period_files
from dti.assessments.queries.kept import period_version


@transaction.atomic
def ask_for_file(period: Period, kind: str, by) -> PreparedFile:
    from dti.assessments.tasks import prepare_file

    kind = PreparedFile.Kind(kind)
    version = period_version(period)
    same = (PreparedFile.objects.filter(period=period, kind=kind, version=version)
            .exclude(state=PreparedFile.State.FAILED).first())
    if same is not None:
        return same
    total = (period.participations.count() if kind == PreparedFile.Kind.UNIT_REPORTS
             else len(period_files.documents_pack(period)))
    prepared = PreparedFile.objects.create(period=period, kind=kind, version=version, requested_by=by, total=total)
    # Enqueued once the request is committed, so the worker never looks for a row it cannot see yet.
    transaction.on_commit(lambda: prepare_file.enqueue(prepared.pk))
    return prepared
