"""Journey 3: a service an editor builds from question blocks, no developer needed.

Every question type (text, long text, radios, checkboxes, date, address, file) is
answered and every way it can go wrong is tried through the test client.
"""

import datetime
import io
import re
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

import pytest
from PIL import Image

from services.blocks.transactions import STEP_FIELD, TRANSACTION_FIELD
from services.integrations.clamav import EICAR
from services.models import Case, CaseAttachment
from services.uploads import uploads_storage
from tests.factories.services import ServiceLandingPageFactory, ServicePageFactory
from tests.files import html_posing_as_pdf, pdf, png_bomb
from tests.myaccount.factories import ProfileFactory
from tests.services.conftest import block_id, journey

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]

QUESTIONS = [
    ("text", {"label": "Your reference", "hint": "", "required": True,
              "long_answer": False, "max_length": 20}),
    ("long_text", {"label": "Anything else?", "hint": "", "required": False,
                   "max_length": 50}),
    ("choice", {"label": "Which bin?", "hint": "", "required": True,
                "choices": ["Black", "Blue"], "multiple": False}),
    ("choice", {"label": "What is damaged?", "hint": "", "required": True,
                "choices": ["Lid", "Wheels", "Body"], "multiple": True}),
    ("date", {"label": "When did it break?", "hint": "", "required": True,
              "when": "past"}),
    ("address", {"label": "Where is the bin?", "hint": "", "required": True}),
    ("file", {"label": "Photo of the damage", "hint": "", "required": True}),
]  # fmt: skip


@pytest.fixture
def form_page(home_page, bin_service):
    landing = ServiceLandingPageFactory(parent=home_page, title="Waste", slug="waste")
    page = ServicePageFactory(
        parent=landing, title="Report a damaged bin", slug="damaged-bin", body=[]
    )
    page.body = [
        (
            "form_service",
            {
                "service": bin_service,
                "heading": "",
                "intro": "",
                "questions": QUESTIONS,
            },
        ),
    ]
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def steps(page) -> list[str]:
    block = next(b for b in page.body if b.block_type == "form_service")
    return [f"q-{q.id}" for q in block.value["questions"]]


def post(client, page, step, **data):
    return client.post(
        journey(page),
        {TRANSACTION_FIELD: block_id(page, "form_service"), STEP_FIELD: step, **data},
    )


