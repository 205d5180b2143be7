"""Evidence: files checked on their content, citations checked for form and date, served only to those entitled.

A file's type is decided by its bytes, never by its name: PDF, DOCX, XLSX, PNG and JPEG are accepted, anything
else (an executable renamed .pdf, say) is refused. Files are stored outside the static root under random names.
"""

from __future__ import annotations

import hashlib
import re
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dti.assessments.audit import Action, record
from dti.assessments.models import Evidence, Participation
from dti.assessments.policy import answer_refusal, appeal_refusal, edit_refusal

VIEWABLE = ("application/pdf", "image/png", "image/jpeg")  # shown in the browser on request; others download
# A Vietnamese document symbol: number[/year]/type-issuer, e.g. 123/QĐ-UBND, 64/2007/NĐ-CP, 01/TTr-BCĐCĐS.
SYMBOL = re.compile(r"^\d{1,6}(/\d{4})?/[A-Za-zĐđ&]+(-[A-Za-zĐđ&.]+)*$")
TYPES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "image/png": ".png",
    "image/jpeg": ".jpg",
}


def sniff(content: bytes) -> str | None:
    """The content type of an accepted evidence file, from its bytes; None for anything else."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"PK\x03\x04"):
        import io

        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            if any(n.startswith("xl/") for n in names):
                return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def check_citation(participation: Participation, symbol: str, issued_on) -> None:
    errors = []
    if symbol and not SYMBOL.match(symbol):
        errors.append(_("“%s” does not look like a Vietnamese document symbol (e.g. 123/QĐ-UBND).") % symbol)
    year = participation.period.year
    if issued_on and issued_on.year != year:
        errors.append(_("The document is dated %(date)s, outside the assessment year %(year)s.")
                      % {"date": issued_on.strftime("%d/%m/%Y"), "year": year})
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_evidence(participation: Participation, indicator_code: str, *, upload=None, symbol: str = "",
                 issued_on=None, issuer: str = "", summary: str = "", by=None) -> Evidence:
    # New evidence is welcome while the unit may edit its declaration, with an answer to a reviewer's question
    # on the indicator, and with an appeal in the appeal window.
    refusal = edit_refusal(participation)
    if refusal and appeal_refusal(participation) is None:
        refusal = None
    if refusal and any(answer_refusal(question) is None
                       for question in participation.clarifications.open().filter(indicator_code=indicator_code)):
        refusal = None
    if refusal:
        raise ValidationError(refusal)
    symbol = symbol.strip()
    if upload is None and not symbol:
        raise ValidationError(_("Attach a file or cite a document."))
    if symbol and (not issued_on or not issuer.strip()):
        raise ValidationError(_("A citation needs the symbol, the date and the issuer."))
    check_citation(participation, symbol, issued_on)
    evidence = Evidence(participation=participation, indicator_code=indicator_code, symbol=symbol,
                        issued_on=issued_on, issuer=issuer.strip(), summary=summary.strip(), uploaded_by=by)
    if upload is not None:
        if upload.size > settings.DTI_MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))
        content = upload.read()
        kind = sniff(content)
        if kind is None:
            raise ValidationError(_("“%s” is not a PDF, DOCX, XLSX, PNG or JPEG file (checked on its content).")
                                  % upload.name)
        evidence.original_name = upload.name.replace("\\", "/").rsplit("/", 1)[-1][:255]
        evidence.content_type, evidence.size = kind, len(content)
        evidence.sha256 = hashlib.sha256(content).hexdigest()
        evidence.file.save("evidence", ContentFile(content), save=False)
    evidence.save()
    record(Action.EVIDENCE_ADDED, participation=participation, indicator_code=indicator_code, by=by,
           new={"file": evidence.original_name, "sha256": evidence.sha256, "symbol": symbol,
           "issued_on": issued_on.isoformat() if issued_on else None, "issuer": issuer})
    return evidence


@transaction.atomic
def withdraw_evidence(evidence: Evidence, by=None) -> None:
    """The unit takes back evidence it added (a wrong file, to be replaced), while it may still edit its
    declaration. The evidence and its file stay, marked withdrawn; it no longer supports the declaration."""
    evidence = Evidence.objects.select_for_update().select_related("participation__period").get(pk=evidence.pk)
    refusal = edit_refusal(evidence.participation)
    if refusal:
        raise ValidationError(refusal)
    if evidence.withdrawn_at is not None:
        return
    evidence.withdrawn_at, evidence.withdrawn_by = timezone.now(), by
    evidence.save(update_fields=["withdrawn_at", "withdrawn_by"])
    record(Action.EVIDENCE_WITHDRAWN, participation=evidence.participation, indicator_code=evidence.indicator_code,
           by=by, old={"file": evidence.original_name, "sha256": evidence.sha256, "symbol": evidence.symbol},
           new={"file": evidence.original_name or evidence.symbol, "evidence_id": evidence.pk})


def download_name(evidence: Evidence) -> str:
    name = evidence.original_name or "minh-chung"
    extension = TYPES.get(evidence.content_type, "")
    return name if name.lower().endswith(extension) else name + extension
