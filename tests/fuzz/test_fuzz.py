"""Fuzzing: no input, in any order, signed in or out, gets a server error.

Hypothesis generates paths for every public URL pattern (from the URLconf, with
each converter's own pattern and real values of the council below), values for
every query parameter the views read, and answers for every field of every
journey step and public or account form (read from the form classes themselves).
Each example fails on a 5xx or on an error logged by ``django.request`` or with a
traceback. The inputs tried are printed per area at the end of the run.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

import pytest
from hypothesis import given
from hypothesis import strategies as st

from home.forms import PageFeedbackForm
from myaccount import forms as account_forms
from personalisation.views import CookieSettingsForm
from search.forms import SearchForm
from services import forms as service_forms
from services.blocks.transactions import (
    STEP_FIELD,
    TRANSACTION_FIELD,
    CheckAnswersForm,
)
from tests.fuzz.conftest import FUZZ_SETTINGS

pytestmark = pytest.mark.django_db

# -- values ---------------------------------------------------------------------------

NASTY = [
    "", " ", "0", "-1", "1.5", "1e309", "1e308", "-1E+400", "NaN", "Infinity",
    "9" * 30, "9" * 5000, "\r\n", "\t", "\x00", "%00", "\x01\x7f", "..",
    "../../etc/passwd", "<script>alert(1)</script>", "' OR 1=1 --", "ÿ", "😀",
    "\u202e", "a" * 3000, "null", "[]", "{}", "true", "2026-02-30", "GH1 1AA",
    "gh12bb", "BIN-2026-000001", "http://evil.example/", "//evil.example",
    "x@example.com", "@", "00000000-0000-0000-0000-000000000000",
]  # fmt: skip
NASTY_TEXT = st.sampled_from(NASTY)
TEXT = st.one_of(
    NASTY_TEXT,
    st.text(max_size=40),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.from_regex(r"[0-9a-f-]{1,40}", fullmatch=True),
)


def choice_values(field: forms.Field) -> list[str]:
    values = []
    for value, label in getattr(field, "choices", None) or []:
        if isinstance(label, list | tuple):  # option groups
            values += [str(v) for v, _ in label]
        else:
            values.append(str(value))
    return values


def mostly(real, forged=TEXT, one_in: int = 8):
    """``real`` most of the time, ``forged`` about one time in ``one_in`` (and
    what a failing example shrinks towards is the real value)."""
    return st.integers(0, one_in - 1).flatmap(lambda n: real if n else forged)


# Answers the demo back offices know, by field name, so journeys get past their
# first steps (postcodes and UPRNs of the local address lookup, the map's area).
KNOWN = {
    "postcode": ["GH1 1AA", "gh12bb", "GH3 4DD"],
    "uprn": ["100090000001", "100090100010", "100090300020"],
    "latitude": ["51.238", "51.2", "51.45"],
    "longitude": ["-0.566", "-0.5", "-0.3"],
    "email": ["resident@example.com", "guest@example.com"],
    "reference": ["BIN-2026-000001", "STR-2026-000001"],
}


def value_for(field: forms.Field, name: str = ""):
    """Valid-looking answers most of the time, hostile ones otherwise."""
    valid = choice_values(field) + KNOWN.get(name, [])
    if isinstance(field, forms.BooleanField):
        valid += ["on", "true", "1"]
    value = mostly(st.sampled_from(valid), TEXT, one_in=3) if valid else TEXT
    if isinstance(field, forms.MultipleChoiceField) or getattr(
        field.widget, "allow_multiple_selected", False
    ):
        return st.lists(value, max_size=4)
    return value


def upload():
    return st.builds(
        lambda name, data: SimpleUploadedFile(name, data),
        st.sampled_from(["photo.jpg", "a.png", "x.pdf", "..\\..\\evil.exe", "😀"]),
        st.one_of(
            st.binary(max_size=200),
            st.just(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
            st.just(b"%PDF-1.4\n<html><script>x</script></html>"),
        ),
    )


def form_data(form_class, **kwargs):
    """A strategy for a POST to ``form_class``: every field's key (a subset of
    them, or all, plus a stray one), with generated values."""
    form = form_class(**kwargs)
    keys = {}
    for name, field in form.fields.items():
        html_name = form.add_prefix(name)
        widget = field.widget
        if isinstance(field, forms.FileField):
            keys[html_name] = st.lists(upload(), max_size=2)
        elif hasattr(widget, "parts"):  # the date input's day/month/year
            for part in widget.parts:
                keys[f"{html_name}_{part}"] = TEXT
        elif isinstance(widget, forms.MultiWidget):
            for suffix in widget.widgets_names:
                keys[html_name + suffix] = TEXT
        else:
            keys[html_name] = value_for(field, name)
    return st.fixed_dictionaries(
        {}, optional={**keys, "change": st.just("1"), "stray": TEXT}
    ) | st.fixed_dictionaries(keys)


# -- clients --------------------------------------------------------------------------


def clients(site):
    """A guest's browser and a signed-in resident's, fresh for each example."""

    def make(signed_in: bool) -> Client:
        client = Client(raise_request_exception=False)
        if signed_in:
            client.force_login(site["resident"])
        return client

    return st.booleans().map(make)


# -- URL patterns ---------------------------------------------------------------------

PRIVATE_PREFIXES = ("admin/",)


def url_patterns(resolver=None, prefix=()):
    """Every pattern as a list of parts: literal strings and (regex, name) pairs."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        parts = prefix + (entry.pattern,)
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry, parts)
        elif isinstance(entry, URLPattern):
            yield parts


