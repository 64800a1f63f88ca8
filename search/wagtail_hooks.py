"""Registration only: the synonyms snippet and the search query report."""

from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from search.viewsets import SynonymViewSet, query_report

register_snippet(SynonymViewSet)


@hooks.register("register_admin_urls")
def register_search_report_urls():
    return [path("reports/search-queries/", query_report, name="search_query_report")]


class QueryReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("search.view_queryweek")


@hooks.register("register_reports_menu_item")
def register_search_report_menu_item():
    return QueryReportMenuItem(
        "Search queries", reverse("search_query_report"), icon_name="search"
    )


@hooks.register("register_accessibility_paths")
def search_accessibility_paths(site):
    from search.a11y import search_paths

    return search_paths(site)


@hooks.register("register_accessibility_journeys")
def search_accessibility_journeys():
    from search.a11y import search_journeys

    return search_journeys()
