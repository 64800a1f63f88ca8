"""Wagtail admin views: the synonyms snippet and the weekly search query report."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone

from wagtail.snippets.views.snippets import SnippetViewSet

from search import querylog
from search.models import QueryWeek, Synonym

REPORT_ROWS = 50


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = "Search synonyms"
    list_display = ["terms", "means"]
    search_fields = ["terms", "means"]


def query_report(request):
    """Top queries, queries with no results and queries whose results nobody clicked,
    for one week (the current one by default). Opening it first moves the searches
    buffered in the cache into the report."""
    if not request.user.has_perm("search.view_queryweek"):
        raise PermissionDenied
    querylog.flush()
    this_week = querylog.week_of(timezone.localdate())
    weeks = list(
        QueryWeek.objects.order_by("-week")
        .values_list("week", flat=True)
        .distinct()[:52]
    )
    if this_week not in weeks:
        weeks.insert(0, this_week)
    try:
        week = date.fromisoformat(request.GET.get("week", ""))
        week = querylog.week_of(week)
    except ValueError:
        week = this_week
    rows = QueryWeek.objects.for_week(week)
    context = {
        "week": week,
        "week_end": week + timedelta(days=6),
        "weeks": weeks,
        "top": rows.top()[:REPORT_ROWS],
        "without_results": rows.without_results()[:REPORT_ROWS],
        "not_clicked": rows.not_clicked()[:REPORT_ROWS],
        "header_icon": "search",
    }
    return TemplateResponse(request, "search/admin/query_report.html", context)