def pattern_strategy(patterns, real: dict):
    """A path for one of the patterns, with each converter filled from its own
    regex, a value of the council's, or anything at all."""
    strategies = []
    for parts in patterns:
        pieces = []
        for pattern in parts:
            if isinstance(pattern, RoutePattern):
                route = str(pattern._route)
                tokens = re.split(r"<(?:(\w+):)?(\w+)>", route)
                # tokens: literal, converter, name, literal, ...
                pieces.append(st.just(tokens[0]))
                for i in range(1, len(tokens), 3):
                    converter = pattern.converters[tokens[i + 1]]
                    options = [
                        st.from_regex(converter.regex, fullmatch=True),
                        TEXT.filter(bool),
                    ]
                    if real.get(tokens[i + 1]):
                        options.append(st.sampled_from(real[tokens[i + 1]]))
                    pieces.append(st.one_of(*options).map(lambda v: quote(str(v))))
                    pieces.append(st.just(tokens[i + 2]))
            elif isinstance(pattern, RegexPattern):
                regex = pattern._regex.lstrip("^").rstrip("$").replace("\\Z", "")
                pieces.append(
                    st.one_of(
                        st.from_regex(regex, fullmatch=True),
                        st.sampled_from(real["pages"]),
                    ).map(lambda v: quote(v, safe="/"))
                )
        strategies.append(
            st.tuples(*pieces).map(lambda ps: "/" + "".join(ps).lstrip("/"))
        )
    return st.one_of(*strategies)


def real_values(site) -> dict:
    return {
        "reference": [
            site["open_case"].reference,
            site["closed_case"].reference,
            site["guest_case"].reference,
        ],
        "token": [site["invitation"].token],
        "organisation_id": [str(site["organisation"].pk)],
        "pages": [
            p.url.lstrip("/")
            for k, p in site.items()
            if hasattr(p, "url") and hasattr(p, "specific") and p.url
        ],
    }


