"""Staff read a case's answers as questions and answers, and export a service's
cases to CSV."""

import csv
import io

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from services import actions
from services.case_answers import question_rows
from services.models import Case, CaseAttachment
from tests.myaccount.factories import with_two_factor

pytestmark = pytest.mark.django_db


def open_bin_case(service, resident, **answers):
    return actions.open_case(
        service=service,
        answers=answers
        or {
            "address": "1 Market Street",
            "uprn": "100012345678",
            "bin_type": "recycling",
            "bin_type_label": "Recycling (blue bin)",
        },
        resident=resident,
        postcode="GH1 1AA",
    )


def test_journey_keys_read_as_the_questions_residents_were_asked():
    rows = question_rows(
        {
            "bin_type": "recycling",
            "bin_type_label": "Recycling (blue bin)",
            "items": [{"name": "Sofa", "quantity": 2}],
            "concession": False,
            "total_pence": 2350,
            "What is your message about?": "Bins",
            "photos": ["a.jpg"],
        }
    )
    assert rows == [
        ("Which bin was not collected?", "Recycling (blue bin)"),
        ("What needs collecting?", "2 × Sofa"),
        ("Concession (reduced price)", "No"),
        ("Price", "£23.50"),
        ("What is your message about?", "Bins"),
    ]


def test_case_page_shows_questions_and_files_as_thumbnails_and_links(
    client, bin_service, waste_officer, resident
):
    case = actions.open_case(
        service=bin_service,
        answers={
            "Which bin is damaged?": "Blue",
            "Upload a photo of the damage": "bin.jpg",
            "Upload the letter": "letter.pdf",
        },
        resident=resident,
    )
    photo = CaseAttachment.objects.create(
        case=case,
        question="Upload a photo of the damage",
        original_name="bin.jpg",
        file="x.jpg",
        content_type="image/jpeg",
        size=1000,
    )
    letter = CaseAttachment.objects.create(
        case=case,
        question="Upload the letter",
        original_name="letter.pdf",
        file="y.pdf",
        content_type="application/pdf",
        size=2048,
    )
    client.force_login(waste_officer)
    html = client.get(reverse("services_cases:detail", args=[case.pk])).content.decode()
    photo_url = reverse("services_cases:attachment", args=[case.pk, photo.pk])
    letter_url = reverse("services_cases:attachment", args=[case.pk, letter.pk])
    assert "<dt>Which bin is damaged?</dt>" in html
    assert f'<img src="{photo_url}" alt="Upload a photo of the damage: bin.jpg"' in html
    assert f'<a href="{letter_url}">letter.pdf</a> (2.0\xa0KB)' in html


def test_missed_bin_case_page_shows_the_bin_in_words_not_its_key(
    client, bin_service, waste_officer, resident
):
    case = open_bin_case(bin_service, resident)
    client.force_login(waste_officer)
    html = client.get(reverse("services_cases:detail", args=[case.pk])).content.decode()
    assert "<dt>Which bin was not collected?</dt>" in html
    assert "Recycling (blue bin)" in html
    assert "bin_type" not in html


def export(client, service):
    response = client.get(reverse("services_cases:export", args=[service.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_team_exports_its_services_cases_with_one_column_per_question(
    client, bin_service, waste_officer, resident
):
    first = open_bin_case(bin_service, resident)
    second = open_bin_case(
        bin_service, resident, **{"Anything else?": '=HYPERLINK("http://x")'}
    )
    client.force_login(waste_officer)
    rows = export(client, bin_service)
    header = rows[0]
    assert header[:3] == ["Reference", "Service", "Status"]
    assert {"Which bin was not collected?", "Address", "Anything else?"} <= set(header)
    by_ref = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_ref[first.reference]["Which bin was not collected?"] == (
        "Recycling (blue bin)"
    )
    assert by_ref[first.reference]["Resident"] == "resident <resident@example.com>"
    # A formula in an answer is written as text, never run by a spreadsheet.
    assert by_ref[second.reference]["Anything else?"] == '\'=HYPERLINK("http://x")'


def test_other_teams_and_partners_cannot_export(
    client, bin_service, street_service, highways_officer, contractor, django_user_model
):
    partner = django_user_model.objects.create_user("partner", "p@example.com", "pw")
    partner.groups.add(contractor, Group.objects.get(name="Editors"))
    with_two_factor(partner)
    street_url = reverse("services_cases:export", args=[street_service.pk])
    client.force_login(highways_officer)
    denied = client.get(reverse("services_cases:export", args=[bin_service.pk]))
    assert (denied.status_code, denied.url) == (302, "/admin/")
    assert client.get(street_url).status_code == 200
    # A partner sees only part of the cases routed to it: no export at all.
    client.force_login(partner)
    denied = client.get(street_url)
    assert (denied.status_code, denied.url) == (302, "/admin/")


def test_export_costs_the_same_queries_for_ten_times_the_cases(
    client, bin_service, waste_officer, resident
):
    def bulk(n):
        Case.objects.bulk_create(
            [
                Case(
                    reference=f"BIN-X{Case.objects.count() + i}",
                    service=bin_service,
                    case_type="Missed bin",
                    team=bin_service.team,
                    resident=resident,
                    assignee=waste_officer if i % 2 else None,
                    answers={"bin_type": "general", f"Question {i % 7}": "yes"},
                )
                for i in range(n)
            ]
        )

    client.force_login(waste_officer)
    bulk(20)
    export(client, bin_service)  # warm per-session caches
    with CaptureQueriesContext(connection) as at_20:
        assert len(export(client, bin_service)) == 21
    bulk(180)
    with CaptureQueriesContext(connection) as at_200:
        assert len(export(client, bin_service)) == 201
    assert len(at_20) == len(at_200)
