"""Alert banners: scheduled, by severity, hideable without JavaScript."""

import datetime

from django.utils import timezone

import pytest

from tests.factories.home import AlertBannerFactory


@pytest.mark.django_db
def test_only_alerts_within_their_schedule_are_shown(client, council):
    now = timezone.now()
    AlertBannerFactory(
        title="Current alert", starts_at=now - datetime.timedelta(hours=1)
    )
    AlertBannerFactory(title="Future alert", starts_at=now + datetime.timedelta(days=1))
    AlertBannerFactory(
        title="Expired alert",
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now - datetime.timedelta(days=1),
    )
    AlertBannerFactory(title="Draft alert", live=False)
    html = client.get("/").content.decode()
    assert "Current alert" in html
    for hidden in ("Future alert", "Expired alert", "Draft alert"):
        assert hidden not in html


@pytest.mark.django_db
def test_emergencies_come_first_and_cannot_be_hidden(client, council):
    AlertBannerFactory(title="Minor thing", severity="minor")
    emergency = AlertBannerFactory(title="Flood warning", severity="emergency")
    html = client.get("/").content.decode()
    assert html.index("Flood warning") < html.index("Minor thing")
    assert f'action="/alerts/{emergency.pk}/hide/"' not in html
    response = client.post(f"/alerts/{emergency.pk}/hide/", {"next": "/"})
    assert "dismissed_alerts" not in response.cookies


@pytest.mark.django_db
def test_hiding_an_alert_works_without_javascript(client, council):
    alert = AlertBannerFactory(title="Bin delays")
    service_url = council["service"].url
    assert "Bin delays" in client.get(service_url).content.decode()
    response = client.post(f"/alerts/{alert.pk}/hide/", {"next": service_url})
    assert response.status_code == 302
    assert response["Location"] == service_url
    assert response.cookies["dismissed_alerts"].value == str(alert.pk)
    after = client.get(service_url)
    assert "Bin delays" not in after.content.decode()
    # A page that depends on that cookie is never stored in the shared cache.
    assert "private" in after["Cache-Control"]


@pytest.mark.django_db
def test_hiding_an_alert_never_redirects_off_site(client, council):
    alert = AlertBannerFactory()
    response = client.post(
        f"/alerts/{alert.pk}/hide/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_publishing_an_alert_purges_cached_pages(
    client, council, django_capture_on_commit_callbacks
):
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    alert = AlertBannerFactory(title="Storm warning", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        alert.save_revision().publish()
    response = client.get("/")
    assert "Storm warning" in response.content.decode()
