"""Extra service pages for load and performance tests (``manage.py generate_pages``).

Pages are written in bulk rather than one ``add_child`` at a time: the tree paths are
computed here (treebeard's materialised path: 4 base-36 characters per level), the
``wagtailcore_page`` rows go in with ``bulk_create`` and the ``services_servicepage``
rows with one ``executemany`` per batch. No signals fire, so the search index is
updated explicitly afterwards (``add_bulk``), and each area's ``numchild`` is updated
once at the end.

Generated pages are live, have no revisions (like pages loaded from a fixture; the
first edit in the admin creates one) and are marked by the slug prefix ``generated-``.
Titles, summaries and bodies come from word lists, chosen by a random generator seeded
with the page's number, so page N is the same on every run.

The paths use django-treebeard's private ``Page._get_path`` and ``Page._str2int``
(checked against django-treebeard 5.3.1): if an upgrade changes them, this command
fails; being a tool for benchmarks, it stays here rather than behind an adapter.
"""

import random
import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backend

from home.demo.loader import stream
from home.platform.cache import purge_all
from services.models import ServiceLandingPage, ServicePage

SLUG_PREFIX = "generated-"

LICENCES = [
    "street trading licence",
    "skip permit",
    "scaffolding licence",
    "pavement licence",
    "house in multiple occupation licence",
    "animal boarding licence",
    "taxi driver licence",
    "premises licence",
    "temporary event notice",
    "hoarding licence",
    "road closure order",
    "market stall pitch",
    "gambling permit",
    "caravan site licence",
    "pet shop licence",
    "dog breeding licence",
    "private hire operator licence",
    "street collection permit",
    "house-to-house collection licence",
    "scrap metal dealer licence",
    "late night refreshment licence",
    "riding establishment licence",
    "tattoo and piercing registration",
    "food business registration",
    "empty property grant",
    "home improvement loan",
    "business rates relief",
    "small business grant",
    "community grant",
    "arts project grant",
    "sports club grant",
    "youth project grant",
    "discretionary housing payment",
    "school clothing grant",
    "energy efficiency grant",
    "tree works consent",
    "allotment plot",
    "community room booking",
    "sports pitch booking",
    "burial plot",
]
PROBLEMS = [
    "fly-tipping",
    "graffiti",
    "an abandoned vehicle",
    "dog fouling",
    "a blocked drain",
    "an overgrown hedge",
    "noise nuisance",
    "a dangerous tree",
    "a broken bench",
    "a damaged road sign",
    "a faulty traffic light",
    "an untidy garden",
    "a pest problem",
    "littering",
    "a dead animal",
    "an empty home",
    "a damaged play area",
    "illegal street trading",
    "a bonfire nuisance",
    "light pollution",
    "odour nuisance",
    "an abandoned trolley",
    "a blocked gully",
    "a damaged footpath",
    "flooding",
    "a rogue trader",
    "unsafe food",
    "a damaged bus shelter",
    "needles and syringes",
    "an untaxed vehicle",
    "overhanging branches",
    "a leaking fire hydrant",
]
TOPICS = [
    "Allotment",
    "Cemetery",
    "Crematorium",
    "Air quality",
    "Food hygiene",
    "Pest control",
    "Street cleaning",
    "Tree preservation",
    "Conservation area",
    "Community centre",
    "Leisure centre",
    "Sports pitch",
    "Play area",
    "Public toilet",
    "Market",
    "Business rates",
    "Housing benefit",
    "Electoral register",
    "Polling station",
    "Licensing",
    "Noise",
    "Contaminated land",
    "Private water supply",
    "Empty homes",
    "Energy efficiency",
    "Home adaptation",
    "Youth service",
    "Adult learning",
    "Family support",
    "Carers' support",
    "Community safety",
    "CCTV",
    "Emergency planning",
    "Flood risk",
    "Recycling bank",
    "Clinical waste",
    "Trade waste",
    "Street naming",
    "Land charges",
    "Public rights of way",
]
SUFFIXES = [
    "charges",
    "policy",
    "inspections",
    "applications",
    "advice",
    "consultation",
    "grants",
    "opening times",
    "permits",
    "bookings",
    "complaints",
    "guidance",
    "strategy",
    "register",
    "fees",
    "reports",
]
PLACES = [
    "Ashdown",
    "Brookfield",
    "Castle Hill",
    "Ferrybridge",
    "Moorside",
    "Westgate",
    "Guildhall town centre",
    "Ravensmoor",
    "Millbrook",
    "Oakley Green",
    "St Anne's",
    "Northgate",
    "Southmead",
    "Eastleigh Park",
    "Kingsmead",
]
TEAMS = [
    "environmental health",
    "licensing",
    "neighbourhood services",
    "housing",
    "revenues and benefits",
    "highways",
    "community safety",
    "parks and open spaces",
    "customer services",
    "regulatory services",
]
HEADINGS = [
    "Before you start",
    "Who can use this service",
    "How to apply",
    "What happens next",
    "Charges",
    "How long it takes",
    "What you need",
    "If you are not happy with our decision",
]
SENTENCES = [
    "You can use this service if you live, work or run a business in {place}.",
    "This service is run by the council's {team} team.",
    "Most requests are dealt with within {days} working days.",
    "You will need your council tax account number or your postcode.",
    "There is no charge for this service.",
    "A fee of £{fee} applies, payable when you apply.",
    "We will email you a reference number when you submit your request.",
    "If we need more information, we will contact you within {days} working days.",
    "You can check the progress of your request online at any time.",
    "Some requests need a visit from one of our officers.",
    "We publish a summary of decisions on our website every month.",
    "If your request is urgent, call customer services on 01632 960 000.",
    "We may share the information you give us with other council teams to deal with "
    "your request.",
    "You can ask for a review of our decision within {days} days.",
    "Information is available in large print, easy read and other languages on request.",
]
REVIEW_START = date(2026, 1, 1)


