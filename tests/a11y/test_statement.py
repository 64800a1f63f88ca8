"""Accessibility statements (linked from every page, listing the latest audit's known
issues, reviewed yearly) and the admin's Reports → Accessibility."""

import datetime

from django.urls import reverse
from django.utils import timezone

from wagtail.models import Site

import pytest

from home.a11y.audit import Audit
from home.models import AccessibilityAuditRun
from tests.factories.home import AccessibilityStatementPageFactory
from tests.myaccount.factories import with_two_factor


def a_run(
    violations: int, site="Council", page_id=None, **extra
) -> AccessibilityAuditRun:
    now = timezone.now()
    by_rule = []
    pages = []
    if violations:
        page = {
            "site": site,
            "name": "Bulky waste collection",
            "url": "http://testserver/bins/bulky/",
            "owner": "Sam Editor",
            "edit_url": f"/admin/pages/{page_id or 1}/edit/",
            "nodes": [{"selector": "table", "html": "<table>"}],
            "help": "The page scrolls sideways by 19px at 320 CSS pixels wide",
        }
        by_rule = [
            {
                "rule": "reflow",
                "source": "script",
                "help": "The page scrolls sideways by 19px at 320 CSS pixels wide",
                "help_url": "",
                "impact": "serious",
                "criteria": ["1.4.10"],
                "pages": [page],
            }
        ]
        pages = [
            {
                **{k: page[k] for k in ("site", "name", "url", "owner", "edit_url")},
                "kind": "page",
                "title": "Bulky waste collection",
                "page_id": page_id,
                "violations": [{"rule": "reflow", "criteria": ["1.4.10"]}],
            }
        ]
    return AccessibilityAuditRun.objects.create(
        started_at=now - datetime.timedelta(minutes=3),
        finished_at=now,
        pages_checked=80,
        states_checked=12,
        violation_count=violations,
        report={"by_rule": by_rule, "pages": pages},
        **extra,
    )


@pytest.mark.django_db
def test_every_page_links_to_the_sites_accessibility_statement(client, council):
    statement = AccessibilityStatementPageFactory(parent=council["home"])
    html = client.get(council["service"].url).content.decode()
    assert (
        f'<a class="govuk-footer__link" href="{statement.url}">Accessibility statement</a>'
        in html
    )


@pytest.mark.django_db
def test_the_statement_lists_the_latest_audits_known_issues(client, council):
    Site.objects.filter(is_default_site=True).update(site_name="Council")
    statement = AccessibilityStatementPageFactory(parent=council["home"])
    a_run(0)
    a_run(1, site="Council")
    html = client.get(statement.url).content.decode()
    assert "Issues found by our automated accessibility checks" in html
    assert "covered 80 pages and 12 form steps" in html
    assert (
        "The page scrolls sideways by 19px at 320 CSS pixels wide "
        "(WCAG 2.2 success criterion 1.4.10): 1 page" in html
    )


@pytest.mark.django_db
def test_a_new_audit_run_updates_the_statement_at_once(client, council):
    Site.objects.filter(is_default_site=True).update(site_name="Council")
    statement = AccessibilityStatementPageFactory(parent=council["home"])
    a_run(1)
    assert "scrolls sideways" in client.get(statement.url).content.decode()
    a_run(0)
    html = client.get(statement.url).content.decode()
    assert "It found no problems." in html
    assert "scrolls sideways" not in html


@pytest.mark.django_db
def test_the_audit_fails_a_missing_or_stale_statement(council, tmp_path):
    site = Site.objects.get(is_default_site=True)
    audit = Audit(sites=[site], url_for=lambda s, p: p, output=tmp_path)
    audit.check_statement(site)
    assert [p["rule"] for p in audit.site_problems] == ["accessibility-statement"]

    statement = AccessibilityStatementPageFactory(
        parent=council["home"],
        last_reviewed=timezone.localdate() - datetime.timedelta(days=400),
    )
    audit.site_problems = []
    audit.check_statement(site)
    assert [p["rule"] for p in audit.site_problems] == [
        "accessibility-statement-review"
    ]
    assert audit.report()["violation_count"] == 1

    statement.last_reviewed = timezone.localdate() - datetime.timedelta(days=200)
    statement.save_revision().publish()
    audit.site_problems = []
    audit.check_statement(site)
    assert audit.site_problems == []


@pytest.mark.django_db
def test_editors_see_the_latest_run_the_trend_and_links_to_fix_pages(
    client, editor, council
):
    service = council["service"]
    a_run(3)
    a_run(1, page_id=service.pk)
    client.force_login(editor)
    response = client.get(reverse("accessibility_report"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Latest run: 1 violation" in html
    assert "Bulky waste collection" in html
    assert f'href="/admin/pages/{service.pk}/edit/"' in html
    assert "Sam Editor" in html
    # The trend lists both runs, newest first.
    assert html.index("<td>1</td>") < html.rindex("<td>3</td>")
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("accessibility_report") in menu


@pytest.mark.django_db
def test_people_without_permission_cannot_see_audit_results(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("clerk", "clerk@example.com", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    with_two_factor(user)
    client.force_login(user)
    response = client.get(reverse("accessibility_report"))
    assert response.status_code in (302, 403)


@pytest.mark.django_db
def test_wagtails_own_accessibility_checker_stays_on_for_editors(
    client, editor, council
):
    client.force_login(editor)
    html = client.get(council["service"].url).content.decode()
    # The userbar's content checker runs axe on the page for the editor.
    assert 'id="checker-trigger"' in html
    assert 'id="checker-axe-configuration"' in html