def png(name="bin.png", exif_gps=True) -> SimpleUploadedFile:
    image = Image.new("RGB", (30, 20), (10, 120, 40))
    exif = Image.Exif()
    if exif_gps:
        exif[0x8825] = {2: (51.0, 14.0, 0.0), 4: (0.0, 34.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def errors(response) -> list[str]:
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    return re.findall(r'govuk-error-summary__list">\s*(.*?)</ul>', html, re.S)[0]


def answer_all(client, page, *, upload=None):
    s = steps(page)
    post(client, page, s[0], answer="BIN-1")
    post(client, page, s[1], answer="")
    post(client, page, s[2], answer="Blue")
    post(client, page, s[3], answer=["Lid", "Wheels"])
    post(client, page, s[4], answer_day="3", answer_month="11", answer_year="2025")
    post(
        client,
        page,
        s[5],
        line_1="12 Mill Lane",
        town="Guildhall",
        postcode="gh1 2bb",
    )
    return post(client, page, s[6], answer=upload or png())


def test_every_question_type_lands_in_the_case_with_its_label(
    client, form_page, resident
):
    client.force_login(resident)
    html = client.get(journey(form_page)).content.decode()
    assert "Your reference" in html
    response = answer_all(client, form_page)
    assert response.url.endswith("?step=check")
    check = client.get(response.url).content.decode()
    for shown in (
        "Your reference",
        "BIN-1",
        "Lid, Wheels",
        "3 November 2025",
        "12 Mill Lane, Guildhall, GH1 2BB",
        "bin.png",
        "Not given",
    ):
        assert shown in check
    # A change link for every answer.
    for step in steps(form_page):
        assert f"?step={step}&amp;change=1" in check
    token = re.search(r'name="token" value="([0-9a-f-]+)"', check).group(1)
    done = post(client, form_page, "check", token=token)
    assert done.url.endswith("?step=done")
    case = Case.objects.get()
    assert case.answers == {
        "Your reference": "BIN-1",
        "Anything else?": "",
        "Which bin?": "Blue",
        "What is damaged?": ["Lid", "Wheels"],
        "When did it break?": "2025-11-03",
        "Where is the bin?": "12 Mill Lane, Guildhall, GH1 2BB",
        "Photo of the damage": "bin.png",
    }
    assert case.resident == resident and case.team == case.service.team
    assert case.address == "12 Mill Lane, Guildhall, GH1 2BB"
    assert case.postcode == "GH1 2BB" and case.uprn == ""
    assert case.due_date == timezone.localdate() + datetime.timedelta(days=2)
    [attachment] = CaseAttachment.objects.filter(case=case)
    assert attachment.question == "Photo of the damage"
    assert attachment.content_type == "image/jpeg"
    # Stored privately, outside MEDIA_ROOT, with the EXIF location removed.
    path = Path(uploads_storage().path(attachment.file))
    assert path.exists()
    assert Path(settings.MEDIA_ROOT) not in path.parents
    with Image.open(path) as stored:
        assert not stored.getexif().get_ifd(0x8825)


def test_change_link_returns_to_check_your_answers(client, form_page, resident):
    client.force_login(resident)
    answer_all(client, form_page)
    step = steps(form_page)[2]
    page = client.get(f"{journey(form_page)}?step={step}&change=1").content.decode()
    assert 'name="change" value="1"' in page and "checked" in page
    response = post(client, form_page, step, answer="Black", change="1")
    assert response.url.endswith("?step=check")
    assert "Black" in client.get(response.url).content.decode()


def test_text_and_choice_errors(client, form_page, resident):
    client.force_login(resident)
    s = steps(form_page)
    assert "Enter an answer to: Your reference" in errors(post(client, form_page, s[0]))
    too_long = post(client, form_page, s[0], answer="x" * 21)
    assert "Your answer must be 20 characters or fewer" in errors(too_long)
    assert 'value="xxxxxxxxxxxxxxxxxxxxx"' in too_long.content.decode()  # not lost
    post(client, form_page, s[0], answer="BIN-1")
    long = post(client, form_page, s[1], answer="y" * 51)
    assert "Your answer must be 50 characters or fewer" in errors(long)
    assert "y" * 51 in long.content.decode()
    post(client, form_page, s[1], answer="")
    assert "Select an answer to: Which bin?" in errors(post(client, form_page, s[2]))
    forged = post(client, form_page, s[2], answer="Purple")
    assert "Select one of the options" in errors(forged)
    post(client, form_page, s[2], answer="Black")
    none = post(client, form_page, s[3])
    assert 'type="checkbox" value="Lid"' in none.content.decode()
    assert "Select at least one answer to: What is damaged?" in errors(none)
    forged = post(client, form_page, s[3], answer=["Lid", "Engine"])
    assert "Select only options from the list" in errors(forged)
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "marked"),
    [
        ("", "", "", "Enter when did it break", 3),
        ("3", "", "2025", "When did it break must include a month", 1),
        ("", "", "2025", "When did it break must include a day and a month", 2),
        ("31", "2", "2025", "When did it break must be a real date", 3),
        ("3", "Nov", "2025", "When did it break must be a real date", 3),
        ("3", "11", "25", "Year must include 4 numbers", 1),
        ("1", "1", "2999", "When did it break must be today or in the past", 3),
    ],
)
def test_date_errors_follow_the_govuk_pattern(
    client, form_page, resident, day, month, year, message, marked
):
    client.force_login(resident)
    s = steps(form_page)
    post(client, form_page, s[0], answer="BIN-1")
    post(client, form_page, s[1], answer="")
    post(client, form_page, s[2], answer="Blue")
    post(client, form_page, s[3], answer=["Lid"])
    response = post(
        client, form_page, s[4], answer_day=day, answer_month=month, answer_year=year
    )
    assert message in errors(response)
    html = response.content.decode()
    # The summary links to the day input, which carries the field's id.
    assert 'href="#id_answer"' in html and 'id="id_answer" name="answer_day"' in html
    assert html.count("govuk-input--error") == marked
    assert f'name="answer_year" type="text" inputmode="numeric" value="{year}"' in html


