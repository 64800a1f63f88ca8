"""Hand-counted cases for the report tests (see the table in ``reported_cases``)."""

import datetime

from django.utils import timezone

import pytest

from personalisation.models import Ward
from services.enums import CaseStatus, Channel
from services.models import Case, CaseSatisfaction

D1 = datetime.date(2026, 11, 2)  # a Monday
D2 = D1 + datetime.timedelta(days=1)
D3 = D1 + datetime.timedelta(days=2)


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def make_case(reference, service, *, created, closed=None, due=None, **extra):
    return Case.objects.create(
        reference=reference,
        service=service,
        team=service.team,
        case_type=service.case_type,
        created_at=created,
        closed_at=closed,
        status=CaseStatus.CLOSED if closed else CaseStatus.SUBMITTED,
        due_date=due,
        **extra,
    )


def satisfied(case, answer, day):
    CaseSatisfaction.objects.create(case=case, answer=answer, created_at=at(day, 20))


@pytest.fixture
def ward(db):
    return Ward.objects.create(name="Abbey")


@pytest.fixture
def reported_cases(bin_service, street_service, ward):
    return make_reported_cases(bin_service, street_service, ward)


def make_reported_cases(bin_service, street_service, ward):
    """
    | case | service | channel | opened     | closed     | due   | days | SLA  | satisfied |
    | A    | bin     | web     | D1 10:00   | D2 12:00   | D3    | 1    | met  | yes (D2)  |
    | B    | bin     | phone   | D1 11:00   | open       | D1    |      |      |           |
    | C    | bin     | web     | D1 12:00   | D3 09:00   | D2    | 2    | late | no (D3)   |
    | D    | street  | f2f     | D2 09:00   | D2 18:00   | D2+10 | 0    | met  |           |
    | E    | bin     | web     | D1-8 09:00 | D2 10:00   | none  | 9    |      |           |

    A and B are at the same property (UPRN 1001): B is a repeat report. D is in
    the ward Abbey. Open at the end of D1: A, B, C, E; of D2: B, C (B overdue);
    of D3: B (overdue).
    """
    a = make_case(
        "BIN-A",
        bin_service,
        created=at(D1, 10),
        closed=at(D2, 12),
        due=D3,
        channel=Channel.WEB,
        uprn="1001",
    )
    b = make_case(
        "BIN-B",
        bin_service,
        created=at(D1, 11),
        due=D1,
        channel=Channel.PHONE,
        uprn="1001",
    )
    c = make_case(
        "BIN-C",
        bin_service,
        created=at(D1, 12),
        closed=at(D3, 9),
        due=D2,
        channel=Channel.WEB,
        uprn="1002",
    )
    d = make_case(
        "STR-D",
        street_service,
        created=at(D2, 9),
        closed=at(D2, 18),
        due=D2 + datetime.timedelta(days=10),
        channel=Channel.FACE_TO_FACE,
        ward=ward,
    )
    e = make_case(
        "BIN-E",
        bin_service,
        created=at(D1 - datetime.timedelta(days=8), 9),
        closed=at(D2, 10),
        channel=Channel.WEB,
    )
    satisfied(a, "yes", D2)
    satisfied(c, "no", D3)
    return {"A": a, "B": b, "C": c, "D": d, "E": e}
