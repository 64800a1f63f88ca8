"""Keeping the Elasticsearch index in step with the site (used only when
``ELASTICSEARCH_URL`` is set). Called from ``search.tasks``.

Pages are indexed when published and removed when unpublished, deleted or made
private; moving a page re-indexes it and its descendants. A full ``rebuild`` creates
a new index (``<alias>-<timestamp>``), bulk-loads every live page and document,
and then moves the alias to it in one request, so searches never see an empty or
half-built index; the old index is then deleted.

Outages: the tasks retry on the client's own connection and timeout errors and on
5xx answers (``RETRYABLE``), and ``reconcile`` (Celery beat) re-indexes every page
with a log entry since the last successful reconcile or rebuild (the high-water
mark in ``IndexMark``), so a page published while the cluster was down is found
once it is back. Queries use their own client with a short timeout and no retries
(``get_query_client``): a resident never waits for a retry.
"""

from datetime import UTC, datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from wagtail.documents import get_document_model
from wagtail.models import Page, PageLogEntry, Site

from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError
from elasticsearch.helpers import bulk

from search.analysis import load_synonyms
from search.documents import SearchDocument, synonym_rules, versioned_index
from search.queries import kind_for_model


def alias_name() -> str:
    return settings.ELASTICSEARCH_INDEX


def get_client() -> Elasticsearch:
    return _client(
        settings.ELASTICSEARCH_URL,
        getattr(settings, "ELASTICSEARCH_NODE_CLASS", ""),
        settings.ELASTICSEARCH_TIMEOUT_SECONDS,
    )


def get_query_client() -> Elasticsearch:
    """For searches a resident waits on: a short timeout and no retries (the
    search falls back to the database engine instead, ``search.es_engine``)."""
    return _client(
        settings.ELASTICSEARCH_URL,
        getattr(settings, "ELASTICSEARCH_NODE_CLASS", ""),
        settings.ELASTICSEARCH_QUERY_TIMEOUT_SECONDS,
        retries=0,
    )


def ready_state() -> str:
    """Search's line in ``/readyz/`` (``home.readiness``): the database engine when
    no cluster is configured, else whether the cluster answers within a second."""
    if not settings.ELASTICSEARCH_URL:
        return "database"
    from home.readiness import CHECK_TIMEOUT_SECONDS

    if not get_query_client().options(request_timeout=CHECK_TIMEOUT_SECONDS).ping():
        raise ConnectionError("no answer")
    return "up"


@lru_cache(maxsize=8)
def _client(
    url: str, node_class: str, timeout: float, retries: int = 2
) -> Elasticsearch:
    kwargs = {
        "request_timeout": timeout,
        "retry_on_timeout": retries > 0,
        "max_retries": retries,
    }
    if node_class:
        kwargs["node_class"] = import_string(node_class)
    return Elasticsearch(url, **kwargs)


class ClusterUnavailable(Exception):
    """The cluster answered with a server error (5xx): worth retrying later."""


# What the indexing tasks retry on: the client's connection errors and timeouts
# (elastic_transport.ConnectionError and ConnectionTimeout are TransportErrors, not
# Python ConnectionErrors) and the cluster's 5xx answers.
RETRYABLE = (TransportError, ClusterUnavailable)


def _server_errors_retryable(call):
    try:
        return call()
    except ApiError as error:
        if error.meta.status >= 500:
            raise ClusterUnavailable(str(error)) from error
        raise


def page_doc_id(page_id: int) -> str:
    return f"page-{page_id}"


def document_doc_id(document_id: int) -> str:
    return f"document-{document_id}"


def _sites_by_root_path() -> list[tuple[str, Site]]:
    sites = Site.objects.select_related("root_page").all()
    return sorted(
        ((site.root_page.path, site) for site in sites), key=lambda s: -len(s[0])
    )


def page_source(page, sites=None) -> dict | None:
    """The indexed form of a live, public page, or None when it must not be found."""
    page = page.specific_deferred if hasattr(page, "specific_deferred") else page
    if not page.live or page.get_view_restrictions().exists():
        return None
    sites = sites if sites is not None else _sites_by_root_path()
    site = next((s for path, s in sites if page.path.startswith(path)), None)
    if site is None:
        return None
    section_path = page.path[: len(site.root_page.path) + Page.steplen]
    section = (
        Page.objects.filter(path=section_path).only("slug", "title").first()
        if len(page.path) >= len(section_path)
        else None
    )
    body = _plain_body(page)
    return {
        "title": page.title,
        "summary": getattr(page, "summary", "") or "",
        "body": body,
        "kind": kind_for_model(page._meta.label),
        "section": section.slug if section else "",
        "section_title": section.title if section and section.pk != page.pk else "",
        "path": page.path,
        "url": page.relative_url(site) or "",
        "page_id": page.pk,
    }


