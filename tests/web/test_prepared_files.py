"""Every unit's report of a period, prepared by the worker while the secretariat goes on: asked for on the
decision page, its progress shown there, the ZIP file downloaded when ready; asked for again before any change,
the same file."""

import io
import zipfile

from django.urls import reverse
from django.utils.html import escape

from dti.assessments.models import PreparedFile

from .test_declaration import open_period  # noqa: F401 - fixtures


def ask(client, period, django_capture_on_commit_callbacks, kind="unit_reports"):
    with django_capture_on_commit_callbacks(execute=True):  # the task is enqueued when the request commits
        return client.post(reverse("assessments:prepared_files", args=[period.pk]), {"kind": kind})


def test_every_units_report_is_prepared_in_the_background(as_user, period, work, django_capture_on_commit_callbacks):
    client = as_user("an")
    response = ask(client, period, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"].endswith("/quyet-dinh/#prepared")
    waiting = client.get(reverse("assessments:period_decision", args=[period.pk])).content.decode()
    assert "đang chờ tiến trình nền" in waiting and 'hx-trigger="every 2s"' in waiting  # the list asks again
    assert "0/25 đơn vị" in waiting
    work()
    ready = client.get(reverse("assessments:prepared_files", args=[period.pk])).content.decode()
    assert "hx-trigger" not in ready  # nothing more to wait for
    prepared = PreparedFile.objects.get(period=period)
    assert prepared.state == "done" and prepared.done == prepared.total == 25
    link = reverse("assessments:prepared_download", args=[period.pk, prepared.pk])
    assert link in ready and "tải về" in ready
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(link).streaming_content)))
    names = archive.namelist()
    assert len(names) == 25 and "bao-cao-ubnd-tp-bac-ninh-2023.pdf" in names
    assert all(archive.read(name).startswith(b"%PDF") for name in names)
    # Asked for again before the period changes: the same file, no new work.
    ask(client, period, django_capture_on_commit_callbacks)
    assert PreparedFile.objects.filter(period=period).count() == 1


def test_a_period_that_cannot_be_scored_yet_says_why(as_user, open_period, work,  # noqa: F811
                                                     django_capture_on_commit_callbacks):
    client = as_user("an")
    ask(client, open_period, django_capture_on_commit_callbacks)
    work()
    page = client.get(reverse("assessments:period_decision", args=[open_period.pk])).content.decode()
    prepared = PreparedFile.objects.get(period=open_period)
    assert prepared.state == "failed" and "không thành công" in page and escape(prepared.error) in page
    assert "Sở Y tế" in prepared.error and "thiếu giá trị" in prepared.error  # whose figures are missing


def test_every_document_of_a_period_is_prepared_in_one_file(as_user, period, work, django_capture_on_commit_callbacks):
    from dti.assessments.queries.period_files import EXPORTERS

    client = as_user("an")
    ask(client, period, django_capture_on_commit_callbacks, kind="period_documents")
    waiting = client.get(reverse("assessments:prepared_files", args=[period.pk])).content.decode()
    files = len(EXPORTERS) + 1  # and every input of the units
    assert f"0/{files} tệp" in waiting  # counted in files, not units
    work()
    prepared = PreparedFile.objects.get(period=period, kind="period_documents")
    assert prepared.state == "done" and prepared.done == files
    archive = zipfile.ZipFile(io.BytesIO(b"".join(
        client.get(reverse("assessments:prepared_download", args=[period.pk, prepared.pk])).streaming_content)))
    names = archive.namelist()
    assert sorted(names) == sorted([*(f"ky-2023-{name}" for name in EXPORTERS), "ky-2023-du-lieu-dau-vao.csv"])
    # The same document as the page writes one by one.
    direct = client.get(reverse("assessments:period_download", args=[period.pk, "ket-qua.csv"])).content
    assert archive.read("ky-2023-ket-qua.csv") == direct
    assert archive.read("ky-2023-quyet-dinh.pdf").startswith(b"%PDF")


def test_a_large_periods_documents_are_asked_of_the_worker(as_user, period, settings):
    settings.DTI_LARGE_PERIOD_UNITS = 24  # the period has 25 units
    client = as_user("an")
    response = client.get(reverse("assessments:period_download", args=[period.pk, "quyet-dinh.pdf"]), follow=True)
    assert response.redirect_chain[-1][0].endswith(f"/ky-danh-gia/{period.pk}/quyet-dinh/#prepared")
    assert "do tiến trình nền soạn" in response.content.decode()
    settings.DTI_LARGE_PERIOD_UNITS = 25
    assert client.get(reverse("assessments:period_download", args=[period.pk, "quyet-dinh.pdf"])).status_code == 200
