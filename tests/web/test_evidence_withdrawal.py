"""Wrong evidence is withdrawn (and so replaced) while the unit may edit, kept with who withdrew it; reviewers see
each document's summary and which indicators lack the evidence the framework expects; the unit is told of those
before and after it submits."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dti.assessments.actions import declarations
from dti.assessments.audit import Action
from dti.assessments.models import AuditEntry, Evidence
from dti.assessments.queries.audit_log import describe

from .test_declaration import chi_participation, fill_everything, open_period  # noqa: F401 - fixtures
from .test_evidence import PDF, upload

# The period and its people are written once for the module (conftest's ``world``).
pytestmark = pytest.mark.usefixtures("world")


@pytest.fixture(autouse=True)
def evidence_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "evidence-store"


def withdraw(client, item):
    return client.post(reverse("assessments:evidence_withdraw", args=[item.pk]), follow=True).content.decode()


def test_a_wrong_file_is_withdrawn_kept_and_replaced(as_user, chi_participation):  # noqa: F811
    chi = as_user("chi")
    upload(chi, chi_participation, file=SimpleUploadedFile("nham.pdf", PDF), summary="Nhầm tệp")
    wrong = Evidence.objects.get()
    page = withdraw(chi, wrong)
    assert "Đã gỡ minh chứng “nham.pdf” khỏi 1.1." in page
    assert "nham.pdf</a>" not in page  # no longer listed
    wrong.refresh_from_db()
    assert wrong.withdrawn_at is not None and wrong.withdrawn_by.username == "chi" and wrong.file  # kept
    assert describe(AuditEntry.objects.get(action=Action.EVIDENCE_WITHDRAWN)) == "chi gỡ minh chứng 1.1: nham.pdf"
    upload(chi, chi_participation, file=SimpleUploadedFile("dung.pdf", PDF))
    assert list(chi_participation.evidence.current().values_list("original_name", flat=True)) == ["dung.pdf"]


def test_after_submission_evidence_cannot_be_withdrawn(as_user, chi_participation):  # noqa: F811
    chi = as_user("chi")
    fill_everything(chi, chi_participation)
    upload(chi, chi_participation, file=SimpleUploadedFile("bien-ban.pdf", PDF))
    declarations.submit_declaration(chi_participation, by=None)
    item = Evidence.objects.get()
    assert "chỉ sửa được khi được trả lại" in withdraw(chi, item)
    assert Evidence.objects.get().withdrawn_at is None
    assert not AuditEntry.objects.filter(action=Action.EVIDENCE_WITHDRAWN).exists()


def test_only_the_unit_withdraws_its_evidence(as_user, chi_participation):  # noqa: F811
    upload(as_user("chi"), chi_participation, file=SimpleUploadedFile("bien-ban.pdf", PDF))
    item = Evidence.objects.get()
    for name in ("binh", "dung", "lan"):
        assert as_user(name).post(reverse("assessments:evidence_withdraw", args=[item.pk])).status_code == 403
    assert Evidence.objects.get().withdrawn_at is None


def test_the_reviewer_sees_the_summary_and_the_evidence_still_expected(as_user, chi_participation):  # noqa: F811
    chi = as_user("chi")
    fill_everything(chi, chi_participation)
    upload(chi, chi_participation, file=SimpleUploadedFile("bien-ban.pdf", PDF), summary="Biên bản 4 cuộc họp")
    declarations.submit_declaration(chi_participation, by=None)
    page = as_user("binh").get(reverse("assessments:review_unit", args=[chi_participation.pk])).content.decode()
    assert '<span class="evidence-summary">Biên bản 4 cuộc họp</span>' in page
    assert page.count("Chưa có minh chứng</mark> · cần có: Văn bản, tài liệu kiểm chứng") == 2  # 1.2 and 1.3


def test_the_unit_is_told_which_expected_evidence_it_lacks_before_and_after_submitting(as_user, chi_participation):  # noqa: F811
    chi = as_user("chi")
    fill_everything(chi, chi_participation)
    upload(chi, chi_participation, file=SimpleUploadedFile("bien-ban.pdf", PDF))
    page = chi.get(reverse("assessments:declaration", args=[chi_participation.pk])).content.decode()
    lacking = page[page.index('id="evidence-lacking"'):][:1000]
    assert "1.2</a>" in lacking and "1.3</a>" in lacking and "1.1</a>" not in lacking
    page = chi.post(reverse("assessments:declaration_submit", args=[chi_participation.pk]), follow=True)
    assert "Đã nộp nhưng chưa có minh chứng theo yêu cầu của bộ chỉ số cho: 1.2" in page.content.decode()
    assert declarations.declaration_of(chi_participation).state == "submitted"


def test_an_oversized_request_is_refused_from_its_length_before_its_body_is_read(client, chi_participation):  # noqa: F811
    """The body is never read: the refusal comes from the Content-Length alone (a 2 GB upload is refused at
    once), in Vietnamese, and the upload form says the limit before anything is sent."""
    url = reverse("assessments:evidence_add", args=[chi_participation.pk, "1.1"])
    response = client.generic("POST", url, b"x", CONTENT_TYPE="multipart/form-data; boundary=x",
                              CONTENT_LENGTH=str(2 * 1024 ** 3))
    assert response.status_code == 413
    assert "Yêu cầu quá lớn (2048,0 MB): chỉ nhận tệp tối đa 10 MB." in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_upload_field_carries_its_limit_for_the_browser(as_user, chi_participation):  # noqa: F811
    page = as_user("chi").get(reverse("assessments:declaration_pillar", args=[chi_participation.pk, "NTS"]))
    assert 'data-max-bytes="10485760"' in page.content.decode()