def test_address_errors_and_a_tampered_uprn(client, form_page, resident):
    ProfileFactory(user=resident)
    client.force_login(resident)
    s = steps(form_page)
    for step, data in zip(
        s[:5],
        [
            {"answer": "BIN-1"},
            {"answer": ""},
            {"answer": "Blue"},
            {"answer": ["Lid"]},
            {"answer_day": "1", "answer_month": "1", "answer_year": "2025"},
        ],
        strict=True,
    ):
        post(client, form_page, step, **data)
    missing = post(client, form_page, s[5], postcode="nonsense")
    text = errors(missing)
    assert "Enter address line 1" in text and "Enter town or city" in text
    assert "Enter a real postcode, like GU1 4AA" in text
    long = post(
        client, form_page, s[5], line_1="x" * 101, town="Guildhall", postcode="GH1 1AA"
    )
    assert "Address line 1 must be 100 characters or fewer" in errors(long)
    forged = post(
        client, form_page, s[5], line_1="1 Elm Road", town="Guildhall",
        postcode="GH1 1AA", uprn="100090000003",
    )  # fmt: skip
    assert forged.status_code == 302
    post(client, form_page, s[6], answer=png())
    token = re.search(
        r'name="token" value="([0-9a-f-]+)"',
        client.get(journey(form_page) + "?step=check").content.decode(),
    ).group(1)
    post(client, form_page, "check", token=token)
    # The account's UPRN is not attached to a different address.
    assert Case.objects.get().uprn == ""


def test_address_is_filled_from_the_account(client, form_page, resident):
    ProfileFactory(user=resident, address_line_2="Flat 2")
    client.force_login(resident)
    client.get(journey(form_page))
    s = steps(form_page)
    for step, data in zip(
        s[:5],
        [
            {"answer": "BIN-1"},
            {"answer": ""},
            {"answer": "Blue"},
            {"answer": ["Lid"]},
            {"answer_day": "1", "answer_month": "1", "answer_year": "2025"},
        ],
        strict=True,
    ):
        response = post(client, form_page, step, **data)
    # The prefilled address is skipped on the way to the file question.
    assert response.url.endswith(f"?step={s[6]}")
    page = client.get(f"{journey(form_page)}?step={s[5]}").content.decode()
    assert "We filled this from your account." in page
    assert 'value="3 High Street"' in page
    post(client, form_page, s[6], answer=png())
    check = client.get(journey(form_page) + "?step=check").content.decode()
    assert "3 High Street, Flat 2, Guildhall, GH1 1AA" in check
    assert "We filled in some answers from your account" in check
    token = re.search(r'name="token" value="([0-9a-f-]+)"', check).group(1)
    post(client, form_page, "check", token=token)
    case = Case.objects.get()
    assert case.uprn == "100090000003" and case.postcode == "GH1 1AA"


def _to_file_step(client, page):
    s = steps(page)
    for step, data in zip(
        s[:6],
        [
            {"answer": "BIN-1"},
            {"answer": ""},
            {"answer": "Blue"},
            {"answer": ["Lid"]},
            {"answer_day": "1", "answer_month": "1", "answer_year": "2025"},
            {"line_1": "1 Elm Road", "town": "Guildhall", "postcode": "GH1 1AA"},
        ],
        strict=True,
    ):
        post(client, page, step, **data)
    return s[6]


