"""News: an index of articles, newest first, paginated."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from home.blocks import BaseStoryBlock
from home.models import BasePage

NEWS_PER_PAGE = 10


class NewsIndexPage(BasePage):
    intro = models.CharField(max_length=250, blank=True)

    template = "services/pages/news_index_page.html"
    page_description = "The list of news articles, newest first."
    parent_page_types = ["home.HomePage"]
    subpage_types = ["services.NewsArticlePage"]

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    def articles(self):
        return (
            NewsArticlePage.objects.live()
            .public()
            .child_of(self)
            .order_by("-date", "-pk")
            .defer_streamfields()
        )

    def latest_articles(self, count: int):
        return list(self.articles()[:count])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.articles(), NEWS_PER_PAGE)
        try:
            page_obj = paginator.page(request.GET.get("page", 1))
        except (EmptyPage, PageNotAnInteger):
            page_obj = paginator.page(1)
        context["page_obj"] = page_obj
        return context


class NewsArticlePage(BasePage):
    date = models.DateField(default=timezone.localdate)
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt_text = models.CharField(
        max_length=250, blank=True, help_text="Required when there is an image."
    )
    body = StreamField(BaseStoryBlock())

    template = "services/pages/news_article_page.html"
    page_description = "A news article or press release."
    parent_page_types = ["services.NewsIndexPage"]
    subpage_types = []

    content_panels = BasePage.content_panels + [
        FieldPanel("date"),
        FieldPanel("image"),
        FieldPanel("image_alt_text"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    def clean(self):
        super().clean()
        if self.image_id and not self.image_alt_text.strip():
            from django.core.exceptions import ValidationError

            raise ValidationError(
                {"image_alt_text": "Describe the image for people who cannot see it."}
            )
