"""GOV.UK step-by-step navigation: a journey made of several services and guides."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.functional import cached_property

from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, ReferenceIndex
from wagtail.search import index

from home.blocks import LinkBlock, RichTextBlock
from home.models import BasePage
from home.platform.cache import generation_cached


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    logic = blocks.ChoiceBlock(
        choices=[
            ("", "A numbered step"),
            ("and", "And (done alongside the previous step)"),
            ("or", "Or (an alternative to the previous step)"),
        ],
        required=False,
        help_text="Most steps are numbered; use 'and' or 'or' to join a step to the one before.",
    )
    content = RichTextBlock(required=False)
    links = blocks.ListBlock(LinkBlock(), default=[])

    class Meta:
        icon = "list-ol"
        description = "One step of the journey with the pages that help with it"


class StepByStepPage(BasePage):
    """A step-by-step journey (for example 'Register a death').

    Pages linked from its steps show it beside their content; the links are found
    through Wagtail's reference index, so no second list has to be kept in step.
    """

    intro = models.TextField(max_length=500, blank=True)
    steps = StreamField([("step", StepBlock())])

    template = "services/pages/step_by_step_page.html"
    page_description = (
        "A journey of several steps, each linking to services and guides."
    )
    parent_page_types = ["services.ServiceLandingPage", "home.HomePage"]
    subpage_types = []

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("steps"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("steps"),
    ]

    @cached_property
    def numbered_steps(self) -> list[dict]:
        """Steps with their display number ('and'/'or' steps share the previous one)."""
        numbered, number = [], 0
        for step in self.steps:
            logic = step.value.get("logic") or ""
            if not logic:
                number += 1
            numbered.append(
                {"number": number, "logic": logic, "value": step.value, "id": step.id}
            )
        return numbered

    def step_for_page(self, page) -> int | None:
        for item in self.numbered_steps:
            for link in item["value"]["links"]:
                linked = link.get("page")
                if linked and linked.pk == page.pk:
                    return item["number"]
        return None


def step_by_steps_linking_to(page, request=None) -> list[dict]:
    """Live step-by-step journeys whose steps link to ``page``, as plain data with the
    number of the step that links it. Cached until the next publish."""
    return generation_cached(
        f"step-by-steps:{page.pk}", lambda: _find_step_by_steps(page, request)
    )


def _find_step_by_steps(page, request) -> list[dict]:
    page_type = ContentType.objects.get_for_model(Page)
    step_ids = ReferenceIndex.objects.filter(
        to_content_type=page_type,
        to_object_id=str(page.pk),
        base_content_type=page_type,
        content_type=ContentType.objects.get_for_model(StepByStepPage),
    ).values_list("object_id", flat=True)
    journeys = (
        StepByStepPage.objects.live().public().filter(pk__in=[int(i) for i in step_ids])
    )
    return [
        {
            "pk": journey.pk,
            "title": journey.title,
            "url": journey.get_url(request=request),
            "current_step": journey.step_for_page(page),
            "steps": [
                {
                    "number": step["number"],
                    "logic": step["logic"],
                    "title": step["value"]["title"],
                }
                for step in journey.numbered_steps
            ],
        }
        for journey in journeys[:3]
    ]
