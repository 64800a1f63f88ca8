"""The case API's file attachment: multipart, checked like residents' uploads
(size, viruses, type by content), scoped to the token's services and kept
privately for staff."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest
from PIL import Image

from services import actions
from services.integrations.clamav import EICAR
from services.models import ApiCallLog, CaseAttachment, CaseEvent
from tests.files import html_posing_as_pdf, pdf
from tests.services.api_clients import make_client

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def url(case) -> str:
    return f"/api/v1/cases/{case.reference}/attachments/"


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


def attach(client, case, auth, data: bytes, name="crew.pdf", **fields):
    return client.post(
        url(case),
        {"file": SimpleUploadedFile(name, data), **fields},
        **auth,
    )


def test_a_system_attaches_a_pdf_that_staff_then_download(
    client, auth, bin_case, private_files, waste_officer
):
    response = attach(
        client, bin_case, auth, pdf(text="Job sheet"), description="Job sheet"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [
        (a["name"], a["description"], a["content_type"]) for a in body["attachments"]
    ] == [("crew.pdf", "Job sheet", "application/pdf")]
    attachment = CaseAttachment.objects.get(case=bin_case)
    note = CaseEvent.objects.filter(case=bin_case, data__attachment=attachment.pk)
    assert note.get().public is False
    assert note.get().data["api_client"] == "Waste crew system"
    client.force_login(waste_officer)
    download = client.get(
        reverse("services_cases:attachment", args=[bin_case.pk, attachment.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_photo_is_kept_as_an_image(client, auth, bin_case, private_files):
    response = attach(client, bin_case, auth, photo(), name="bin.jpg")
    assert response.status_code == 201
    assert response.json()["attachments"][0]["content_type"] == "image/jpeg"


@pytest.mark.parametrize(
    "data, name, says",
    [
        (EICAR, "virus.pdf", "contains a virus"),
        (b"Just some text, not a document", "notes.pdf", "must be a JPG, PNG"),
        (html_posing_as_pdf(), "fake.pdf", "without passwords, scripts"),
        (pdf(javascript=True), "script.pdf", "without passwords, scripts"),
    ],
)
def test_a_virus_or_a_file_that_is_not_what_it_claims_is_refused(
    client, auth, bin_case, private_files, data, name, says
):
    response = attach(client, bin_case, auth, data, name=name)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert says in " ".join(response.json()["errors"]["file"])
    assert not CaseAttachment.objects.exists()
    assert not any(p.rglob("*.*") for p in private_files if p.exists())


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    client, auth, bin_case, private_files, settings
):
    settings.CASE_UPLOAD_MAX_BYTES = 1024
    response = attach(client, bin_case, auth, b"%PDF-" + b"0" * 200_000)
    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM
    assert not CaseAttachment.objects.exists()


def test_unknown_fields_json_and_a_missing_file_are_refused(
    client, auth, bin_case, private_files
):
    response = attach(client, bin_case, auth, pdf(), colour="red")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["colour"]
    response = client.post(url(bin_case), {"description": "No file"}, **auth)
    assert response.status_code == 400
    assert "file" in response.json()["errors"]
    response = client.post(
        url(bin_case), b"{}", content_type="application/json", **auth
    )
    assert response.status_code == 415
    assert not CaseAttachment.objects.exists()


def test_a_read_only_token_or_another_services_token_cannot_attach(
    client, bin_case, street_service, bin_service, private_files
):
    _, reader = make_client("Reports", [bin_service], can_write=False)
    _, roads = make_client("Roads system", [street_service])
    response = attach(
        client, bin_case, {"HTTP_AUTHORIZATION": f"Bearer {reader}"}, pdf()
    )
    assert response.status_code == 403
    response = attach(
        client, bin_case, {"HTTP_AUTHORIZATION": f"Bearer {roads}"}, pdf()
    )
    assert response.status_code == 404
    assert not CaseAttachment.objects.exists()
    assert ApiCallLog.objects.filter(path=url(bin_case)).count() == 2


def test_a_closed_case_takes_no_more_files(client, auth, bin_case, private_files):
    actions.change_status(case=bin_case, to_status="rejected", actor=None)
    response = attach(client, bin_case, auth, pdf())
    assert response.status_code == 409
    assert not CaseAttachment.objects.exists()