@dataclass
class GeneratedPage:
    title: str
    slug: str
    summary: str
    body: list


def make_page(number: int) -> GeneratedPage:
    """Page ``number``'s content; the same number always gives the same page."""
    rng = random.Random(number)
    kind = rng.choice(("apply", "report", "topic", "topic"))
    place = rng.choice(PLACES)
    local = rng.random() < 0.6
    if kind == "apply":
        thing = rng.choice(LICENCES)
        article = "an" if thing[0] in "aeiou" else "a"
        title = f"Apply for {article} {thing}"
        summary = (
            f"How to apply for {article} {thing}, what it costs and how long it takes."
        )
    elif kind == "report":
        problem = rng.choice(PROBLEMS)
        title = f"Report {problem}"
        summary = f"Tell us about {problem} so we can investigate and put it right."
    else:
        topic, suffix = rng.choice(TOPICS), rng.choice(SUFFIXES)
        title = f"{topic} {suffix}"
        where = place if local else "the borough"
        summary = f"Information about {topic.lower()} {suffix} in {where}."
    if local:
        title = f"{title} in {place}"
    values = {
        "place": place,
        "team": rng.choice(TEAMS),
        "days": rng.choice((5, 10, 15, 20, 28)),
        "fee": rng.choice((25, 40, 65, 110, 150, 240)),
    }

    def paragraph() -> str:
        return (
            "<p>"
            + " ".join(s.format(**values) for s in rng.sample(SENTENCES, 3))
            + "</p>"
        )

    body = stream(
        [
            {"h2": rng.choice(HEADINGS)},
            {"para": paragraph()},
            {"para": paragraph()},
        ],
        f"generated page {number}",
    )
    slug = f"{SLUG_PREFIX}{number:05d}-{slugify(title)}"[:255]
    return GeneratedPage(title=title, slug=slug, summary=summary, body=body)


def generated_pages(home):
    return Page.objects.descendant_of(home).filter(slug__startswith=SLUG_PREFIX)


def council_home():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise RuntimeError("There is no default site: run load_demo first.")
    return site.root_page


