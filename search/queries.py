"""The one query object the search view (and the suggestions, the relevance command
and the benchmarks) use, whatever the backend.

``SiteSearch(text=..., site=..., section=..., kind=..., page=...)`` prepares the
query (``search.analysis``), asks the configured engine for one page of results and
the facet counts, and adds the editors' best bets. The engine is the database
backend (Wagtail's ``database`` search backend: PostgreSQL full text, SQLite on the
embedded default) unless ``ELASTICSEARCH_URL`` is set, in which case it is
``search.es_engine.ElasticsearchEngine``. Views never branch on the backend.
"""

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import connection
from django.db.models import Count, F, IntegerField
from django.db.models.expressions import CombinedExpression, RawSQL
from django.db.models.functions import Cast, Substr

from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.documents import get_document_model
from wagtail.models import Page, Site
from wagtail.search.models import IndexEntry
from wagtail.search.query import Or, PlainText
from wagtail.search.utils import normalise_query_string

from home.models.base import any_view_restrictions
from home.platform.cache import generation_cached
from search import compat
from search.analysis import STOP_WORDS, PreparedQuery, prepare

RESULTS_PER_PAGE = 10
# Matches fully scored beyond the requested page (see ranked_pages).
CANDIDATE_MARGIN = 50
MAX_PAGE = 100  # deeper pages are never useful and cost the backend most
# Compiled ranking statements kept per process (a few kilobytes each).
RANKING_SQL_KEPT = 500
_RANKING_SQL: dict[tuple, tuple[str, tuple]] = {}
DOCUMENTS_ON_FIRST_PAGE = 3
SUGGESTIONS = 6

# Result types residents can filter by: key -> (label, page models).
KINDS = {
    "service": ("Service", ("services.ServicePage", "services.ServiceLandingPage")),
    "guide": ("Guide", ("services.GuidePage", "services.StepByStepPage")),
    "news": ("News", ("services.NewsArticlePage", "services.NewsIndexPage")),
    "document": ("Document", ()),
}
OTHER_KIND = ("page", "Page")


def kind_for_model(label: str) -> str:
    for kind, (_label, models) in KINDS.items():
        if label in models:
            return kind
    return OTHER_KIND[0]


def kind_label(kind: str) -> str:
    return KINDS[kind][0] if kind in KINDS else OTHER_KIND[1]


@dataclass
class Hit:
    title: str
    url: str
    summary: str = ""
    section: str = ""
    kind: str = ""
    page_id: int | None = None
    document_id: int | None = None
    promotion_id: int | None = None

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


@dataclass
class Facet:
    value: str
    label: str
    count: int
    selected: bool = False
    href: str = ""


@dataclass
class EngineResult:
    hits: list[Hit]
    total: int
    sections: dict[str, int] = field(default_factory=dict)  # section slug -> count
    kinds: dict[str, int] = field(default_factory=dict)  # kind -> count
    documents: list[Hit] = field(default_factory=list)
    document_total: int = 0


@dataclass
class Section:
    slug: str
    title: str
    path: str


@dataclass
class SiteContext:
    """What an engine needs to know about the site being searched (plain data)."""

    site_id: int
    root_path: str
    root_depth: int
    sections: list[Section]

    @classmethod
    def for_site(cls, site: Site) -> "SiteContext":
        def build():
            root = site.root_page
            children = (
                Page.objects.child_of(root)
                .live()
                .filter(show_in_menus=True)
                .order_by("title")
                .values_list("slug", "title", "path")
            )
            sections = list(children) or list(
                Page.objects.child_of(root)
                .live()
                .order_by("title")
                .values_list("slug", "title", "path")
            )
            return {
                "site_id": site.pk,
                "root_path": root.path,
                "root_depth": root.depth,
                "sections": sections,
            }

        data = generation_cached(f"search:site:{site.pk}", build)
        return cls(
            site_id=data["site_id"],
            root_path=data["root_path"],
            root_depth=data["root_depth"],
            sections=[Section(*s) for s in data["sections"]],
        )

    @cached_property
    def section_path_length(self) -> int:
        return len(self.root_path) + Page.steplen

    def section_for_path(self, path: str) -> Section | None:
        prefix = path[: self.section_path_length]
        for section in self.sections:
            if section.path == prefix:
                return section
        return None

    def section_by_slug(self, slug: str) -> Section | None:
        for section in self.sections:
            if section.slug == slug:
                return section
        return None


