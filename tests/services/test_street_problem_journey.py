"""Journey 2, report a street problem: the no-map alternative, photo checks,
duplicate suggestion and following."""

import io
import re
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import Image

from services import actions
from services.blocks.transactions import STEP_FIELD, TRANSACTION_FIELD
from services.models import Case, CaseFollower
from services.uploads import uploads_storage
from tests.services.conftest import block_id, journey

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


def post(client, page, step, files=None, **data):
    payload = {
        TRANSACTION_FIELD: block_id(page, "street_problem"),
        STEP_FIELD: step,
        **data,
    }
    if files:
        payload["photos"] = files
    return client.post(journey(page), payload)


def photo(name="pothole.jpg", fmt="JPEG", exif_gps=True, size=(40, 30)):
    image = Image.new("RGB", size, (120, 80, 40))
    out = io.BytesIO()
    exif = Image.Exif()
    if exif_gps:
        exif[0x8825] = {2: (51.0, 14.0, 0.0), 4: (0.0, 34.0, 0.0)}  # GPS IFD
        exif[0x010F] = "PhoneMaker"
    image.save(out, format=fmt, exif=exif.tobytes() if exif_gps else b"")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def token(client, page):
    html = client.get(journey(page) + "?step=check").content.decode()
    return re.search(r'name="token" value="([0-9a-f-]+)"', html).group(1)


def test_report_without_a_map_with_a_photo_stripped_of_exif(
    client, street_page, django_capture_on_commit_callbacks
):
    html = client.get(journey(street_page) + "?step=location").content.decode()
    assert "What is the problem?" in html  # steps cannot be skipped
    assert post(client, street_page, "category", category="pothole").status_code == 302
    html = client.get(journey(street_page) + "?step=location").content.decode()
    assert html.count("data-map-alternative") == 3  # street, postcode, landmark
    post(
        client,
        street_page,
        "location",
        street="Market Street",
        landmark="By the bus stop",
    )
    response = post(
        client, street_page, "description", description="Deep hole", files=[photo()]
    )
    assert response.url.endswith("?step=contact")
    post(client, street_page, "contact", email="guest@example.com")
    html = client.get(journey(street_page) + "?step=check").content.decode()
    assert "Market Street, By the bus stop" in html and "1 photo" in html
    with django_capture_on_commit_callbacks(execute=True):
        post(client, street_page, "check", token=token(client, street_page))
    case = Case.objects.get()
    assert case.category == "pothole" and case.team.name == "Highways team"
    assert case.location_description == "Market Street, By the bus stop"
    assert "photos" not in case.answers
    [attachment] = case.attachments.all()
    assert (attachment.question, attachment.original_name) == ("Photo", "pothole.jpg")
    # Stored privately, under a random name with the detected type's extension.
    assert attachment.file.startswith("uploads/") and "pothole" not in attachment.file
    assert attachment.file.endswith(".jpg") and attachment.content_type == "image/jpeg"
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]
    with uploads_storage().open(attachment.file) as f:
        saved = Image.open(f)
        saved.load()
    assert saved.format == "JPEG"
    assert not saved.getexif()


def test_map_pin_is_checked_on_the_server(client, street_page):
    post(client, street_page, "category", category="street_light")
    outside = post(client, street_page, "location", latitude="48.85", longitude="2.35")
    assert "outside the council" in outside.content.decode()
    half = post(client, street_page, "location", latitude="51.2")
    assert "map pin was not set properly" in half.content.decode()
    garbage = post(client, street_page, "location", latitude="north", longitude="x")
    assert (
        garbage.status_code == 200 and "govuk-error-summary" in garbage.content.decode()
    )
    nothing = post(client, street_page, "location", street="", landmark="")
    assert "Enter the street name" in nothing.content.decode()
    ok = post(client, street_page, "location", latitude="51.236", longitude="-0.570")
    assert ok.url.endswith("?step=description")