def test_every_public_url_pattern(fuzz_site, probe):
    patterns = [
        parts
        for parts in url_patterns()
        if not str(parts[0]).startswith(PRIVATE_PREFIXES)
    ]
    assert len(patterns) > 40  # the URLconf was read, allauth's included

    @FUZZ_SETTINGS
    @given(
        client=clients(fuzz_site),
        path=pattern_strategy(patterns, real_values(fuzz_site)),
        method=st.sampled_from(["GET", "POST"]),
    )
    def run(client, path, method):
        probe.send("url patterns", client, method, path)

    run()


# -- query parameters -----------------------------------------------------------------


def query_targets(site) -> list[tuple[str, list[str]]]:
    """Each path with the query parameters its view reads."""
    journey = ["step", "change"]
    return [
        ("/", ["segment", "utm_campaign", "utm_source", "utm_medium", "page"]),
        ("/feedback/", ["page"]),
        ("/feedback/thanks/", ["page"]),
        ("/search/", ["q", "page", "section", "type"]),
        ("/search/go/", ["p", "d", "b", "q"]),
        ("/search/suggest/", ["q"]),
        (site["landing"].url, ["page"]),
        (site["news_index"].url, ["page"]),
        (site["a_to_z"].url, ["letter", "page"]),
        (site["missed_bin"].url, journey),
        (site["street"].url, journey),
        (site["form"].url, journey),
        ("/account/requests/", ["page"]),
        (f"/account/requests/{site['open_case'].reference}/", ["answered"]),
        ("/account/profile/address/", ["postcode"]),
        ("/cookies/", ["saved", "next"]),
        ("/account/login/", ["next"]),
        ("/track-a-request/", ["reference"]),
    ]


def test_every_query_parameter(fuzz_site, probe):
    targets = query_targets(fuzz_site)

    @FUZZ_SETTINGS
    @given(
        client=clients(fuzz_site),
        target=st.sampled_from(targets).flatmap(
            lambda t: st.tuples(
                st.just(t[0]),
                st.dictionaries(st.sampled_from(t[1]) | TEXT, TEXT, max_size=4),
            )
        ),
    )
    def run(client, target):
        path, params = target
        query = urlencode(params)
        probe.send("query parameters", client, "GET", f"{path}?{query}")

    run()


# -- journeys -------------------------------------------------------------------------

STEP_FORMS = {
    "missed_bin": {
        "postcode": service_forms.PostcodeForm,
        "address": service_forms.AddressChoiceForm,
        "bin": service_forms.BinTypeForm,
        "contact": service_forms.GuestContactForm,
    },
    "street_problem": {
        "category": service_forms.StreetCategoryForm,
        "location": service_forms.StreetLocationForm,
        "nearest_street": service_forms.NearestStreetForm,
        "duplicate": service_forms.DuplicateChoiceForm,
        "description": service_forms.StreetDescriptionForm,
        "contact": service_forms.GuestContactForm,
    },
}


def editor_form_steps(page) -> dict:
    block = next(b for b in page.body if b.block_type == "form_service")
    steps = {f"q-{q.id}": q.block.form_class(q.value) for q in block.value["questions"]}
    return steps | {"contact": service_forms.GuestContactForm}


def journey_posts(page, block_type: str, step_forms: dict):
    """A sequence of step POSTs in any order, each one a step name (mostly real,
    ``check`` or forged) for this block (or a forged one) with answers for that
    step's form (valid-looking or hostile)."""
    block_id = next(b.id for b in page.body if b.block_type == block_type)

    def post_for(name):
        form_class = step_forms.get(name)
        if name == "check":
            data = form_data(CheckAnswersForm)
        elif form_class is None:
            data = st.dictionaries(TEXT, TEXT, max_size=3)
        else:
            data = form_data(form_class)
        return st.tuples(st.just(name), mostly(st.just(block_id)), data)

    names = mostly(st.sampled_from([*step_forms, "check"]))
    return st.lists(names.flatmap(post_for), min_size=1, max_size=6)