@dataclass
class SearchResults:
    query: PreparedQuery
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    sections: list[Facet]
    kinds: list[Facet]
    best_bets: list[Hit]
    documents: list[Hit]
    document_total: int

    @property
    def num_pages(self) -> int:
        return min(MAX_PAGE, max(1, -(-self.total // self.per_page)))

    @property
    def has_results(self) -> bool:
        return bool(self.hits or self.best_bets or self.documents)

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.hits else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.hits) - 1 if self.hits else 0


@dataclass
class _Scoring:
    """The compiled query and the two rank expressions for the index table."""

    tsquery: object
    title_score: object
    body_score: object


class DatabaseEngine:
    """Wagtail's database search backend (PostgreSQL full text in production).

    Per search: one ranked, paginated query for the page of results (``LIMIT`` in
    the database), one grouped query for the total and both facets, one query per
    page type on the page for the specific fields, and, on the first page, one for
    documents. The query count does not grow with the number of pages.
    """

    name = "database"

    def search(
        self,
        query: PreparedQuery,
        site: SiteContext,
        *,
        section: Section | None,
        kind: str,
        offset: int,
        limit: int,
        request=None,
    ) -> EngineResult:
        search_query = self.search_query(query)
        base = self.base_queryset(site, query)
        if kind == "document":
            documents, document_total = self.documents(search_query, offset, limit)
            sections, kinds, _ = self.facets(
                base, search_query, site, None, "", query.alternatives
            )
            kinds["document"] = document_total
            return EngineResult(
                hits=documents,
                total=document_total,
                sections=sections,
                kinds=kinds,
            )
        sections, kinds, total = self.facets(
            base, search_query, site, section, kind, query.alternatives
        )
        queryset = self.filtered(base, section, kind)
        hits = []
        if total and offset < total:
            pages = self.ranked_pages(queryset, search_query, offset, limit)
            hits = [self.page_hit(page, site, request) for page in pages]
        # Matching documents are counted for the type filter on every page, and
        # the first few are listed on the first, unfiltered page.
        first_unfiltered = offset == 0 and not section and not kind
        documents, document_total = self.documents(
            search_query, 0, DOCUMENTS_ON_FIRST_PAGE if first_unfiltered else 0
        )
        kinds["document"] = document_total
        return EngineResult(
            hits=hits,
            total=total,
            sections=sections,
            kinds=kinds,
            documents=documents,
            document_total=document_total,
        )

    def search_query(self, query: PreparedQuery):
        parts = [PlainText(alt, operator="and") for alt in query.alternatives]
        return parts[0] if len(parts) == 1 else Or(parts)

    def base_queryset(self, site: SiteContext, query: PreparedQuery | None = None):
        queryset = Page.objects.live().filter(path__startswith=site.root_path)
        if any_view_restrictions():
            queryset = queryset.public()
        return queryset

    def ranked_pages(self, queryset, search_query, offset: int, limit: int):
        """One page of results, best first.

        Wagtail's backend scores every match (title rank times the title's norm,
        plus body rank) before ``LIMIT``; the body rank reads each page's whole
        body vector, so a word found on 5,000 pages cost about 70 ms at 10,000
        pages. Here the title score, which dominates the order (the body's weight
        is a hundredth of the title's), picks the best ``offset + limit +
        CANDIDATE_MARGIN`` matches (``candidates``, SQL run as a subquery) and only those get
        the full score, in one query. Pages join on an index of their id as text,
        the form the index table stores it in (migration ``search.0003``).
        """
        if connection.vendor != "postgresql":
            return list(
                queryset.specific()
                .defer_streamfields()
                .search(search_query)[offset : offset + limit]
            )
        page_ids = self._run(self._ranking_sql(queryset, search_query, offset, limit))
        pages = Page.objects.filter(pk__in=page_ids).specific().defer_streamfields()
        by_id = {page.pk: page for page in pages}
        return [by_id[pk] for pk in page_ids if pk in by_id]

    candidate_margin = CANDIDATE_MARGIN

    def _ranking_sql(self, queryset, search_query, offset: int, limit: int):
        """The ranked query's SQL and parameters, remembered per search.

        Building it through the ORM (three candidate tiers, the final score)
        costs a few milliseconds of Python, as much as running it for a narrow
        search, and a search that is asked once is usually asked again: the
        compiled statement is kept, keyed by everything it is built from (the
        pages' own query as SQL, the query tree, the page wanted and the page
        models), so a change to any of them makes a new one.
        """
        page_sql, page_params = queryset.order_by().values("pk").query.sql_with_params()
        key = (
            page_sql,
            repr(page_params),  # a parameter may be a list: keyed by its text
            repr(search_query),
            offset,
            limit,
            self.candidate_margin,
            tuple(kinds_by_content_type()),
        )
        compiled = _RANKING_SQL.get(key)
        if compiled is None:
            scoring = self._scoring(queryset, search_query)
            candidates = RawSQL(  # noqa: S611 - ORM-compiled SQL, values as parameters
                *self.candidates(
                    queryset,
                    search_query,
                    offset + limit + self.candidate_margin,
                    scoring=scoring,
                )
            )
            compiled = (
                IndexEntry.objects.filter(pk__in=candidates)
                .annotate(page_id=Cast("object_id", IntegerField()))
                .annotate(score=scoring.title_score + scoring.body_score)
                .order_by("-score", "-page_id")
                .values_list("page_id", flat=True)[offset : offset + limit]
                .query.sql_with_params()
            )
            if len(_RANKING_SQL) >= RANKING_SQL_KEPT:
                _RANKING_SQL.clear()
            _RANKING_SQL[key] = compiled
        return compiled

    @staticmethod
    def _run(compiled) -> list[int]:
        sql, params = compiled
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def candidates(
        self, queryset, search_query, needed: int, scoring: "_Scoring | None" = None
    ) -> tuple[str, tuple]:
        """The ``needed`` best candidates, a query for index entry ids, taken
        in three tiers (each ``LIMIT needed``), the later ones only if the earlier
        ones fall short:

        1. titles matching the whole query, best title score first (ties: newest
           page first). These outscore every other match: a title holding none of
           the words scores 0, one holding only some of them 1e-20, so this tier is
           exactly the top of Wagtail's title ordering. One GIN lookup on the
           title vectors and the rank of a few thousand short vectors at most,
           whatever the bodies hold: a broad word ("apply", on half the pages)
           stays about as fast as a rare one;
        2. bodies matching the whole query (title not), newest page first;
        3. matches across the two (some words only in the title, the others only
           in the body), newest page first: every match can be reached.

        The tiers are ``UNION ALL`` branches under one ``LIMIT``: PostgreSQL runs
        the branches in order and stops pulling as soon as it has ``needed`` rows,
        so a later tier costs nothing when an earlier one is full. Tiers 2 and 3
        order by page id because their title scores are all (nearly) zero; none
        of them reads the body vectors to rank, which is what made broad searches
        slow.

        The first tier filters by page only after ranking (``OFFSET 0`` keeps
        PostgreSQL from merging the two), so only the best few titles are looked
        up among the site's pages instead of hashing every page. Returns the SQL
        and its parameters, composed of ORM-compiled statements only.
        """
        scoring = scoring or self._scoring(queryset, search_query)
        q = scoring.tsquery
        kinds = list(kinds_by_content_type())
        page_sql, page_params = queryset.order_by().values("pk").query.sql_with_params()
        ranked_titles_sql, ranked_titles_params = (
            IndexEntry.objects.filter(content_type_id__in=kinds, title=q)
            .annotate(
                entry_id=F("pk"),
                page_id=Cast("object_id", IntegerField()),
                title_score=scoring.title_score,
            )
            .order_by("-title_score", "-page_id")
            .values("entry_id", "page_id", "title_score")
            .query.sql_with_params()
        )
        title = (
            f"SELECT ranked.entry_id FROM ({ranked_titles_sql} OFFSET 0) AS ranked "  # noqa: S608 - ORM-compiled SQL
            f"WHERE ranked.page_id IN ({page_sql}) "
            "ORDER BY ranked.title_score DESC, ranked.page_id DESC LIMIT %s",
            (*ranked_titles_params, *page_params, needed),
        )
        body = self._matches(queryset, kinds, F("body"), q).exclude(title=q)
        across = (
            self._matches(
                queryset,
                kinds,
                CombinedExpression(
                    F("title"), "||", F("body"), output_field=SearchVectorField()
                ),
                q,
            )
            .exclude(title=q)
            .exclude(body=q)
        )
        tiers = [
            title,
            body.order_by("-page_id").values("pk")[:needed].query.sql_with_params(),
            across.order_by("-page_id").values("pk")[:needed].query.sql_with_params(),
        ]
        union = " UNION ALL ".join(f"({sql})" for sql, _params in tiers)
        return (
            f"SELECT tiers.entry_id FROM ({union}) AS tiers(entry_id) LIMIT %s",  # noqa: S608 - ORM-compiled SQL
            (*(param for _sql, params in tiers for param in params), needed),
        )

    def _matches(self, queryset, kinds, vector, tsquery):
        """Index entries (of page types ``kinds``) of the queryset's pages whose
        ``vector`` matches."""
        return (
            IndexEntry.objects.filter(content_type_id__in=kinds)
            .alias(vector=vector, page_id=Cast("object_id", IntegerField()))
            .filter(vector=tsquery, page_id__in=queryset.order_by().values("pk"))
        )

    def _scoring(self, queryset, search_query) -> "_Scoring":
        compiled = compat.ranking(queryset, search_query)
        return _Scoring(
            tsquery=compiled.tsquery,
            title_score=compiled.rank(F("title")) * F("title_norm"),
            body_score=compiled.rank(F("body")),
        )

    def filtered(self, queryset, section: Section | None, kind: str):
        if section:
            queryset = queryset.filter(path__startswith=section.path)
        if kind:
            queryset = queryset.filter(content_type_id__in=content_type_ids(kind))
        return queryset

    def facets(self, base, search_query, site, section, kind, query_key=()):
        """Counts by section and by kind, and the total for the chosen filters, from
        one grouped query over the matches."""
        length = site.section_path_length

        def count():
            results = base.search(search_query, order_by_relevance=False)
            if hasattr(results, "get_queryset"):
                rows = (
                    results.get_queryset()
                    .order_by()
                    .values("content_type_id", prefix=Substr("path", 1, length))
                    .annotate(n=Count("pk"))
                )
                return [(r["content_type_id"], r["prefix"], r["n"]) for r in rows]
            # Backends without a queryset: counted in Python (small sites only).
            return [(page.content_type_id, page.path[:length], 1) for page in results]

        # Counts change only when pages are published, unpublished, moved or
        # deleted, each of which starts a new page-cache generation: a repeated
        # query (the common case) skips the counting query until then.
        key = hashlib.md5(
            repr((site.site_id, query_key)).encode(), usedforsecurity=False
        ).hexdigest()
        groups = generation_cached(f"search:facets:{key}", count)
        kind_of = kinds_by_content_type()
        section_by_prefix = {s.path: s for s in site.sections}
        sections, kinds, total = {}, {}, 0
        for content_type_id, prefix, n in groups:
            page_kind = kind_of.get(content_type_id, OTHER_KIND[0])
            page_section = section_by_prefix.get(prefix)
            if page_section:
                sections[page_section.slug] = sections.get(page_section.slug, 0) + n
            kinds[page_kind] = kinds.get(page_kind, 0) + n
            if (not section or page_section == section) and (
                not kind or page_kind == kind
            ):
                total += n
        return sections, kinds, total

    def page_hit(self, page, site: SiteContext, request) -> Hit:
        section = site.section_for_path(page.path)
        return Hit(
            title=page.title,
            url=page.get_url(request=request) or "",
            summary=getattr(page, "summary", "") or "",
            section=section.title if section and section.path != page.path else "",
            kind=kind_for_model(page._meta.label),
            page_id=page.pk,
        )

    def documents(self, search_query, offset, limit) -> tuple[list[Hit], int]:
        results = get_document_model().objects.search(search_query)
        total = results.count()
        if not total or not limit or offset >= total:
            return [], total
        return [
            document_hit(document) for document in results[offset : offset + limit]
        ], total

    def suggest(self, prefix: str, site: SiteContext, limit: int, request=None):
        base = self.base_queryset(site)
        pages = base.specific().defer_streamfields().autocomplete(prefix)[:limit]
        return [self.page_hit(page, site, request) for page in pages]


def document_hit(document) -> Hit:
    return Hit(
        title=document.title,
        url=document.url,
        summary=getattr(document, "description", "") or "",
        section="",
        kind="document",
        document_id=document.pk,
    )


def content_type_ids(kind: str) -> list[int]:
    ids = [
        ct_id for ct_id, ct_kind in kinds_by_content_type().items() if ct_kind == kind
    ]
    return ids or [-1]  # a kind with no page models matches no page


def kinds_by_content_type() -> dict[int, str]:
    """Content type id -> kind, for every page model (ContentType's own cache)."""
    from django.apps import apps

    mapping = {}
    for model in apps.get_models():
        if issubclass(model, Page):
            content_type = ContentType.objects.get_for_model(model)
            mapping[content_type.pk] = kind_for_model(model._meta.label)
    return mapping


def get_engine():
    if settings.ELASTICSEARCH_URL:
        from search.es_engine import ResilientEngine

        return ResilientEngine()
    return DatabaseEngine()


def best_bets(text: str, request=None) -> list[Hit]:
    """Editors' promoted results for this exact query (normalised), in their order."""
    normalised = normalise_query_string(text)
    if not normalised:
        return []
    hits = []
    promotions = SearchPromotion.objects.filter(
        query__query_string=normalised
    ).select_related("page")
    for promotion in promotions:
        if promotion.page_id:
            page = promotion.page
            if not page.live:
                continue
            hits.append(
                Hit(
                    title=page.title,
                    url=page.get_url(request=request) or "",
                    summary=promotion.description,
                    kind="best-bet",
                    page_id=page.pk,
                    promotion_id=promotion.pk,
                )
            )
        elif promotion.external_link_url:
            hits.append(
                Hit(
                    title=promotion.external_link_text or promotion.external_link_url,
                    url=promotion.external_link_url,
                    summary=promotion.description,
                    kind="best-bet",
                    promotion_id=promotion.pk,
                )
            )
    return hits


class SiteSearch:
    """One search: prepare, run on the configured engine, add best bets and facets."""

    def __init__(
        self,
        *,
        text: str,
        site: Site,
        section: str = "",
        kind: str = "",
        page: int = 1,
        per_page: int = RESULTS_PER_PAGE,
        request=None,
        engine=None,
    ):
        self.query = prepare(text)
        self.site = site
        self.context = SiteContext.for_site(site)
        self.section = self.context.section_by_slug(section) if section else None
        self.kind = kind if kind in KINDS else ""
        self.page = max(1, min(int(page), MAX_PAGE))
        self.per_page = per_page
        self.request = request
        self.engine = engine or get_engine()

    def results(self) -> SearchResults:
        offset = (self.page - 1) * self.per_page
        result = self.engine.search(
            self.query,
            self.context,
            section=self.section,
            kind=self.kind,
            offset=offset,
            limit=self.per_page,
            request=self.request,
        )
        if not result.total and not result.document_total:
            result = self.retry_loosely(result, offset)
        if result.hits == [] and offset and result.total:
            # Past the last page: show the last one.
            self.page = max(1, -(-result.total // self.per_page))
            return self.results()
        bets = best_bets(self.query.text, self.request) if self.page == 1 else []
        bet_urls = {b.url for b in bets}
        hits = [h for h in result.hits if h.url not in bet_urls]
        return SearchResults(
            query=self.query,
            hits=hits,
            total=result.total,
            page=self.page,
            per_page=self.per_page,
            sections=self.section_facets(result.sections),
            kinds=self.kind_facets(result.kinds),
            best_bets=bets,
            documents=result.documents,
            document_total=result.document_total,
        )

    def retry_loosely(self, result: EngineResult, offset: int) -> EngineResult:
        """Nothing matched every word: match any word instead (still ranked)."""
        words = [w for w in self.query.plain.split() if w not in STOP_WORDS]
        if len(words) < 2:
            return result
        loose = PreparedQuery(
            text=self.query.text,
            plain=self.query.plain,
            alternatives=tuple(self.query.alternatives) + tuple(words),
            corrected=self.query.corrected,
        )
        return self.engine.search(
            loose,
            self.context,
            section=self.section,
            kind=self.kind,
            offset=offset,
            limit=self.per_page,
            request=self.request,
        )

    def section_facets(self, counts: dict[str, int]) -> list[Facet]:
        return [
            Facet(
                value=s.slug,
                label=s.title,
                count=counts.get(s.slug, 0),
                selected=self.section is not None and s.slug == self.section.slug,
            )
            for s in self.context.sections
            if counts.get(s.slug) or (self.section and s.slug == self.section.slug)
        ]

    def kind_facets(self, counts: dict[str, int]) -> list[Facet]:
        return [
            Facet(
                value=kind,
                label=label,
                count=counts.get(kind, 0),
                selected=kind == self.kind,
            )
            for kind, (label, _models) in KINDS.items()
            if counts.get(kind) or kind == self.kind
        ]

    def suggestions(self, limit: int = SUGGESTIONS) -> list[Hit]:
        if not self.query.plain:
            return []
        return self.engine.suggest(
            self.query.plain, self.context, limit, request=self.request
        )
