"""'Was this page useful?': stored without personal data, every bad input explained."""

import pytest

from home.models import PageFeedback


@pytest.mark.django_db
def test_valid_feedback_is_stored_and_thanked(client, council):
    page = council["service"]
    response = client.post(
        "/feedback/",
        {"page": page.pk, "useful": "no", "comment": "  Add opening times  "},
    )
    assert response.status_code == 302
    thanks = client.get(response["Location"])
    assert "Thank you for your feedback" in thanks.content.decode()
    feedback = PageFeedback.objects.get()
    assert feedback.page_id == page.pk
    assert feedback.useful is False
    assert feedback.comment == "Add opening times"
    field_names = {f.name for f in PageFeedback._meta.get_fields()}
    assert field_names == {"id", "page", "useful", "comment", "created_at"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select yes if this page was useful"),
        ({"useful": "maybe"}, "Select a valid choice"),
        ({"useful": "yes", "comment": "x" * 1201}, "1,200 characters or fewer"),
        (
            {
                "useful": "no",
                "comment": "http://a.example http://b.example www.c.example",
            },
            "too many web links",
        ),
    ],
)
def test_invalid_feedback_gets_a_clear_error_and_keeps_the_answers(
    client, council, data, message
):
    response = client.post("/feedback/", {"page": council["service"].pk, **data})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert "<title>Error: " in html
    if data.get("comment"):
        assert data["comment"][:50] in html
    assert PageFeedback.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("page_value", ["999999", "abc", ""])
def test_feedback_on_a_missing_page_is_refused_not_a_500(client, home_page, page_value):
    response = client.post("/feedback/", {"page": page_value, "useful": "yes"})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


@pytest.mark.django_db
def test_feedback_at_a_spam_like_rate_is_refused(client, council, settings):
    settings.FEEDBACK_RATE_LIMIT = 3
    data = {"page": council["service"].pk, "useful": "yes"}
    for _ in range(3):
        assert client.post("/feedback/", data).status_code == 302
    response = client.post("/feedback/", data)
    assert response.status_code == 429
    assert "Wait a few minutes" in response.content.decode()
    assert PageFeedback.objects.count() == 3


@pytest.mark.django_db
def test_feedback_is_listed_per_page_in_the_admin(admin_client, council):
    PageFeedback.objects.create(
        page=council["service"], useful=False, comment="Too long"
    )
    PageFeedback.objects.create(page=council["landing"], useful=True, comment="Lovely")
    response = admin_client.get(
        f"/admin/reports/feedback/?page={council['service'].pk}"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Too long" in html
    assert "Lovely" not in html
