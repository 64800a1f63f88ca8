"""Shared fixtures: a council site with a home page, and helpers for the admin."""

from django.core.cache import caches

from wagtail.models import Page, Site

import pytest

from tests.factories.home import HomePageFactory, StandardPageFactory
from tests.factories.services import (
    AToZPageFactory,
    GuidePageFactory,
    NewsArticlePageFactory,
    NewsIndexPageFactory,
    ServiceLandingPageFactory,
    ServicePageFactory,
    StepByStepPageFactory,
)
from tests.myaccount.factories import with_two_factor
from tests.needs import needs_redis

pytest_plugins = ("celery.contrib.pytest",)


def pytest_runtest_setup(item):
    """A test with a real Celery worker needs Redis (its broker): skipped with the
    reason, or failed under ``REQUIRE_SERVICES=1``, before the worker starts."""
    if "celery_worker" in item.fixturenames:
        needs_redis("a real Celery worker runs on the Redis broker")


@pytest.fixture(scope="session")
def celery_config():
    """A real worker on the Redis broker from the test settings (databases 14/15)."""
    from django.conf import settings

    return {
        "broker_url": settings.CELERY_BROKER_URL,
        "result_backend": settings.CELERY_RESULT_BACKEND,
        "task_always_eager": False,
    }


@pytest.fixture(scope="session")
def celery_includes():
    return ["home.tasks", "search.tasks", "services.tasks"]


@pytest.fixture(autouse=True)
def _clear_caches():
    """Each test starts with empty caches (the page cache, Wagtail's site cache),
    and with no segment visits an earlier test counted in this process's memory
    (pushed to the cache, then cleared with it: on SQLite a later test's segment
    can reuse an earlier one's id)."""
    from personalisation import visits

    visits.push()
    for alias in ("default", "renditions"):
        caches[alias].clear()
    yield


@pytest.fixture
def admin_user(admin_user):
    """pytest-django's superuser, with the two-factor authentication every member
    of staff has before the admin lets them in."""
    with_two_factor(admin_user)
    return admin_user


@pytest.fixture
def home_page(db):
    """The council site's home page, as the root of the default Site on testserver."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="council-home")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "testserver",
            "port": 80,
            "root_page": home,
            "site_name": "Council",
        },
    )
    Site.clear_site_root_paths_cache()
    return home


@pytest.fixture
def editor(db, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "editor", "editor@example.com", "pw-editor-123"
    )
    user.groups.add(Group.objects.get(name="Editors"))
    with_two_factor(user)
    return user


@pytest.fixture
def moderator(db, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "moderator", "mod@example.com", "pw-mod-123"
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    with_two_factor(user)
    return user


@pytest.fixture
def advisor(db, django_user_model):
    """A contact-centre advisor (with two-factor) who may open cases for callers;
    test modules that need a different advisor define their own."""
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.get(name="Contact centre")
    group.permissions.add(Permission.objects.get(codename="open_case_on_behalf"))
    user = django_user_model.objects.create_user(
        "advisor", "advisor@guildhall.example", "pw-advisor-123", is_staff=True
    )
    user.groups.add(group)
    with_two_factor(user)
    return user


@pytest.fixture
def advisor_client(client, advisor):
    client.force_login(advisor)
    return client


@pytest.fixture
def council(home_page):
    """A small council site with one page of every type."""
    landing = ServiceLandingPageFactory(
        parent=home_page, title="Bins and recycling", slug="bins"
    )
    service = ServicePageFactory(
        parent=landing, title="Report a missed bin", slug="missed-bin"
    )
    guide = GuidePageFactory(
        parent=landing, title="Council tax guide", slug="ctax-guide"
    )
    step_by_step = StepByStepPageFactory(
        parent=landing,
        title="Moving home",
        slug="moving-home",
        steps=[
            (
                "step",
                {
                    "title": "Tell us you are moving",
                    "logic": "",
                    "content": "<p>Do this first.</p>",
                    "links": [{"link_text": "", "page": service, "url": ""}],
                },
            ),
            (
                "step",
                {"title": "Pay your bill", "logic": "and", "content": "", "links": []},
            ),
        ],
    )
    news = NewsIndexPageFactory(parent=home_page, slug="news")
    article = NewsArticlePageFactory(parent=news, slug="new-centre")
    a_to_z = AToZPageFactory(parent=home_page)
    standard = StandardPageFactory(parent=home_page, title="About us", slug="about")
    home_page.news_index = news
    home_page.save_revision().publish()
    return {
        "home": home_page,
        "landing": landing,
        "service": service,
        "guide": guide,
        "step_by_step": step_by_step,
        "news_index": news,
        "article": article,
        "a_to_z": a_to_z,
        "standard": standard,
    }
