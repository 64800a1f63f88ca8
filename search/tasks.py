"""Celery tasks: thin wrappers around ``search.indexing`` and ``search.querylog``.

Indexing tasks take primary keys, are idempotent (they read the page's current state
and index or remove it accordingly) and are acknowledged late, so a lost worker does
not lose an update.
"""

from celery import shared_task

from home.platform.queue import SweptTask
from search import indexing, querylog

# Enqueued on commit when pages change: a broker outage is logged, not raised
# (SweptTask), and ``reconcile_index`` catches up. Retried on the Elasticsearch
# client's own connection errors, timeouts and 5xx answers.
INDEXING = {
    "base": SweptTask,
    "acks_late": True,
    "autoretry_for": indexing.RETRYABLE,
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 6,
}


@shared_task(**INDEXING)
def index_page(page_id: int) -> str:
    return indexing.index_page(page_id)


@shared_task(**INDEXING)
def index_subtree(page_id: int) -> int:
    return indexing.index_subtree(page_id)


@shared_task(**INDEXING)
def remove_page(page_id: int) -> None:
    indexing.remove(indexing.page_doc_id(page_id))


@shared_task(**INDEXING)
def index_document(document_id: int) -> str:
    return indexing.index_document(document_id)


@shared_task(**INDEXING)
def remove_document(document_id: int) -> None:
    indexing.remove(indexing.document_doc_id(document_id))


@shared_task(acks_late=True)
def update_synonyms() -> str:
    """The index's synonym filter is set when an index is built: rebuild it (a new
    index and an alias swap). Queries already use the new synonyms meanwhile."""
    return indexing.rebuild()


@shared_task
def flush_query_log() -> int:
    return querylog.flush()


@shared_task(
    acks_late=True,
    autoretry_for=indexing.RETRYABLE,
    retry_backoff=True,
    max_retries=3,
)
def reconcile_index() -> int:
    """Run by Celery beat: re-index pages changed since the last successful
    reconcile (pages published while the cluster or the broker was down)."""
    from django.conf import settings

    if not settings.ELASTICSEARCH_URL:
        return 0
    return indexing.reconcile()
