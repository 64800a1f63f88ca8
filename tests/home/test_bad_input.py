"""Input no view can store gets a 400 or a form error, never a server error."""

from django.urls import reverse

import pytest

from frontend.forms import GovUKForm, single_line
from home.models import PageFeedback


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["x", "1.5", "9" * 30, "-1", "%00", ""])
def test_feedback_page_parameter_that_is_not_a_page_shows_the_form(
    client, council, value
):
    response = client.get("/feedback/", {"page": value})
    assert response.status_code == 200
    assert "Give feedback</h1>" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/account/requests/BIN-2026-0\x00/",
        "/account/invitations/abc\x00def/",
        "/track-a-request/\x01",
        "/bins/\x7f/",
        "/search/\x00",
    ],
)
def test_control_characters_in_a_path_are_a_bad_request(client, council, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "could not read that address" in response.content.decode()


@pytest.mark.django_db
def test_nul_in_a_path_is_refused_for_a_signed_in_resident_too(
    client, council, django_user_model
):
    user = django_user_model.objects.create_user("r", "r@example.com", "pw-r-12345")
    client.force_login(user)
    for path in ("/account/requests/A\x00B/", "/account/invitations/t\x00/"):
        assert client.get(path).status_code == 400
        assert client.post(path, {}).status_code == 400


@pytest.mark.django_db
def test_nul_in_a_query_cookie_header_or_form_field_is_a_bad_request(client, council):
    assert client.get("/search/", {"q": "bins\x00"}).status_code == 400
    assert client.get("/search/?q=bins%00").status_code == 400
    assert client.get("/search/?q%00=bins").status_code == 400
    assert client.post("/track-a-request/", {"reference": "BIN\x00"}).status_code == 400
    assert client.get("/", HTTP_USER_AGENT="evil\x00").status_code == 400
    # Headers that are never stored may be odd.
    assert client.get("/", HTTP_REFERER="\x00::not a url").status_code == 200
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert client.get("/account/").status_code == 400


@pytest.mark.django_db
def test_ordinary_input_with_percent_signs_and_new_lines_is_not_refused(
    client, council
):
    assert client.get("/search/?q=100%2500").status_code == 200
    response = client.post(
        "/feedback/",
        {"page": council["service"].pk, "useful": "no", "comment": "Line 1\r\nLine 2"},
    )
    assert response.status_code == 302
    assert PageFeedback.objects.get().comment == "Line 1\r\nLine 2"


def test_one_line_form_fields_fold_control_characters_into_spaces():
    from django import forms

    class NameForm(GovUKForm):
        name = forms.CharField()
        note = forms.CharField(widget=forms.Textarea)

    form = NameForm({"name": "Acme\r\nBcc: evil@example.com\t", "note": "a\r\nb"})
    assert form.is_valid()
    assert form.cleaned_data["name"] == "Acme Bcc: evil@example.com"
    assert form.cleaned_data["note"] == "a\r\nb"
    assert single_line("a\x01\x02b") == "a b"


@pytest.mark.django_db
def test_organisation_name_with_new_lines_is_registered_on_one_line(
    client, home_page, django_user_model
):
    from myaccount.models import Organisation

    user = django_user_model.objects.create_user("o", "o@example.com", "pw-o-123456")
    client.force_login(user)
    response = client.post(
        reverse("myaccount:organisation_create"),
        {"name": "Acme\r\nSubject: refund\r\n", "registration_number": ""},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.name == "Acme Subject: refund"
    invite = client.post(
        reverse("myaccount:organisation_detail", args=[organisation.pk]),
        {"email": "colleague@example.com"},
    )
    assert invite.status_code < 500
