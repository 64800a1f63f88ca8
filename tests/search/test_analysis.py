"""How the resident's words become the backend's query."""

import pytest

from search.analysis import (
    apply_synonyms,
    clean_query,
    correct_spelling,
    prepare,
    words,
)
from search.models import Synonym


def test_control_characters_and_length_are_cleaned():
    assert clean_query("  bins\x00\x1f\x7f  day ") == "bins day"
    assert len(clean_query("x" * 10_000)) == 200


def test_backend_syntax_becomes_plain_words():
    assert words('title:(bins AND "tax"~2)^3') == [
        "title",
        "bins",
        "and",
        "tax",
        "2",
        "3",
    ]
    assert words("you're moving") == ["you're", "moving"]


def test_synonym_terms_are_replaced_longest_first():
    synonyms = [(("pot", "hole"), "pothole"), (("pot",), "plant pot")]
    assert apply_synonyms(["report", "pot", "hole"], synonyms) == "report pothole"
    assert apply_synonyms(["bins"], synonyms) is None


def test_unknown_words_are_corrected_to_the_nearest_known_word():
    vocabulary = {"council", "tax", "library", "missed", "bin"}
    assert correct_spelling(["councl", "tax"], vocabulary) == "council tax"
    assert correct_spelling(["libary"], vocabulary) == "library"
    assert correct_spelling(["tax"], vocabulary) is None
    assert correct_spelling(["zzzzzz"], vocabulary) is None


@pytest.mark.django_db
def test_prepare_searches_the_words_their_synonyms_and_corrections(council):
    Synonym.objects.create(terms="ctax, c tax", means="council tax")
    prepared = prepare("C tax")
    assert prepared.alternatives[:2] == ("c tax", "council tax")
    assert prepare("mised bin").corrected == "missed bin"
    assert prepare("!!!").is_empty
