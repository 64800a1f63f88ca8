"""Uploads are recognised from their bytes and named by us; client names are only
labels. Uploads through a journey, and their download by staff, are tested in
tests/services/test_editor_form.py."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from services.attachment_views import content_disposition
from services.uploads import (
    check_pdf,
    clean_document,
    clean_photo,
    display_label,
    download_name,
)
from tests.files import pdf, png_bomb


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(pdf(javascript=True), id="javascript"),
        pytest.param(pdf(launch=True), id="launch-action"),
        pytest.param(pdf(embedded_file=True), id="embedded-file"),
        pytest.param(pdf(encrypted=True), id="password"),
        pytest.param(pdf() + b"\n<html><script>x</script></html>", id="appended"),
        pytest.param(b"<html>" + pdf(), id="prefixed"),
    ],
)
def test_pdfs_that_could_run_or_hide_something_are_refused(data):
    with pytest.raises(ValidationError) as refused:
        clean_document(SimpleUploadedFile("letter.pdf", data))
    assert refused.value.code in ("unsafe_pdf", "wrong_type")


def test_a_plain_pdf_passes_the_parser():
    check_pdf(pdf(author="A Resident", text="My letter"))
    checked = clean_document(SimpleUploadedFile("letter.pdf", pdf()))
    assert checked.content_type == "application/pdf" and checked.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("client_name", "label", "download"),
    [
        ("evidence.html", "evidence.html", "evidence.pdf"),
        ("../../etc/passwd", "passwd", "passwd.pdf"),
        ("C:\\Users\\sam\\letter.pdf", "letter.pdf", "letter.pdf"),
        # A right-to-left override would show "invoiceexe.pdf" for an .exe name.
        ("invoice\u202efdp.exe", "invoicefdp.exe", "invoicefdp.pdf"),
        ('a"b;c\r\nd.pdf', 'a"b;cd.pdf', "a-b-cd.pdf"),
        ("   ", "file", "file.pdf"),
        (
            "Rhybudd cyngor – Llŷr.pdf",
            "Rhybudd cyngor – Llŷr.pdf",
            "Rhybudd-cyngor-Llŷr.pdf",
        ),
    ],
)
def test_client_names_become_labels_and_safe_download_names(
    client_name, label, download
):
    assert display_label(client_name) == label
    assert download_name(label, "pdf") == download


def test_content_disposition_is_rfc_6266_with_an_ascii_fallback():
    header = content_disposition("Rhybudd-cyngor-Llŷr.pdf")
    assert header == (
        'attachment; filename="Rhybudd-cyngor-Llyr.pdf"; '
        "filename*=UTF-8''Rhybudd-cyngor-Ll%C5%B7r.pdf"
    )


def test_a_decompression_bomb_photo_is_a_validation_error():
    with pytest.raises(ValidationError, match="too large"):
        clean_photo(SimpleUploadedFile("huge.png", png_bomb()))
