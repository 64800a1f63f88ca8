import datetime

import factory
import wagtail_factories

from home.models import (
    AccessibilityStatementPage,
    AlertBanner,
    ContactDetails,
    HomePage,
    StandardPage,
)


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Guildhall Borough Council"
    intro = "Find services, report problems and pay online."

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"About the council {n}")
    summary = "How the council works."

    class Meta:
        model = StandardPage


class ContactDetailsFactory(factory.django.DjangoModelFactory):
    name = "Waste and recycling"
    phone = "01234 567890"
    email = "waste@guildhall.example"

    class Meta:
        model = ContactDetails


class AlertBannerFactory(factory.django.DjangoModelFactory):
    title = "Bin collections delayed"
    message = "<p>Collections are one day late this week.</p>"
    severity = "major"
    live = True

    class Meta:
        model = AlertBanner


class AccessibilityStatementPageFactory(wagtail_factories.PageFactory):
    title = "Accessibility statement"
    slug = "accessibility-statement"
    summary = "How accessible this website is."
    last_reviewed = factory.LazyFunction(
        lambda: datetime.date.today() - datetime.timedelta(days=30)
    )

    class Meta:
        model = AccessibilityStatementPage