def _stored_files() -> list:
    storage = uploads_storage()
    root = Path(storage.location)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_file_errors_store_nothing(client, form_page, resident, settings):
    client.force_login(resident)
    step = _to_file_step(client, form_page)
    assert "Select a file: Photo of the damage" in errors(post(client, form_page, step))
    disguised = SimpleUploadedFile(
        "photo.jpg", b"#!/bin/sh\necho not a photo\n", content_type="image/jpeg"
    )
    assert "photo.jpg must be a JPG, PNG, WebP or PDF" in errors(
        post(client, form_page, step, answer=disguised)
    )
    fake_pdf = SimpleUploadedFile("form.pdf", b"MZ\x90\x00 an executable")
    assert "form.pdf must be a JPG, PNG, WebP or PDF" in errors(
        post(client, form_page, step, answer=fake_pdf)
    )
    infected = SimpleUploadedFile("invoice.pdf", b"%PDF-1.4\n" + EICAR + b"\n%%EOF")
    assert "invoice.pdf contains a virus. Select a different file" in errors(
        post(client, form_page, step, answer=infected)
    )
    empty = SimpleUploadedFile("empty.png", b"")
    assert "The selected file is empty" in errors(
        post(client, form_page, step, answer=empty)
    )
    settings.CASE_UPLOAD_MAX_BYTES = 200
    assert "bin.png must be smaller than 200 bytes" in errors(
        post(client, form_page, step, answer=png())
    )
    assert _stored_files() == []
    settings.CASE_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    letter = SimpleUploadedFile("letter.pdf", pdf())
    assert post(client, form_page, step, answer=letter).url.endswith("?step=check")
    assert len(_stored_files()) == 1
    assert not Case.objects.exists()


def test_forged_block_step_and_token_never_open_a_case(client, form_page, resident):
    client.force_login(resident)
    forged_block = client.post(
        journey(form_page),
        {
            TRANSACTION_FIELD: "not-a-block",
            STEP_FIELD: steps(form_page)[0],
            "answer": "x",
        },
    )
    assert forged_block.status_code == 302
    forged_step = post(client, form_page, "q-forged", answer="x")
    assert forged_step.status_code == 302
    assert forged_step.url.endswith(f"?step={steps(form_page)[0]}")
    answer_all(client, form_page)
    tampered = post(client, form_page, "check", token="0" * 32)
    assert "This form was out of date" in tampered.content.decode()
    garbage = post(client, form_page, "check", token="<script>")
    assert garbage.status_code == 200
    assert not Case.objects.exists()


def test_guest_gives_an_email_and_gets_a_reference(client, form_page):
    answer_all(client, form_page)
    bad = post(client, form_page, "contact", email="not-an-email")
    assert "Enter an email address in the correct format" in errors(bad)
    post(client, form_page, "contact", email="guest@example.com", name="Sam")
    check = client.get(journey(form_page) + "?step=check").content.decode()
    token = re.search(r'name="token" value="([0-9a-f-]+)"', check).group(1)
    post(client, form_page, "check", token=token)
    post(client, form_page, "check", token=token)  # a double click
    case = Case.objects.get()
    assert case.guest_email == "guest@example.com" and case.resident is None
    done = client.get(journey(form_page) + "?step=done").content.decode()
    assert case.reference in done


