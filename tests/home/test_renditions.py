"""Image renditions are made at upload by a Celery task, not on the first page view."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.images.models import Rendition
from wagtail.images.tests.utils import get_test_image_file

import pytest

from home.images import RENDITION_SPECS
from tests.factories.services import NewsArticlePageFactory


def make_image():
    from wagtail.images import get_image_model

    return get_image_model().objects.create(
        title="Recycling centre", file=get_test_image_file()
    )


@pytest.mark.django_db
def test_uploading_an_image_makes_every_rendition(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = make_image()
    specs = set(
        Rendition.objects.filter(image=image).values_list("filter_spec", flat=True)
    )
    assert specs == set(RENDITION_SPECS)


@pytest.mark.django_db
def test_first_view_of_a_page_with_an_image_creates_no_rendition(
    client, council, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        image = make_image()
    article = NewsArticlePageFactory(
        parent=council["news_index"], image=image, image_alt_text="A skip"
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.url)
    assert response.status_code == 200
    assert 'alt="A skip"' in response.content.decode()
    assert not [q for q in queries if "INSERT" in q["sql"] and "rendition" in q["sql"]]


@pytest.mark.celery
# Serialized rollback restores what migrations create (the root collection) after
# other transactional tests have flushed the database.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_makes_renditions_after_upload(celery_app, celery_worker):
    image = make_image()  # autocommit: on_commit enqueues to the broker at once
    import time

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if Rendition.objects.filter(image=image).count() == len(RENDITION_SPECS):
            break
        time.sleep(0.2)
    assert Rendition.objects.filter(image=image).count() == len(RENDITION_SPECS)
