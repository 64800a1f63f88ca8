"""Every URL the project answers, found by walking the URLconf
(``django.urls.get_resolver()``): each pattern with sample values for its
parameters, and the match that really answers there (an earlier pattern may
answer ahead of a later one at the same address). Used by the tests that try
every address: sign-in, two-factor enforcement, redirects."""

from __future__ import annotations

from django.urls import Resolver404, get_resolver, resolve
from django.urls.resolvers import URLResolver
from django.utils.regex_helper import normalize

SAMPLE_VALUES = ["1", "x", "abc-def", "00000000-0000-0000-0000-000000000001"]


def _sample(piece) -> str | None:
    """A path fragment ``piece`` (a pattern or an include) matches in full."""
    regex = piece.pattern.regex
    for template, params in normalize(regex.pattern):
        for value in SAMPLE_VALUES:
            text = template % dict.fromkeys(params, value)
            found = regex.match(text)
            if found and found.end() == len(text):
                return text
    return None


def _walk(patterns, prefix=""):
    for piece in patterns:
        text = _sample(piece)
        if text is None:
            continue
        if isinstance(piece, URLResolver):
            yield from _walk(piece.url_patterns, prefix + text)
        else:
            yield "/" + prefix + text


def every_url() -> dict:
    """Each URL the URLconf can answer, with the match that really answers it
    (an earlier pattern may answer ahead of a later one at the same address)."""
    urls = {}
    for url in _walk(get_resolver().url_patterns):
        try:
            urls.setdefault(url, resolve(url))
        except Resolver404:
            continue
    return urls