def next_number(home) -> int:
    numbers = [
        int(slug.split("-")[1])
        for slug in generated_pages(home).values_list("slug", flat=True)
        if slug.split("-")[1].isdigit()
    ]
    return max(numbers, default=0) + 1


def last_child_step(parent: Page) -> int:
    path = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    return Page._str2int(path[-Page.steplen :]) if path else 0


def insert_child_rows(objs: list[ServicePage]):
    """Insert the services_servicepage rows for pages whose Page rows exist."""
    fields = ServicePage._meta.local_concrete_fields
    qn = connection.ops.quote_name
    # Table and column names come from the model (quoted); every value is a parameter.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        qn(ServicePage._meta.db_table),
        ", ".join(qn(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def generate(
    count: int, *, index: bool = True, batch_size: int = 500, log=print
) -> dict:
    """Make generated service pages up to ``count`` in total; returns timings."""
    started = time.monotonic()
    home = council_home()
    areas = list(ServiceLandingPage.objects.child_of(home).live().order_by("path"))
    if not areas:
        raise RuntimeError(
            "The council site has no service areas: run load_demo first."
        )
    existing = generated_pages(home).count()
    wanted = max(0, count - existing)
    result = {
        "existing": existing,
        "created": 0,
        "create_seconds": 0.0,
        "index_seconds": 0.0,
    }
    if not wanted:
        return result
    if not connection.features.can_return_rows_from_bulk_insert:
        raise RuntimeError("This database cannot return ids from a bulk insert.")

    first = next_number(home)
    content_type = ContentType.objects.get_for_model(ServicePage)
    owners = list(
        get_user_model()
        .objects.filter(username__in=["admin", "editor", "moderator"])
        .values_list("pk", flat=True)
    ) or [None]
    now = timezone.now()
    next_step = {area.pk: last_child_step(area) + 1 for area in areas}
    added = {area.pk: 0 for area in areas}
    page_fields = [f.attname for f in Page._meta.concrete_fields if not f.primary_key]
    created: list[ServicePage] = []

    with transaction.atomic():
        for batch_start in range(0, wanted, batch_size):
            batch = []
            for number in range(
                first + batch_start, first + min(batch_start + batch_size, wanted)
            ):
                area = areas[number % len(areas)]
                content = make_page(number)
                step = next_step[area.pk]
                next_step[area.pk] += 1
                added[area.pk] += 1
                batch.append(
                    ServicePage(
                        title=content.title,
                        draft_title=content.title,
                        slug=content.slug,
                        path=Page._get_path(area.path, area.depth + 1, step),
                        depth=area.depth + 1,
                        numchild=0,
                        url_path=f"{area.url_path}{content.slug}/",
                        content_type=content_type,
                        locale_id=area.locale_id,
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=now,
                        last_published_at=now,
                        summary=content.summary,
                        body=content.body,
                        content_owner_id=owners[number % len(owners)],
                        review_date=REVIEW_START + timedelta(days=number % 730),
                    )
                )
            rows = Page.objects.bulk_create(
                [
                    Page(**{name: getattr(obj, name) for name in page_fields})
                    for obj in batch
                ]
            )
            for obj, row in zip(batch, rows, strict=True):
                obj.pk = obj.id = obj.page_ptr_id = row.pk
            insert_child_rows(batch)
            created.extend(batch)
            log(f"  created {len(created)} of {wanted}")
        for area in areas:
            if added[area.pk]:
                Page.objects.filter(pk=area.pk).update(
                    numchild=F("numchild") + added[area.pk]
                )
    result["created"] = len(created)
    result["create_seconds"] = time.monotonic() - started

    if index:
        index_started = time.monotonic()
        backend = get_search_backend()
        for batch_start in range(0, len(created), batch_size):
            backend.add_bulk(
                ServicePage, created[batch_start : batch_start + batch_size]
            )
        result["index_seconds"] = time.monotonic() - index_started

    # Listings (service areas, the A to Z) changed: drop every cached page.
    purge_all()
    return result
