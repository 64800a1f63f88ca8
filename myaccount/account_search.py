"""Finding residents with an account from the staff search box.

Every word of the box must match the account: the start of a word of its first
name, last name or email address (on PostgreSQL through one full-text index over
the three, migration ``myaccount.0008_resident_name_email_words``), or a part of
its profile's address lines or town (trigram indexes, ``myaccount.0006``). A box
that is a whole postcode, UPRN, council tax account number or record reference
is looked up exactly.

A word is what the advisor typed between spaces; its parts are its runs of
letters and digits (``o'brien`` is ``o`` and ``brien``, ``n.okafor@example.org``
is ``n``, ``okafor``, ``example`` and ``org``), and a word matches a name or an
email address when each of its parts starts a word of it. Anything else typed
(``&``, ``:*``, ``!``, quotes) only separates parts and never reaches the query
as syntax. SQLite (no full-text index) finds the parts anywhere in the name or
email address instead.
"""

from __future__ import annotations

import re
from functools import reduce
from operator import and_, or_

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import CharField, F, Func, Q, Value

from frontend.formats import normalise_postcode
from myaccount.models import CouncilTaxLink, Profile
from myaccount.registry import timeline_sources

# A record reference (a case, message or payment): one word with a digit in it.
REFERENCE_LIKE = re.compile(r"\S*\d\S*")
# Letters and digits: what PostgreSQL's text parser keeps of a word once the
# index's expression has turned ``@``, ``.`` and ``/`` into spaces.
PART = re.compile(r"[^\W_]+")
# Shorter parts have no trigram to look an address up by: they only narrow what
# the longer words found (or, alone, are looked up in names and email addresses).
MIN_ADDRESS_PART = 3
ADDRESS_FIELDS = ("address_line_1", "address_line_2", "town")
# Characters the indexed expression turns into spaces, so that an email address
# (or a name such as "St.John") is words the parser splits like the box's parts.
SEPARATORS = "@./"


def _spaced(field: str) -> Func:
    return Func(
        F(field),
        Value(SEPARATORS),
        Value(" " * len(SEPARATORS)),
        function="translate",
        output_field=CharField(),
    )


def name_and_email_words():
    """The expression the full-text index of migration
    ``myaccount.0008_resident_name_email_words`` holds (a copy lives there, as a
    migration must not change when this module does; the EXPLAIN test in
    ``tests/myaccount/test_resident_search_indexes.py`` fails if the two differ).
    """
    from django.contrib.postgres.search import SearchVector

    return SearchVector(
        _spaced("first_name"), _spaced("last_name"), _spaced("email"), config="simple"
    )


def parts(word: str) -> list[str]:
    return PART.findall(word.lower())


def prefix_query(word_parts: list[str]) -> str:
    """A ``to_tsquery`` text matching words that start with each part. Parts are
    letters and digits only (no quote, backslash or operator can be in one);
    each is quoted all the same."""
    return " & ".join(f"'{part}':*" for part in word_parts)


def _full_text() -> bool:
    return connection.vendor == "postgresql"


def _accounts():
    accounts = get_user_model().objects.order_by()
    if _full_text():
        accounts = accounts.alias(name_and_email_words=name_and_email_words())
    return accounts


def _named(word_parts: list[str]) -> Q:
    """Accounts (from ``_accounts()``) whose name or email address has a word
    starting with each part (SQLite: holding each part)."""
    if _full_text():
        from django.contrib.postgres.search import SearchQuery

        return Q(
            name_and_email_words=SearchQuery(
                prefix_query(word_parts), config="simple", search_type="raw"
            )
        )
    return reduce(
        and_,
        (
            Q(first_name__icontains=part)
            | Q(last_name__icontains=part)
            | Q(email__icontains=part)
            for part in word_parts
        ),
    )


def _address_holds(word_parts: list[str], prefix: str = "") -> Q:
    return reduce(
        and_,
        (
            reduce(
                or_,
                (
                    Q(**{f"{prefix}{field}__icontains": part})
                    for field in ADDRESS_FIELDS
                ),
            )
            for part in word_parts
        ),
    )


def _accounts_with_word(word_parts: list[str]):
    """Ids of the accounts a word finds: one query per table, each answered by
    that table's index on PostgreSQL (a condition spanning both tables is not).
    The address is looked up by the word's parts long enough to have trigrams."""
    by_account = _accounts().filter(_named(word_parts)).values("pk")
    long_parts = [part for part in word_parts if len(part) >= MIN_ADDRESS_PART]
    by_address = (
        Profile.objects.filter(_address_holds(long_parts)).values("user_id").order_by()
    )
    # No ordering inside a compound query (SQLite refuses it, models order by
    # default).
    return by_account.union(by_address)


def _matching_words(query: str):
    """Ids of the accounts every word of ``query`` finds, or None when the box
    has no letters or digits."""
    words = [p for p in (parts(word) for word in query.split()) if p]
    long_words = [p for p in words if max(map(len, p)) >= MIN_ADDRESS_PART]
    short_words = [p for p in words if p not in long_words]
    if not long_words:
        if not short_words:
            return None
        # Only short words ("Mo", "Li"): names and email addresses, one lookup.
        return _accounts().filter(_named(sum(short_words, []))).values("pk")
    ids = None
    for word_parts in long_words:
        matching = _accounts_with_word(word_parts)
        ids = matching if ids is None else ids.intersection(matching)
    if short_words:
        # Narrow what the longer words found, row by row ("12 Orchard Close",
        # "Mo Garhurst"): a short part alone would read a whole trigram index.
        ids = (
            _accounts()
            .filter(pk__in=ids)
            .filter(
                *(
                    _named(word_parts)
                    | _address_holds(word_parts, prefix="resident_profile__")
                    for word_parts in short_words
                )
            )
            .values("pk")
        )
    return ids


def search_residents(queryset, query: str):
    """Residents of ``queryset`` matching every word of ``query`` in a name,
    email address or address, or matching it whole as a postcode, UPRN, council
    tax account or record reference.

    The matching ids are one compound subquery (``INTERSECT`` over the words,
    ``UNION`` with the exact matches) in which every part reads one index, so the
    list and its count cost the same with 50,000 accounts as with 50."""
    query = query.strip()
    if not query:
        return queryset.none()
    ordered = ("last_name", "first_name", "pk")
    if postcode := normalise_postcode(query):
        # A whole postcode is looked up as one: its halves as words would match
        # every address in the district (and cost a scan of each part's index).
        return (
            queryset.filter(resident_profile__postcode=postcode)
            .select_related("resident_profile")
            .order_by(*ordered)
        )
    exact = [
        Profile.objects.filter(uprn=query).values("user_id").order_by(),
        CouncilTaxLink.objects.filter(account_number=query)
        .values("user_id")
        .order_by(),
    ]
    if REFERENCE_LIKE.fullmatch(query):
        for source in timeline_sources():
            finder = getattr(source, "residents_with_reference", None)
            if finder is not None:
                exact.append(finder(query).order_by())
    words = _matching_words(query)
    ids = exact[0].union(*exact[1:]) if words is None else words.union(*exact)
    return (
        queryset.filter(pk__in=ids)
        .select_related("resident_profile")
        .order_by(*ordered)
    )
