"""The Elasticsearch engine behind ``search.queries.SiteSearch``.

Every query body is built here as an elasticsearch-dsl ``Search`` (and tested as
data with ``to_dict()``): a ``multi_match`` over the title (boosted), summary and
body for each of the prepared query's alternatives (the words as typed, with
synonyms applied, spelling corrected), fuzzy for typos, a phrase boost on the
title, a small boost for service pages, the site (and optional section and type) as
filters, and ``terms`` aggregations for the facets. The section and type filters are
a ``post_filter`` so the facet counts stay those of the whole search.

``ResilientEngine`` is what the site uses: Elasticsearch, and the database engine
whenever the cluster cannot answer in time (a connection error, a timeout after
``ELASTICSEARCH_QUERY_TIMEOUT_SECONDS``, a server error). After a failure the
cluster is not asked again for ``ELASTICSEARCH_RETRY_SECONDS`` (a circuit breaker,
per process), so a dead or hanging cluster costs a resident at most one timeout and
the workers stay free. The resident sees ordinary results either way; the outage is
logged once when it starts and once when it ends.
"""

import logging
import threading
import time

from django.conf import settings

from elastic_transport import TransportError
from elasticsearch import ApiError
from elasticsearch.dsl import A, Q, Search

from search.analysis import PreparedQuery
from search.indexing import alias_name, get_query_client
from search.queries import DatabaseEngine, EngineResult, Hit, Section, SiteContext

logger = logging.getLogger(__name__)

FIELDS = ["title^6", "summary^2", "body"]
SERVICE_BOOST = 1.5


def site_filter(site: SiteContext):
    """The site's pages, and documents (which belong to no site)."""
    return Q(
        "bool",
        should=[Q("prefix", path=site.root_path), Q("term", kind="document")],
        minimum_should_match=1,
    )


def text_query(query: PreparedQuery):
    should = []
    for number, alternative in enumerate(query.alternatives):
        should.append(
            Q(
                "multi_match",
                query=alternative,
                fields=FIELDS,
                type="best_fields",
                operator="and",
                # The query as typed may contain typos; rewrites are exact.
                fuzziness="AUTO" if number == 0 else 0,
                prefix_length=1,
            )
        )
    should.append(Q("match_phrase", title={"query": query.plain, "boost": 4}))
    return Q("bool", should=should, minimum_should_match=1)


def build_search(
    query: PreparedQuery,
    site: SiteContext,
    *,
    section: Section | None = None,
    kind: str = "",
    offset: int = 0,
    limit: int = 10,
    index: str | None = None,
) -> Search:
    search = Search(index=index or alias_name()).query(
        Q(
            "bool",
            must=[text_query(query)],
            filter=[site_filter(site)],
            should=[Q("term", kind={"value": "service", "boost": SERVICE_BOOST})],
        )
    )
    post = []
    if section:
        post.append(Q("term", section=section.slug))
    if kind:
        post.append(Q("term", kind=kind))
    if post:
        search = search.post_filter(Q("bool", filter=post))
    search.aggs.bucket("sections", A("terms", field="section", size=100))
    search.aggs.bucket("kinds", A("terms", field="kind", size=20))
    search = search.extra(track_total_hits=True).source(
        ["title", "summary", "url", "kind", "section_title", "page_id", "document_id"]
    )
    return search[offset : offset + limit]


def build_suggest(prefix: str, site: SiteContext, limit: int, index=None) -> Search:
    return (
        Search(index=index or alias_name())
        .query(
            Q(
                "bool",
                must=[
                    Q(
                        "match",
                        **{"title.autocomplete": {"query": prefix, "operator": "and"}},
                    )
                ],
                filter=[Q("prefix", path=site.root_path)],
                should=[Q("term", kind={"value": "service", "boost": SERVICE_BOOST})],
            )
        )
        .source(["title", "url", "kind", "section_title", "page_id"])[:limit]
    )


def hit_from_source(source) -> Hit:
    return Hit(
        title=source.get("title", ""),
        url=source.get("url", ""),
        summary=source.get("summary", ""),
        section=source.get("section_title", ""),
        kind=source.get("kind", ""),
        page_id=source.get("page_id"),
        document_id=source.get("document_id"),
    )


class ElasticsearchEngine:
    name = "elasticsearch"

    def __init__(self, client=None, index=None):
        self.client = client
        self.index = index

    def _client(self):
        return self.client or get_query_client()

    def search(
        self,
        query: PreparedQuery,
        site: SiteContext,
        *,
        section,
        kind,
        offset,
        limit,
        request=None,
    ) -> EngineResult:
        body = build_search(
            query,
            site,
            section=section,
            kind=kind,
            offset=offset,
            limit=limit,
            index=self.index,
        ).to_dict()
        response = self._client().search(index=self.index or alias_name(), body=body)
        hits = [hit_from_source(h["_source"]) for h in response["hits"]["hits"]]
        total = response["hits"]["total"]["value"]
        aggs = response.get("aggregations", {})
        sections = {
            b["key"]: b["doc_count"]
            for b in aggs.get("sections", {}).get("buckets", [])
            if b["key"]
        }
        kinds = {
            b["key"]: b["doc_count"] for b in aggs.get("kinds", {}).get("buckets", [])
        }
        return EngineResult(hits=hits, total=total, sections=sections, kinds=kinds)

    def suggest(self, prefix: str, site: SiteContext, limit: int, request=None):
        body = build_suggest(prefix, site, limit, index=self.index).to_dict()
        response = self._client().search(index=self.index or alias_name(), body=body)
        return [hit_from_source(h["_source"]) for h in response["hits"]["hits"]]


class _Breaker:
    def __init__(self):
        self.lock = threading.Lock()
        self.down_since: float | None = None
        self.retry_at = 0.0

    def allows(self) -> bool:
        return self.down_since is None or time.monotonic() >= self.retry_at

    def failed(self, error: Exception) -> None:
        with self.lock:
            now = time.monotonic()
            if self.down_since is None:
                self.down_since = now
                logger.warning(
                    "Elasticsearch unavailable (%s: %s); searching the database "
                    "instead, retrying every %ss",
                    type(error).__name__,
                    error,
                    settings.ELASTICSEARCH_RETRY_SECONDS,
                )
            self.retry_at = now + settings.ELASTICSEARCH_RETRY_SECONDS

    def succeeded(self) -> None:
        if self.down_since is None:
            return
        with self.lock:
            if self.down_since is not None:
                logger.warning(
                    "Elasticsearch available again after %.1fs",
                    time.monotonic() - self.down_since,
                )
            self.down_since = None


breaker = _Breaker()
UNAVAILABLE = (TransportError, ApiError)


class ResilientEngine:
    """Elasticsearch first, the database engine when the cluster cannot answer."""

    name = "elasticsearch"

    def __init__(self, primary=None, fallback=None):
        self.primary = primary or ElasticsearchEngine()
        self.fallback = fallback or DatabaseEngine()

    def _call(self, method: str, *args, **kwargs):
        if breaker.allows():
            try:
                result = getattr(self.primary, method)(*args, **kwargs)
            except UNAVAILABLE as error:
                breaker.failed(error)
            else:
                breaker.succeeded()
                return result
        return getattr(self.fallback, method)(*args, **kwargs)

    def search(self, *args, **kwargs) -> EngineResult:
        return self._call("search", *args, **kwargs)

    def suggest(self, *args, **kwargs):
        return self._call("suggest", *args, **kwargs)
