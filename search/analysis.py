"""How a resident's words become the queries sent to the backend.

Three steps, the same for every backend:

1. ``clean_query``: printable characters only, whitespace folded, bounded length.
   Backend syntax (quotes, brackets, ``AND``, ``field:value``, ``^``, ``~``) is not
   interpreted: every backend receives plain words.
2. Synonyms: a query containing an editor's synonym term ("tip") is also searched
   with the term replaced by what it means ("household waste recycling centre").
   Synonyms are read from the database once per page-cache generation and whenever
   one is saved, so an edit takes effect on the next search.
3. Spelling: a word that appears in no page title (or synonym) is replaced by the
   closest one that does ("councl" → "council"), as an extra alternative. The
   vocabulary is built once per publish.

The result, ``PreparedQuery``, carries the alternatives; a backend matches any of
them and ranks by relevance.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.core.cache import cache

from home.platform.cache import generation_cached

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
SYNONYMS_VERSION_KEY = "search:synonyms:version"
STOP_WORDS = frozenset(
    """a an and are as at be by can do for from get how i if in is it me my need of
    on or our the their there to us we what when where which who why will with you
    your""".split()
)
MIN_CORRECTABLE = 4
SPELLING_CUTOFF = 0.78


def clean_query(raw: str) -> str:
    """The query as searched: printable characters only, whitespace folded, bounded."""
    printable = "".join(
        ch if ch.isprintable() else " " for ch in raw[: MAX_QUERY_LENGTH * 4]
    )
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def words(text: str) -> list[str]:
    """Lower-case words (letters and digits; apostrophes inside a word kept)."""
    return [w.replace("’", "'") for w in WORD.findall(text.lower())][:MAX_WORDS]


def plain_text(text: str) -> str:
    """The query's words only: what every backend is given to search for."""
    return " ".join(words(text))


@dataclass(frozen=True)
class PreparedQuery:
    text: str  # as the resident typed it (cleaned)
    plain: str  # words only
    alternatives: tuple[str, ...] = field(default=())  # plain, then rewrites
    corrected: str = ""  # the spelling-corrected query, when one was made

    @property
    def is_empty(self) -> bool:
        return not self.plain


def synonyms_version() -> int:
    return cache.get(SYNONYMS_VERSION_KEY, 0)


def bump_synonyms_version() -> None:
    if not cache.add(SYNONYMS_VERSION_KEY, 1, timeout=None):
        try:
            cache.incr(SYNONYMS_VERSION_KEY)
        except ValueError:
            cache.set(SYNONYMS_VERSION_KEY, 1, timeout=None)


def load_synonyms() -> list[tuple[tuple[str, ...], str]]:
    """(term words, meaning) pairs, longest terms first, as plain data."""
    from search.models import Synonym

    def build():
        pairs = []
        for synonym in Synonym.objects.all():
            meaning = plain_text(synonym.means)
            for term in synonym.term_list:
                term_words = tuple(words(term))
                if term_words and meaning:
                    pairs.append((term_words, meaning))
        pairs.sort(key=lambda pair: -len(pair[0]))
        return pairs

    return generation_cached(f"search:synonyms:{synonyms_version()}", build)


def synonym_meanings(query_words: list[str], synonyms) -> list[str]:
    """The meanings of the synonym terms found in the query, in order."""
    return _rewrite(query_words, synonyms)[1]


def apply_synonyms(query_words: list[str], synonyms) -> str | None:
    """The query with every synonym term replaced by its meaning, or None."""
    out, meanings = _rewrite(query_words, synonyms)
    return " ".join(out) if meanings else None


def _rewrite(query_words, synonyms) -> tuple[list[str], list[str]]:
    out, meanings, i = [], [], 0
    while i < len(query_words):
        for term, meaning in synonyms:
            if tuple(query_words[i : i + len(term)]) == term:
                out.append(meaning)
                meanings.append(meaning)
                i += len(term)
                break
        else:
            out.append(query_words[i])
            i += 1
    return out, meanings


def load_vocabulary() -> frozenset[str]:
    """Every word of every live page title, plus synonym terms and meanings."""
    from wagtail.models import Page

    def build():
        vocabulary = set()
        for title in Page.objects.live().values_list("title", flat=True).iterator():
            vocabulary.update(words(title))
        return sorted(vocabulary)

    vocabulary = set(generation_cached("search:vocabulary", build))
    for term, meaning in load_synonyms():
        vocabulary.update(term)
        vocabulary.update(meaning.split())
    return frozenset(vocabulary)


def correct_spelling(query_words: list[str], vocabulary) -> str | None:
    """The query with unknown words replaced by the closest known word, or None."""
    if not vocabulary:
        return None
    out, changed = [], False
    candidates = None
    for word in query_words:
        if (
            len(word) >= MIN_CORRECTABLE
            and word not in vocabulary
            and word not in STOP_WORDS
            and not word.isdigit()
        ):
            if candidates is None:
                candidates = list(vocabulary)
            match = difflib.get_close_matches(
                word, candidates, n=1, cutoff=SPELLING_CUTOFF
            )
            if match:
                out.append(match[0])
                changed = True
                continue
        out.append(word)
    return " ".join(out) if changed else None


def prepare(text: str, *, spelling: bool = True) -> PreparedQuery:
    """Clean the query and work out the alternatives to search for."""
    text = clean_query(text)
    query_words = words(text)
    plain = " ".join(query_words)
    if not plain:
        return PreparedQuery(text=text, plain="")
    alternatives = [plain]
    synonyms = load_synonyms()
    rewritten = apply_synonyms(query_words, synonyms)
    if rewritten:
        alternatives.append(rewritten)
        # A synonym is a strong signal of what the resident is after ("get rid of
        # a sofa" is about bulky waste): its meaning alone is searched too.
        alternatives.extend(synonym_meanings(query_words, synonyms))
    corrected = ""
    if spelling:
        fixed = correct_spelling(query_words, load_vocabulary())
        if fixed:
            corrected = fixed
            alternatives.append(fixed)
            fixed_rewritten = apply_synonyms(fixed.split(), synonyms)
            if fixed_rewritten:
                alternatives.append(fixed_rewritten)
    # Keep order, drop duplicates.
    unique = tuple(dict.fromkeys(alternatives))
    return PreparedQuery(
        text=text, plain=plain, alternatives=unique, corrected=corrected
    )
