"""Every My Account URL, walked as a second resident: anything that belongs to the
first is a 404, and no page shows the first resident's data."""

from django.urls import URLPattern, URLResolver

import pytest

from myaccount import actions, urls
from myaccount.models import OrganisationInvitation
from tests.myaccount.factories import (
    CouncilTaxLinkFactory,
    DemoCouncilTaxAccountFactory,
    ResidentMessageFactory,
)

pytestmark = pytest.mark.django_db

OWNER_SECRETS = ("Amira", "Khan", "3 High Street", "Owner-only message", "Owner Ltd")


@pytest.fixture
def owner_records(resident, other_resident):
    """Records of ``resident`` (the owner), keyed by URL parameter name."""
    DemoCouncilTaxAccountFactory(account_number="10000001")
    link = CouncilTaxLinkFactory(user=resident, account_number="10000001")
    ResidentMessageFactory(user=resident, subject="Owner-only message")
    organisation = actions.create_organisation(user=resident, name="Owner Ltd")
    # An invitation for the owner, the token of which the other resident has learnt.
    invitation = OrganisationInvitation.objects.create(
        organisation=actions.create_organisation(user=other_resident, name="Bertie's"),
        email=resident.email,
    )
    return {
        "link_id": link.pk,
        "organisation_id": organisation.pk,
        "token": invitation.token,
    }


def all_patterns(patterns, prefix="/account/"):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from all_patterns(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield p, prefix


def test_every_my_account_url_is_walked_and_refuses_another_resident(
    client, other_resident, owner_records, home_page
):
    client.force_login(other_resident)
    walked = []
    for pattern, _prefix in all_patterns(urls.urlpatterns):
        params = list(pattern.pattern.converters)
        missing = [p for p in params if p not in owner_records]
        assert not missing, f"{pattern.name}: add a record for {missing} to this test"
        from django.urls import reverse

        url = reverse(
            f"myaccount:{pattern.name}", kwargs={p: owner_records[p] for p in params}
        )
        get = client.get(url)
        post = client.post(url, {}) if params else None
        walked.append(pattern.name)
        if params:
            assert get.status_code == 404, (
                f"GET {url} as another resident: {get.status_code}"
            )
            assert post.status_code == 404, (
                f"POST {url} as another resident: {post.status_code}"
            )
        else:
            body = get.content.decode(errors="replace")
            leaked = [s for s in OWNER_SECRETS if s in body]
            assert not leaked, f"{url} shows the owner's {leaked}"
    assert {
        "council_tax_unlink",
        "organisation_detail",
        "organisation_leave",
        "invitation_accept",
        "export_json",
        "export_html",
    } <= set(walked)
    # Nothing of the owner's changed hands.
    from myaccount.models import CouncilTaxLink, OrganisationMembership

    assert (
        CouncilTaxLink.objects.get(pk=owner_records["link_id"]).user.first_name
        == "Amira"
    )
    assert not OrganisationMembership.objects.filter(
        user=other_resident, organisation_id=owner_records["organisation_id"]
    ).exists()


def test_signed_out_visitors_are_sent_to_sign_in_from_every_url(client, owner_records):
    from django.urls import reverse

    # A bulletin's unsubscribe link works without signing in (its token is the
    # proof); tests/myaccount/test_bulletins.py tries it, and a wrong token is a 404.
    open_to_all = {"deleted", "unsubscribe"}
    for pattern, _prefix in all_patterns(urls.urlpatterns):
        if pattern.name in open_to_all:
            continue
        params = list(pattern.pattern.converters)
        url = reverse(
            f"myaccount:{pattern.name}", kwargs={p: owner_records[p] for p in params}
        )
        response = client.get(url)
        assert response.status_code in (302, 405), url
        if response.status_code == 302:
            assert response["Location"].startswith("/account/login/"), url


def test_staff_views_are_closed_to_residents(client, resident, other_resident):
    client.force_login(other_resident)
    response = client.get(f"/admin/residents/{resident.pk}/")
    assert response.status_code in (302, 403)
