"""Service areas and the service pages inside them."""

from django.core.paginator import Page, Paginator
from django.db import models
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from home.blocks import BaseStoryBlock, LinkBlock
from home.models import BasePage
from home.platform.cache import generation_cached
from personalisation.variants import PersonalisablePage
from services.blocks.bulky_waste import BulkyWasteBlock
from services.blocks.councillor import CouncillorEnquiryBlock
from services.blocks.editor_form import EditorFormBlock
from services.blocks.garden_waste import GardenWasteBlock
from services.blocks.missed_bin import MissedBinBlock
from services.blocks.parking_permit import ResidentParkingPermitBlock
from services.blocks.registrar import RegistrarAppointmentBlock
from services.blocks.street_problem import StreetProblemBlock
from services.blocks.transactions import TransactionPageMixin

SERVICES_PER_PAGE = 48


class ServiceStoryBlock(BaseStoryBlock):
    """Body blocks for service content."""


class ServicePageStoryBlock(ServiceStoryBlock):
    """A service page's body: content plus the "Transactions" group."""

    missed_bin = MissedBinBlock()
    street_problem = StreetProblemBlock()
    form_service = EditorFormBlock()
    bulky_waste = BulkyWasteBlock()
    registrar_appointment = RegistrarAppointmentBlock()
    garden_waste = GardenWasteBlock()
    resident_parking_permit = ResidentParkingPermitBlock()
    councillor_enquiry = CouncillorEnquiryBlock()


class ServiceLandingPage(BasePage):
    """A service area such as 'Bins, recycling and waste': its top tasks and services."""

    intro = models.CharField(max_length=250, blank=True)
    top_tasks = StreamField([("task", LinkBlock())], blank=True)
    body = StreamField(ServiceStoryBlock(), blank=True)

    template = "services/pages/service_landing_page.html"
    page_description = "A service area listing its services, guides and top tasks."
    parent_page_types = ["home.HomePage"]
    subpage_types = [
        "services.ServicePage",
        "services.GuidePage",
        "services.StepByStepPage",
        "home.StandardPage",
    ]

    content_panels = BasePage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("top_tasks"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("intro")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["page_obj"] = self.services_page(request.GET.get("page"))
        return context

    def services_page(self, number) -> Page:
        """One page of the live children, alphabetical, as plain data cached until
        the next publish; a service area with hundreds of services stays small."""
        children = self.get_children().live().public()
        count = generation_cached(f"services-count:{self.pk}", children.count)
        paginator = Paginator(range(count), SERVICES_PER_PAGE)
        page = paginator.get_page(number)
        if not count:
            page.object_list = []
            return page
        page.object_list = self.cached_cards(
            f"services:{page.number}",
            lambda: (
                children.order_by("title")
                .specific()
                .defer_streamfields()[page.start_index() - 1 : page.end_index()]
            ),
        )
        # The list itself is rendered once per publish too: a full page of cards
        # costs more to render than the rest of the page.
        page.cards_html = mark_safe(  # noqa: S308 - rendered by our own template
            generation_cached(
                f"services-html:{self.pk}:{page.number}",
                lambda: render_to_string(
                    "services/includes/service_cards.html",
                    {"services": page.object_list},
                ),
            )
        )
        return page

    @cached_property
    def top_task_links(self) -> list[dict]:
        return self.cached_links("top-tasks", self.top_tasks)


class ServicePage(PersonalisablePage, TransactionPageMixin, BasePage):
    """One council service: what it is, how to do it, who to contact, and a start button."""

    body = StreamField(ServicePageStoryBlock(), blank=True)
    start = StreamField(
        [("link", LinkBlock())],
        blank=True,
        max_num=1,
        help_text="Where the 'Start now' button goes (a form, a transaction or another site).",
    )
    start_button_text = models.CharField(max_length=40, default="Start now")
    contact = models.ForeignKey(
        "home.ContactDetails",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    related_links = StreamField([("link", LinkBlock())], blank=True)

    template = "services/pages/service_page.html"
    page_description = (
        "A council service: what it is, how to use it and who to contact."
    )
    parent_page_types = ["services.ServiceLandingPage"]
    subpage_types = ["home.StandardPage"]

    def frontend_cache_dependents(self) -> list:
        """Pages that list this service beyond its ancestors: the site's A to Z
        (``home.platform.frontcache`` purges them with it)."""
        from .a_to_z import AToZPage

        site = self.get_site()
        if site is None:
            return []
        return list(AToZPage.objects.live().descendant_of(site.root_page))

    content_panels = BasePage.content_panels + [
        FieldPanel("body"),
        FieldPanel("start"),
        FieldPanel("start_button_text"),
        FieldPanel("contact"),
        FieldPanel("related_links"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.SearchField("transaction_terms"),
        index.AutocompleteField("title"),
    ]

    def transaction_terms(self) -> str:
        """Words residents use for the transactions on this page, indexed with it:
        each service's name, kind of request and synonyms, and what a block adds
        itself (``search_terms(value)``: the street problem's categories). A
        search for "fly tipping" thus finds the page whose journey takes it.
        Elasticsearch gets the same text (``search.indexing`` reads search_fields)."""
        words = []
        for block in self.body:
            service = (
                block.value.get("service") if hasattr(block.value, "get") else None
            )
            if service is None or not hasattr(service, "search_words"):
                continue
            words += service.search_words
            if heading := block.value.get("heading"):
                words.append(heading)
            if hasattr(block.block, "search_terms"):
                words += block.block.search_terms(block.value)
        return "\n".join(dict.fromkeys(words))

    @cached_property
    def start_link(self):
        return self.start[0].value if self.start else None

    @cached_property
    def step_by_steps(self):
        from .step_by_step import step_by_steps_linking_to

        return step_by_steps_linking_to(self, getattr(self, "_request", None))