def _plain_body(page) -> str:
    """The page's searchable text other than title and summary, from its own
    ``search_fields`` (the same text Wagtail's database backend indexes)."""
    from modelsearch.backends.database.postgres import weights
    from modelsearch.backends.database.postgres.postgres import ObjectIndexer

    if not weights.BOOSTS_WEIGHTS:
        # Filled when the PostgreSQL backend starts; with another database backend
        # (SQLite) the indexer would fail on the first boosted field and every
        # page would reach Elasticsearch without its body.
        weights.set_weights()

    class _Backend:
        config = None
        autocomplete_config = "simple"

    try:
        return ObjectIndexer(page, _Backend()).body_text[:100_000]
    except Exception:  # noqa: BLE001 - a page type without extra text
        return ""


def document_source(document) -> dict:
    return {
        "title": document.title,
        "summary": getattr(document, "description", "") or "",
        "body": " ".join(tag.name for tag in document.tags.all()),
        "kind": "document",
        "section": "",
        "section_title": "",
        "path": "",
        "url": document.url,
        "document_id": document.pk,
    }


def index_page(page_id: int) -> str:
    page = Page.objects.filter(pk=page_id).first()
    source = page_source(page.specific) if page else None
    if source is None:
        remove(page_doc_id(page_id))
        return "removed"
    _server_errors_retryable(
        lambda: get_client().index(
            index=alias_name(), id=page_doc_id(page_id), document=source, refresh=True
        )
    )
    return "indexed"


def index_subtree(page_id: int) -> int:
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        remove(page_doc_id(page_id))
        return 0
    count = 0
    for descendant in Page.objects.descendant_of(page, inclusive=True).values_list(
        "pk", flat=True
    ):
        index_page(descendant)
        count += 1
    return count


def index_document(document_id: int) -> str:
    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        remove(document_doc_id(document_id))
        return "removed"
    _server_errors_retryable(
        lambda: get_client().index(
            index=alias_name(),
            id=document_doc_id(document_id),
            document=document_source(document),
            refresh=True,
        )
    )
    return "indexed"


def remove(doc_id: str) -> None:
    try:
        _server_errors_retryable(
            lambda: get_client().delete(index=alias_name(), id=doc_id, refresh=True)
        )
    except NotFoundError:
        pass


def all_sources():
    sites = _sites_by_root_path()
    for page in Page.objects.live().specific().iterator(chunk_size=500):
        source = page_source(page, sites)
        if source:
            yield page_doc_id(page.pk), source
    for document in get_document_model().objects.prefetch_related("tags"):
        yield document_doc_id(document.pk), document_source(document)


def current_indices() -> list[str]:
    client = get_client()
    try:
        return sorted(client.indices.get_alias(name=alias_name()).body)
    except NotFoundError:
        return []


def rebuild(replicas: int | None = None) -> str:
    """Build a new index, fill it, swap the alias to it, drop the old ones."""
    from search.models import IndexMark

    started = timezone.now()
    client = get_client()
    alias = alias_name()
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
    name = f"{alias}-{stamp}"
    index = versioned_index(
        name,
        synonym_rules(load_synonyms()),
        replicas=1 if replicas is None else replicas,
    )
    index.create(using=client)
    actions = (
        {"_index": name, "_id": doc_id, "_source": source}
        for doc_id, source in all_sources()
    )
    bulk(client, actions, chunk_size=500, refresh=True)
    old = current_indices()
    swap = [{"add": {"index": name, "alias": alias}}]
    swap += [{"remove": {"index": old_name, "alias": alias}} for old_name in old]
    if not old and client.indices.exists(index=alias):
        # A concrete index squats on the alias's name (an old setup): replace it.
        client.indices.delete(index=alias)
    client.indices.update_aliases(actions=swap)
    for old_name in old:
        client.indices.delete(index=old_name, ignore_unavailable=True)
    IndexMark.set(IndexMark.PAGES, started)
    return name


# Log entries this close to the mark are looked at again (clocks and commit order).
RECONCILE_OVERLAP = timedelta(minutes=2)


def reconcile() -> int:
    """Re-index every page with a log entry (publish, unpublish, move, delete,
    privacy...) since the high-water mark, then move the mark to when this run
    started. Raises (and moves nothing) while the cluster is unavailable."""
    from search.models import IndexMark

    started = timezone.now()
    mark = IndexMark.get(IndexMark.PAGES)
    if mark is None:  # never built here: the next rebuild sets the mark
        IndexMark.set(IndexMark.PAGES, started)
        return 0
    entries = (
        PageLogEntry.objects.filter(timestamp__gte=mark - RECONCILE_OVERLAP)
        .values_list("page_id", "action")
        .distinct()
    )
    moved, changed = set(), set()
    for page_id, action in entries:
        (moved if action == "wagtail.move" else changed).add(page_id)
    count = sum(index_subtree(page_id) for page_id in sorted(moved))
    for page_id in sorted(changed - moved):
        index_page(page_id)
        count += 1
    IndexMark.set(IndexMark.PAGES, started)
    return count


def ensure_index() -> str:
    """The alias exists (building the index if not); returns the index behind it."""
    existing = current_indices()
    return existing[0] if existing else rebuild()


__all__ = ["SearchDocument", "rebuild", "index_page", "remove", "get_client"]
