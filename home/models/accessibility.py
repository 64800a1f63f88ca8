"""The accessibility statement page and the record of accessibility audit runs.

The UK public sector accessibility regulations require every site to publish a
statement, linked from every page, reviewed regularly, listing the known issues.
The statement page here lists the issues the latest audit found on its site
automatically, and the audit fails when a statement is missing or its review date is
more than 12 months old.
"""

from django.db import models
from django.utils.functional import cached_property

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from home.blocks.content import BaseStoryBlock

from .base import BasePage


class AccessibilityAuditRun(models.Model):
    """One run of ``manage.py a11y_audit``: its figures and its full report."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    base_url = models.CharField(max_length=300, blank=True)
    pages_checked = models.PositiveIntegerField()
    states_checked = models.PositiveIntegerField()
    violation_count = models.PositiveIntegerField()
    report = models.JSONField()

    class Meta:
        ordering = ["-finished_at"]
        get_latest_by = "finished_at"

    def __str__(self):
        return f"Accessibility audit {self.finished_at:%Y-%m-%d %H:%M}"

    @property
    def passed(self) -> bool:
        return self.violation_count == 0

    def issues_for_site(self, site_name: str) -> list[dict]:
        """Rules that failed on ``site_name``, each with the pages it failed on."""
        issues = []
        for rule in self.report.get("by_rule", []):
            pages = [p for p in rule.get("pages", []) if p.get("site") == site_name]
            if pages:
                issues.append({**rule, "pages": pages})
        return issues


class AccessibilityStatementPage(BasePage):
    """The site's accessibility statement, with the latest audit's known issues."""

    body = StreamField(BaseStoryBlock(), blank=True)
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text="When the statement was last reviewed. The accessibility audit fails "
        "once this is more than 12 months ago.",
    )

    template = "home/pages/accessibility_statement_page.html"
    page_description = (
        "The site's accessibility statement. Known issues from the latest "
        "accessibility audit are listed on it automatically."
    )
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = []
    max_count_per_parent = 1

    content_panels = BasePage.content_panels + [
        FieldPanel("last_reviewed"),
        FieldPanel("body"),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    @cached_property
    def latest_audit(self):
        return AccessibilityAuditRun.objects.order_by("-finished_at").first()

    @cached_property
    def known_issues(self) -> list[dict]:
        """Failing rules on this page's site in the latest audit (plain data)."""
        audit = self.latest_audit
        site = self.get_site()
        if audit is None or site is None:
            return []
        return audit.issues_for_site(site.site_name or site.hostname)
