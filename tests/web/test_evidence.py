"""Evidence files checked on their content, citations checked, files served only to those entitled."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dti.assessments.models import AuditEntry, Evidence

from .test_declaration import chi_participation, open_period  # noqa: F401 - fixtures

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def evidence_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "evidence-store"


def upload(client, participation, code="1.1", **data):
    return client.post(reverse("assessments:evidence_add", args=[participation.pk, code]), data, follow=True)


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_a_pdf_with_a_citation_is_stored_under_a_random_name_and_audited(as_user, chi_participation, settings):  # noqa: F811
    page = upload(as_user("chi"), chi_participation, file=SimpleUploadedFile("Biên bản họp.pdf", PDF),
                  symbol="15/TB-UBND", issued_on="2024-03-05", issuer="UBND TP. Bắc Ninh", summary="Thông báo kết luận")
    assert "Biên bản họp.pdf" in page.content.decode()
    item = Evidence.objects.get()
    assert item.content_type == "application/pdf" and item.size == len(PDF)
    assert "Biên" not in item.file.name and item.file.name.startswith("evidence/")
    assert str(settings.MEDIA_ROOT) in item.file.path
    assert AuditEntry.objects.filter(action="dti.evidence.added", new__symbol="15/TB-UBND").exists()


def test_a_docx_is_recognised_by_its_content(as_user, chi_participation):  # noqa: F811
    upload(as_user("chi"), chi_participation, file=SimpleUploadedFile("ke-hoach.docx", docx_bytes()))
    assert Evidence.objects.get().content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(("name", "content", "fault"), [
    ("bien-ban.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100, "“bien-ban.pdf” không phải tệp PDF, DOCX"),
    ("lon.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1), "lớn hơn 10 MB"),
])
def test_an_executable_renamed_pdf_and_an_oversized_file_are_refused(as_user, chi_participation, name, content, fault):  # noqa: F811
    page = upload(as_user("chi"), chi_participation, file=SimpleUploadedFile(name, content)).content.decode()
    assert fault in page
    assert not Evidence.objects.exists()


def test_a_file_name_with_dot_dot_cannot_escape_the_store(as_user, chi_participation, settings):  # noqa: F811
    upload(as_user("chi"), chi_participation, file=SimpleUploadedFile("../../etc/passwd.pdf", PDF))
    item = Evidence.objects.get()
    assert item.original_name == "passwd.pdf"
    assert item.file.path.startswith(str(settings.MEDIA_ROOT))


@pytest.mark.parametrize(("symbol", "date", "fault"), [
    ("QĐ 123", "2024-03-05", "“QĐ 123” không giống số, ký hiệu văn bản"),
    ("123/QĐ-UBND", "2023-12-31", "Văn bản ngày 31/12/2023, ngoài năm đánh giá 2024"),
])
def test_a_citation_with_a_bad_symbol_or_date_is_refused_with_why(as_user, chi_participation, symbol, date, fault):  # noqa: F811
    page = upload(as_user("chi"), chi_participation, symbol=symbol, issued_on=date, issuer="UBND").content.decode()
    assert fault in page
    assert not Evidence.objects.exists()


def test_evidence_is_served_as_an_attachment_only_to_those_entitled(as_user, chi_participation):  # noqa: F811
    upload(as_user("chi"), chi_participation, file=SimpleUploadedFile("bien-ban.pdf", PDF))
    url = reverse("assessments:evidence", args=[Evidence.objects.get().pk])
    response = as_user("binh").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF
    assert as_user("dung").get(url).status_code == 403
    as_user(None)
    assert as_user(None).get(url).status_code == 302


def test_another_unit_cannot_attach_evidence_to_chis_declaration(as_user, chi_participation):  # noqa: F811
    response = upload(as_user("dung"), chi_participation, file=SimpleUploadedFile("x.pdf", PDF))
    assert response.status_code == 403 and not Evidence.objects.exists()


def test_a_pdf_opens_in_the_browser_sandboxed_and_a_docx_always_downloads(as_user, chi_participation):  # noqa: F811
    client = as_user("chi")
    upload(client, chi_participation, file=SimpleUploadedFile("bien-ban.pdf", PDF))
    upload(client, chi_participation, file=SimpleUploadedFile("ke-hoach.docx", docx_bytes()))
    pdf, docx = Evidence.objects.order_by("pk")
    shown = as_user("binh").get(reverse("assessments:evidence", args=[pdf.pk]) + "?xem=1")
    assert shown["Content-Disposition"].startswith("inline") and "sandbox" in shown["Content-Security-Policy"]
    kept = as_user("binh").get(reverse("assessments:evidence", args=[docx.pk]) + "?xem=1")
    assert kept["Content-Disposition"].startswith("attachment")
