"""Celery tasks: thin wrappers around ``search.indexing`` and ``search.querylog``.

Indexing tasks take primary keys, are idempotent (they read the page's current state
and index or remove it accordingly) and are acknowledged late, so a lost worker does
not lose an update.
"""

from celery import shared_task

from search import indexing, querylog


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True)
def index_page(page_id: int) -> str:
    return indexing.index_page(page_id)


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True)
def index_subtree(page_id: int) -> int:
    return indexing.index_subtree(page_id)


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True)
def remove_page(page_id: int) -> None:
    indexing.remove(indexing.page_doc_id(page_id))


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True)
def index_document(document_id: int) -> str:
    return indexing.index_document(document_id)


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True)
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
