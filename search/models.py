"""What the search app stores: documents with a description, editors' synonyms and the
weekly query report.

The query report holds no personal data: a normalised, redacted query string, the
ISO week it was searched in and three counters. No user, session, IP address or
time of day is ever stored (see ``search.querylog``).
"""

from django.db import models

from wagtail.documents.models import AbstractDocument, Document
from wagtail.search import index


class CouncilDocument(AbstractDocument):
    """A Wagtail document with a description, so residents find a PDF by what it is
    about and not only by its title."""

    description = models.TextField(
        blank=True,
        help_text="What the document is about, in plain words. Search finds documents by their title and this description.",
    )

    admin_form_fields = Document.admin_form_fields + ("description",)
    search_fields = AbstractDocument.search_fields + [
        index.SearchField("description"),
        index.AutocompleteField("description"),
    ]

    class Meta(AbstractDocument.Meta):
        verbose_name = "document"
        verbose_name_plural = "documents"
        permissions = [("choose_document", "Can choose document")]


class Synonym(models.Model):
    """Words residents use for something the council calls by another name.

    ``terms`` are what people type ("tip, dump, household tip"); ``means`` is the
    council's own wording ("household waste recycling centre"). A query containing one
    of the terms is also searched with the term replaced. Saving a synonym takes effect
    on the next search: no deploy and no reindex.
    """

    terms = models.CharField(
        max_length=255,
        help_text="Words or short phrases residents use, separated by commas, e.g. ‘tip, dump’.",
    )
    means = models.CharField(
        max_length=255,
        help_text="What the council calls it, as it appears on the site, e.g. ‘household waste recycling centre’.",
    )

    class Meta:
        ordering = ["means"]
        verbose_name = "search synonym"
        verbose_name_plural = "search synonyms"

    def __str__(self):
        return f"{self.terms} → {self.means}"

    @property
    def term_list(self) -> list[str]:
        return [t.strip().lower() for t in self.terms.split(",") if t.strip()]


class QueryWeekQuerySet(models.QuerySet):
    def for_week(self, week):
        return self.filter(week=week)

    def top(self):
        return self.order_by("-searches", "query")

    def without_results(self):
        return self.filter(searches_without_results__gt=0).order_by(
            "-searches_without_results", "query"
        )

    def not_clicked(self):
        return self.filter(
            clicks=0, searches__gt=models.F("searches_without_results")
        ).order_by("-searches", "query")


class QueryWeek(models.Model):
    """How often a (normalised, redacted) query was searched in one week, how many of
    those searches found nothing and how many led to a click on a result."""

    week = models.DateField(help_text="The Monday of the ISO week.")
    query = models.CharField(max_length=100)
    searches = models.PositiveIntegerField(default=0)
    searches_without_results = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)

    objects = QueryWeekQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["week", "query"], name="unique_query_week")
        ]
        indexes = [models.Index(fields=["week", "-searches"])]
        verbose_name = "search query (weekly)"
        verbose_name_plural = "search queries (weekly)"

    def __str__(self):
        return f"{self.query} ({self.week:%d/%m/%Y})"


class IndexMark(models.Model):
    """How far the Elasticsearch index is known to be complete (a high-water mark):
    ``search.indexing.reconcile`` re-indexes what changed after it."""

    PAGES = "pages"

    name = models.CharField(max_length=40, unique=True)
    indexed_up_to = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} indexed up to {self.indexed_up_to:%Y-%m-%d %H:%M}"

    @classmethod
    def get(cls, name: str):
        return (
            cls.objects.filter(name=name)
            .values_list("indexed_up_to", flat=True)
            .first()
        )

    @classmethod
    def set(cls, name: str, when) -> None:
        cls.objects.update_or_create(name=name, defaults={"indexed_up_to": when})