@pytest.mark.parametrize(
    "upload,message",
    [
        (
            SimpleUploadedFile("evil.jpg", b"<?php system($_GET[1]); ?>"),
            "must be a JPG",
        ),
        (SimpleUploadedFile("doc.png", b"%PDF-1.4 not an image"), "must be a JPG"),
    ],
)
def test_disguised_uploads_are_refused(client, street_page, upload, message):
    post(client, street_page, "category", category="graffiti")
    post(client, street_page, "location", street="High Street")
    response = post(
        client, street_page, "description", description="Tags", files=[upload]
    )
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert "Tags</textarea>" in html  # what the resident typed is kept


def test_too_many_and_oversized_photos_are_refused(client, street_page, settings):
    post(client, street_page, "category", category="graffiti")
    post(client, street_page, "location", street="High Street")
    four = post(
        client,
        street_page,
        "description",
        description="x",
        files=[photo(f"p{i}.jpg") for i in range(4)],
    )
    assert "Select up to 3 photos" in four.content.decode()
    settings.CASE_PHOTO_MAX_BYTES = 100
    big = post(client, street_page, "description", description="x", files=[photo()])
    assert "must be smaller than" in big.content.decode()


def test_nearby_open_case_of_the_same_category_is_offered_to_follow(
    client, street_page, street_service, resident, other_resident
):
    existing = actions.open_case(
        service=street_service,
        answers={},
        resident=other_resident,
        category="pothole",
        summary="Pothole",
        latitude="51.236000",
        longitude="-0.570000",
    )
    client.force_login(resident)
    post(client, street_page, "category", category="pothole")
    response = post(
        client, street_page, "location", latitude="51.236200", longitude="-0.570100"
    )
    assert response.url.endswith("?step=duplicate")
    html = client.get(response.url).content.decode()
    assert existing.reference in html
    followed = post(client, street_page, "duplicate", choice="follow")
    assert followed.url.endswith("?step=stopped")
    assert (
        f"You are following {existing.reference}"
        in client.get(followed.url).content.decode()
    )
    assert CaseFollower.objects.filter(case=existing, user=resident).exists()
    assert Case.objects.count() == 1


def test_a_different_category_or_a_distant_pin_is_not_a_duplicate(
    client, street_page, street_service, other_resident
):
    actions.open_case(
        service=street_service,
        answers={},
        resident=other_resident,
        category="graffiti",
        latitude="51.236000",
        longitude="-0.570000",
    )
    post(client, street_page, "category", category="pothole")
    near = post(
        client, street_page, "location", latitude="51.236000", longitude="-0.570000"
    )
    assert near.url.endswith("?step=description")
    post(client, street_page, "category", category="graffiti")
    far = post(
        client, street_page, "location", latitude="51.246000", longitude="-0.570000"
    )
    assert far.url.endswith("?step=description")


def test_followers_hear_about_public_changes(
    street_service,
    resident,
    other_resident,
    highways_officer,
    django_capture_on_commit_callbacks,
):
    from django.core import mail

    case = actions.open_case(
        service=street_service, answers={}, resident=other_resident
    )
    actions.follow_case(case=case, user=resident)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.change_status(
            case=case, to_status="in_progress", actor=highways_officer
        )
    assert sorted(m.to[0] for m in mail.outbox) == [
        "other@example.com",
        "resident@example.com",
    ]


def test_staff_see_photos_through_the_admin_only(
    client, street_page, highways_officer, waste_officer, bin_service
):
    from django.urls import reverse

    post(client, street_page, "category", category="fly_tipping")
    post(client, street_page, "location", street="Mill Lane")
    post(client, street_page, "description", description="Mattress", files=[photo()])
    post(client, street_page, "contact", email="guest@example.com")
    post(client, street_page, "check", token=token(client, street_page))
    case = Case.objects.get()
    client.logout()
    client.force_login(highways_officer)
    page = client.get(reverse("services_cases:detail", args=[case.pk])).content.decode()
    photo_row = case.attachments.get()
    url = reverse("services_cases:attachment", args=[case.pk, photo_row.pk])
    assert f'<img src="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="pothole.jpg"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    missing = reverse("services_cases:attachment", args=[case.pk, photo_row.pk + 1])
    assert client.get(missing).status_code == 404
    client.force_login(waste_officer)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(f"/media/{photo_row.file}").status_code == 404