def walk(probe, area, client, page, posts):
    for step, block_id, data in posts:
        response = probe.send(
            area,
            client,
            "POST",
            page.url,
            {TRANSACTION_FIELD: block_id, STEP_FIELD: step, **data},
        )
        if response.status_code in (301, 302):
            probe.send(area, client, "GET", response["Location"])
    journey_url = page.journey_url(next(page.transaction_blocks()).id)
    probe.send(area, client, "GET", journey_url + "?step=check")


@pytest.mark.parametrize("journey", ["missed_bin", "street_problem", "form_service"])
def test_every_journey_step_in_any_order(fuzz_site, probe, journey):
    page = {
        "missed_bin": fuzz_site["missed_bin"],
        "street_problem": fuzz_site["street"],
        "form_service": fuzz_site["form"],
    }[journey]
    steps = (
        editor_form_steps(page) if journey == "form_service" else STEP_FORMS[journey]
    )

    @FUZZ_SETTINGS
    @given(client=clients(fuzz_site), posts=journey_posts(page, journey, steps))
    def run(client, posts):
        walk(probe, f"journey: {journey}", client, page, posts)

    run()


# -- public and account forms ---------------------------------------------------------


def form_targets(site) -> list[tuple[str, str, object]]:
    """(path, method, strategy for the data) for every other form."""
    from myaccount.forms import InvitationForm

    allauth = {
        "/account/login/": ["login", "password", "remember"],
        "/account/signup/": ["email", "password1", "password2"],
        "/account/password/reset/": ["email"],
        "/account/email/": ["email", "action_add", "action_remove", "action_send"],
        "/account/password/change/": ["oldpassword", "password1", "password2"],
    }
    targets = [
        ("/search/", "GET", form_data(SearchForm)),
        ("/feedback/", "POST", form_data(PageFeedbackForm)),
        ("/cookies/", "POST", form_data(CookieSettingsForm)),
        ("/cookies/answer/", "POST", st.dictionaries(st.just("cookies") | TEXT, TEXT)),
        ("/track-a-request/", "POST", form_data(service_forms.TrackCaseForm)),
        (
            "/track-a-request/satisfaction/",
            "POST",
            form_data(service_forms.SatisfactionForm),
        ),
        (
            f"/account/requests/{site['closed_case'].reference}/satisfaction/",
            "POST",
            form_data(service_forms.SatisfactionForm),
        ),
        ("/account/profile/edit/", "POST", form_data(account_forms.ProfileForm)),
        (
            "/account/profile/contact/",
            "POST",
            form_data(account_forms.ContactPreferencesForm),
        ),
        ("/account/profile/address/", "GET", form_data(account_forms.PostcodeForm)),
        (
            "/account/profile/address/choose/",
            "POST",
            st.fixed_dictionaries({"uprn": TEXT, "postcode": TEXT}),
        ),
        (
            "/account/council-tax/link/",
            "POST",
            form_data(account_forms.CouncilTaxLinkForm),
        ),
        (
            "/account/organisations/new/",
            "POST",
            form_data(account_forms.OrganisationForm),
        ),
        (
            f"/account/organisations/{site['organisation'].pk}/",
            "POST",
            form_data(InvitationForm),
        ),
        (f"/account/invitations/{site['invitation'].token}/", "POST", st.just({})),
    ]
    targets += [
        (path, "POST", st.fixed_dictionaries({}, optional=dict.fromkeys(keys, TEXT)))
        for path, keys in allauth.items()
    ]
    return targets


def test_every_public_and_account_form(fuzz_site, probe):
    targets = form_targets(fuzz_site)

    @FUZZ_SETTINGS
    @given(
        client=clients(fuzz_site),
        target=st.sampled_from(targets).flatmap(
            lambda t: st.tuples(st.just(t[0]), st.just(t[1]), t[2])
        ),
    )
    def run(client, target):
        path, method, data = target
        area = "forms: account" if path.startswith("/account/") else "forms: public"
        probe.send(area, client, method, path, data)

    run()
