"""Council rules: ward (from the profile's postcode), language, council tax linked."""

from django.core.management import call_command

import pytest

from personalisation.wards import ward_id_for_postcode
from tests.factories.personalisation import SegmentFactory


@pytest.fixture
def wards(db):
    call_command("load_wards", verbosity=0)
    from personalisation.models import Ward

    return {ward.name: ward for ward in Ward.objects.all()}


@pytest.mark.django_db
def test_the_longest_postcode_prefix_decides_the_ward(wards):
    assert ward_id_for_postcode("GH2 3CC") == wards["Northfield"].pk
    assert ward_id_for_postcode("gh12bb") == wards["Market"].pk  # sector beats district
    assert ward_id_for_postcode("GH1 1AA") == wards["Castle"].pk
    assert ward_id_for_postcode("ZZ9 9ZZ") is None
    assert ward_id_for_postcode("") is None


def resident(django_user_model, email, **profile):
    from myaccount.models import Profile

    user = django_user_model.objects.create_user(email, email, "pw-resident-123")
    Profile.objects.update_or_create(user=user, defaults=profile)
    return user


@pytest.mark.django_db
def test_residents_see_their_own_wards_notice_and_others_the_default(
    client, council, wards, django_user_model
):
    from personalisation.models import WardRule
    from tests.personalisation.test_delivery import personalise

    northfield = SegmentFactory(name="Northfield residents")
    WardRule.objects.create(segment=northfield, ward=wards["Northfield"])
    personalise(
        council["landing"],
        northfield,
        "Northfield: bin day moves to Tuesday from 5 January",
        "Check your bin collection day",
    )
    in_northfield = resident(django_user_model, "ann@example.com", postcode="GH2 3CC")
    in_castle = resident(django_user_model, "bob@example.com", postcode="GH1 1AA")
    for user, expected, not_expected in (
        (in_northfield, "bin day moves to Tuesday", "Check your bin collection day"),
        (in_castle, "Check your bin collection day", "bin day moves to Tuesday"),
    ):
        client.force_login(user)
        response = client.get(council["landing"].url)
        html = response.content.decode()
        assert expected in html and not_expected not in html
        assert "private" in response["Cache-Control"]
        client.logout()
    # Anonymous visitors get the default, from the page cache the second time.
    client.get(council["landing"].url)
    response = client.get(council["landing"].url)
    assert "Check your bin collection day" in response.content.decode()
    assert response["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_language_and_council_tax_rules(client, council, django_user_model):
    from myaccount.models import CouncilTaxLink, CouncilTaxLinkedRule
    from personalisation.models import PreferredLanguageRule
    from tests.personalisation.test_delivery import personalise

    welsh = SegmentFactory(name="Welsh speakers")
    PreferredLanguageRule.objects.create(segment=welsh, language="cy")
    linked = SegmentFactory(name="Council tax linked")
    CouncilTaxLinkedRule.objects.create(segment=linked, linked=True)
    personalise(council["service"], welsh, "Croeso", "Welcome")
    personalise(
        council["standard"], linked, "Your council tax account", "Link your account"
    )

    cy = resident(django_user_model, "cy@example.com", language="cy")
    CouncilTaxLink.objects.create(user=cy, account_number="10000001")
    en = resident(django_user_model, "en@example.com", language="en")
    client.force_login(cy)
    assert "Croeso" in client.get(council["service"].url).content.decode()
    assert (
        "Your council tax account"
        in client.get(council["standard"].url).content.decode()
    )
    client.force_login(en)
    assert "Welcome" in client.get(council["service"].url).content.decode()
    assert "Link your account" in client.get(council["standard"].url).content.decode()
