import datetime

import factory
import wagtail_factories

from services.models import (
    AToZPage,
    GuidePage,
    GuidePart,
    NewsArticlePage,
    NewsIndexPage,
    ServiceLandingPage,
    ServicePage,
    StepByStepPage,
)


class ServiceLandingPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Bins and recycling {n}")
    summary = "Collections, recycling centres and bulky waste."
    show_in_menus = True

    class Meta:
        model = ServiceLandingPage


class ServicePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Report a missed bin {n}")
    summary = "Tell us if we did not collect your bin."
    body = [("paragraph", "<p>Report it within 2 working days.</p>")]

    class Meta:
        model = ServicePage


class GuidePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Council tax guide {n}")

    class Meta:
        model = GuidePage
        skip_postgeneration_save = True

    @factory.post_generation
    def parts(obj, create, extracted, **kwargs):
        titles = extracted or ["Overview", "How to pay", "Discounts"]
        for order, title in enumerate(titles):
            GuidePart.objects.create(
                guide=obj,
                sort_order=order,
                title=title,
                body=[("paragraph", f"<p>{title} text.</p>")],
            )


class StepByStepPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"What to do when someone dies {n}")
    steps = []

    class Meta:
        model = StepByStepPage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "News"

    class Meta:
        model = NewsIndexPage


class NewsArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"New recycling centre opens {n}")
    summary = "A new centre opens in the north of the borough."
    date = factory.Sequence(
        lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n % 300)
    )
    body = [("paragraph", "<p>The centre opens on Monday.</p>")]

    class Meta:
        model = NewsArticlePage


class AToZPageFactory(wagtail_factories.PageFactory):
    title = "A to Z of services"
    slug = "a-to-z"

    class Meta:
        model = AToZPage