def test_staff_download_the_file_from_the_case_page_only(
    client, form_page, resident, waste_officer, highways_officer, street_service
):
    client.force_login(resident)
    answer_all(client, form_page)
    check = client.get(journey(form_page) + "?step=check").content.decode()
    token = re.search(r'name="token" value="([0-9a-f-]+)"', check).group(1)
    post(client, form_page, "check", token=token)
    case = Case.objects.get()
    attachment = case.attachments.get()
    url = reverse("services_cases:attachment", args=[case.pk, attachment.pk])
    assert client.get(url).status_code in (302, 403)  # a resident: no admin
    client.force_login(waste_officer)
    page = client.get(reverse("services_cases:detail", args=[case.pk]))
    assert url in page.content.decode() and "bin.png" in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    # Named from the type found in the bytes (a JPEG), not the client's name.
    assert response["Content-Disposition"] == (
        "attachment; filename=\"bin.jpg\"; filename*=UTF-8''bin.jpg"
    )
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    wrong_case = reverse("services_cases:attachment", args=[case.pk + 1, attachment.pk])
    assert client.get(wrong_case).status_code == 404
    client.force_login(highways_officer)  # another team's officer
    assert client.get(url).status_code == 404
    # No public URL exists for it.
    client.logout()
    assert client.get(f"/media/{attachment.file}").status_code == 404


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        ("found", "letter.pdf contains a virus. Select a different file"),
        ("error", "letter.pdf could not be checked for viruses"),
    ],
)
def test_clamd_verdicts_reach_the_resident_and_nothing_is_stored(
    client, form_page, resident, settings, reply, message
):
    from tests.services.test_clamav import FIXTURES, ReplayClamd

    server = ReplayClamd((FIXTURES / f"{reply}.bin").read_bytes())
    settings.CLAMD_URL = server.url
    try:
        client.force_login(resident)
        step = _to_file_step(client, form_page)
        pdf = SimpleUploadedFile("letter.pdf", b"%PDF-1.7\n%%EOF\n")
        assert message in errors(post(client, form_page, step, answer=pdf))
        assert server.received and server.received[0][1] == b"%PDF-1.7\n%%EOF\n"
    finally:
        server.close()
    assert _stored_files() == []


def test_html_starting_like_a_pdf_is_refused_and_nothing_is_stored(
    client, form_page, resident
):
    client.force_login(resident)
    step = _to_file_step(client, form_page)
    for name in ("evidence.pdf", "evidence.html"):
        upload = SimpleUploadedFile(name, html_posing_as_pdf())
        summary = errors(post(client, form_page, step, answer=upload))
        assert f"{name} must be a PDF without passwords, scripts" in summary
    assert _stored_files() == []


def test_a_pdf_called_evidence_html_is_stored_and_served_as_a_pdf(
    client, form_page, resident, waste_officer
):
    client.force_login(resident)
    step = _to_file_step(client, form_page)
    upload = SimpleUploadedFile("evidence.html", pdf(), content_type="text/html")
    assert post(client, form_page, step, answer=upload).url.endswith("?step=check")
    check = client.get(journey(form_page) + "?step=check").content.decode()
    token = re.search(r'name="token" value="([0-9a-f-]+)"', check).group(1)
    post(client, form_page, "check", token=token)
    attachment = Case.objects.get().attachments.get()
    # Stored under a random name with the extension of the type found.
    assert re.fullmatch(r"uploads/[\d-]+/[0-9a-f]+/[0-9a-f]{32}\.pdf", attachment.file)
    assert attachment.original_name == "evidence.html"  # a label for staff only
    assert attachment.content_type == "application/pdf"
    client.force_login(waste_officer)
    url = reverse("services_cases:attachment", args=[attachment.case_id, attachment.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"evidence.pdf\"; filename*=UTF-8''evidence.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_decompression_bomb_is_a_form_error_not_a_server_error(
    client, form_page, resident
):
    bomb = png_bomb()
    assert len(bomb) < 2048  # 200 megapixels claimed in a couple of kilobytes
    client.force_login(resident)
    step = _to_file_step(client, form_page)
    response = post(
        client, form_page, step, answer=SimpleUploadedFile("huge.png", bomb)
    )
    assert "huge.png is too large: use a smaller photo" in errors(response)
    assert _stored_files() == []
