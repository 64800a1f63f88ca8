"""Editors create, submit and publish every page type through the Wagtail admin."""

from django.urls import reverse

from wagtail.models import Page, Workflow
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

import pytest

from home.models import HomePage, StandardPage
from services.models import (
    AToZPage,
    GuidePage,
    NewsArticlePage,
    NewsIndexPage,
    ServiceLandingPage,
    ServicePage,
    StepByStepPage,
)


def add_url(model, parent):
    return reverse(
        "wagtailadmin_pages:add",
        args=[model._meta.app_label, model._meta.model_name, parent.pk],
    )


def page_form(title: str, **fields) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": title.lower().replace(" ", "-"),
            "comments": inline_formset([]),
            **fields,
        }
    )


PARAGRAPH = streamfield([("paragraph", rich_text("<p>Bins are collected weekly.</p>"))])


def cases(council):
    return [
        (StandardPage, council["home"], page_form("Contact us", body=PARAGRAPH)),
        (
            ServiceLandingPage,
            council["home"],
            page_form(
                "Council tax",
                intro="Pay and manage it",
                top_tasks=streamfield([]),
                body=streamfield([]),
            ),
        ),
        (
            ServicePage,
            council["landing"],
            page_form(
                "Order a new bin",
                body=PARAGRAPH,
                start=streamfield([]),
                start_button_text="Start now",
                related_links=streamfield([]),
            ),
        ),
        (
            GuidePage,
            council["landing"],
            page_form(
                "Recycling guide",
                parts=inline_formset([{"title": "What goes where", "body": PARAGRAPH}]),
            ),
        ),
        (
            StepByStepPage,
            council["landing"],
            page_form(
                "Moving house",
                intro="Steps",
                steps=streamfield(
                    [
                        (
                            "step",
                            {
                                "title": "Tell the council",
                                "logic": "",
                                "content": rich_text("<p>First</p>"),
                                "links": streamfield([]),
                            },
                        )
                    ]
                ),
            ),
        ),
        (NewsIndexPage, council["home"], page_form("Press releases", intro="")),
        (
            NewsArticlePage,
            council["news_index"],
            page_form(
                "New library opens",
                date="2026-11-01",
                image_alt_text="",
                body=PARAGRAPH,
            ),
        ),
    ]


@pytest.mark.django_db
def test_every_page_type_can_be_created_and_published_in_the_admin(
    client, council, moderator
):
    client.force_login(moderator)
    for model, parent, data in cases(council):
        data["action-publish"] = "action-publish"
        response = client.post(add_url(model, parent), data)
        assert response.status_code == 302, (model, response.content.decode()[:3000])
        page = model.objects.get(title=data["title"])
        assert page.live, model
        assert client.get(page.url).status_code == 200


@pytest.mark.django_db
def test_home_and_a_to_z_pages_can_be_created_in_the_admin(admin_client, council):
    root = Page.get_first_root_node()
    data = page_form(
        "Leisure site", intro="", top_tasks=streamfield([]), body=streamfield([])
    )
    data["action-publish"] = "action-publish"
    assert admin_client.post(add_url(HomePage, root), data).status_code == 302
    leisure = HomePage.objects.get(title="Leisure site")
    a_to_z = page_form("A to Z")
    a_to_z["action-publish"] = "action-publish"
    assert admin_client.post(add_url(AToZPage, leisure), a_to_z).status_code == 302
    assert AToZPage.objects.filter(title="A to Z", live=True).exists()


@pytest.mark.django_db
def test_an_editors_submission_is_not_live_until_a_moderator_approves(
    client, council, editor, moderator
):
    workflow = Workflow.objects.get(name="Moderators approval")
    workflow.workflow_pages.get_or_create(page=Page.get_first_root_node())
    client.force_login(editor)
    data = page_form(
        "Garden waste",
        body=PARAGRAPH,
        start=streamfield([]),
        start_button_text="Start now",
        related_links=streamfield([]),
    )
    data["action-submit"] = "action-submit"
    response = client.post(add_url(ServicePage, council["landing"]), data)
    assert response.status_code == 302
    page = ServicePage.objects.get(title="Garden waste")
    assert not page.live
    assert page.current_workflow_state.status == "in_progress"
    # Editors cannot publish by themselves.
    publish = dict(data, **{"action-publish": "action-publish"})
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), publish)
    page.refresh_from_db()
    assert not page.live
    assert client.get("/bins/garden-waste/").status_code == 404

    client.force_login(moderator)
    task_state = page.current_workflow_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
    )
    response = client.post(approve, {"comment": "Looks good"})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    client.logout()
    assert client.get("/bins/garden-waste/").status_code == 200


@pytest.mark.django_db
def test_pages_due_for_review_are_reported(admin_client, council):
    import datetime

    service = council["service"]
    service.review_date = datetime.date(2020, 1, 1)
    service.save_revision().publish()
    standard = council["standard"]
    standard.review_date = datetime.date(2099, 1, 1)
    standard.save_revision().publish()
    html = admin_client.get("/admin/reports/review-due/").content.decode()
    assert "Report a missed bin" in html
    assert "About us" not in html


@pytest.mark.django_db
def test_scheduled_page_goes_live_when_its_time_comes(client, council, time_machine):
    import datetime

    from django.utils import timezone

    from home.tasks import publish_scheduled

    service = council["service"]
    service.title = "Report a missed bin (new rules)"
    revision = service.save_revision()
    revision.approved_go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision.save()
    publish_scheduled()
    assert "new rules" not in client.get(service.url).content.decode()
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=2))
    publish_scheduled()
    assert "new rules" in client.get(service.url).content.decode()


@pytest.mark.django_db
def test_an_editor_previews_unpublished_changes(client, council, editor):
    client.force_login(editor)
    service = council["service"]
    data = page_form(
        "Report a missed bin (draft)",
        slug="missed-bin",
        body=streamfield([("paragraph", rich_text("<p>Preview only text</p>"))]),
        start=streamfield([]),
        start_button_text="Start now",
        related_links=streamfield([]),
    )
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[service.pk])
    assert client.post(url, data).json()["is_valid"] is True
    preview = client.get(url)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Preview only text" in html
    assert "private" in preview.get("Cache-Control", "private")
    client.logout()
    assert "Preview only text" not in client.get(service.url).content.decode()
