"""Thin handlers: synonyms take effect at once; Elasticsearch follows publishing;
the pages offering a service are re-indexed when its words change."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from wagtail.signals import page_published, page_unpublished, post_page_move

from search.analysis import bump_synonyms_version
from search.models import Synonym


def synonyms_changed(sender, **kwargs):
    bump_synonyms_version()
    if settings.ELASTICSEARCH_URL:
        from search import tasks

        transaction.on_commit(tasks.update_synonyms.delay)


def page_changed(sender, instance, **kwargs):
    if settings.ELASTICSEARCH_URL:
        from search import tasks

        page_id = instance.pk
        transaction.on_commit(lambda: tasks.index_page.delay(page_id))


def service_words_changed(sender, instance, **kwargs):
    """A service's name, kind of request or residents' words (its synonyms) are
    indexed with each live page whose transaction offers it
    (``ServicePage.transaction_terms``): re-index those pages now, in the
    database index and Elasticsearch alike, not at their next publish. The pages
    are found through Wagtail's reference index."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import Page, ReferenceIndex
    from wagtail.search import index

    base = ContentType.objects.get_for_model(Page)
    page_ids = set(
        ReferenceIndex.get_references_to(instance)
        .filter(base_content_type=base)
        .values_list("object_id", flat=True)
    )
    if not page_ids:
        return
    pages = Page.objects.live().filter(pk__in=page_ids).specific()
    for page in pages:
        index.insert_or_update_object(page)
    if settings.ELASTICSEARCH_URL:
        from search import tasks

        for page_id in [page.pk for page in pages]:
            transaction.on_commit(
                lambda page_id=page_id: tasks.index_page.delay(page_id)
            )


def page_moved(sender, instance, **kwargs):
    if settings.ELASTICSEARCH_URL:
        from search import tasks

        page_id = instance.pk
        transaction.on_commit(lambda: tasks.index_subtree.delay(page_id))


def page_deleted(sender, instance, **kwargs):
    if settings.ELASTICSEARCH_URL:
        from search import tasks

        page_id = instance.pk
        transaction.on_commit(lambda: tasks.remove_page.delay(page_id))


def document_changed(sender, instance, **kwargs):
    if settings.ELASTICSEARCH_URL:
        from search import tasks

        document_id = instance.pk
        transaction.on_commit(lambda: tasks.index_document.delay(document_id))


def document_deleted(sender, instance, **kwargs):
    if settings.ELASTICSEARCH_URL:
        from search import tasks

        document_id = instance.pk
        transaction.on_commit(lambda: tasks.remove_document.delay(document_id))


def demo_loaded(sender, builder, **kwargs):
    from search import demo

    return demo.load(builder)


def connect():
    from wagtail.documents import get_document_model
    from wagtail.models import Page

    from home.demo import builders

    if hasattr(builders, "demo_content_loaded"):
        builders.demo_content_loaded.connect(demo_loaded)

    post_save.connect(synonyms_changed, sender=Synonym)
    post_delete.connect(synonyms_changed, sender=Synonym)
    from services.models import ServiceDefinition

    post_save.connect(service_words_changed, sender=ServiceDefinition)
    page_published.connect(page_changed)
    # Unpublishing removes the page (index_page drops pages that are not live).
    page_unpublished.connect(page_changed)
    post_page_move.connect(page_moved)
    post_delete.connect(page_deleted, sender=Page)
    Document = get_document_model()
    post_save.connect(document_changed, sender=Document)
    post_delete.connect(document_deleted, sender=Document)
