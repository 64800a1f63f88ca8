"""The Elasticsearch index, defined with elasticsearch-dsl.

One index holds pages and documents. Text fields are analysed in English (lower
case, ASCII folding, stop words, stemming, so "bins" finds "bin"); the
search analyser adds a synonym filter built from the editors' synonyms when the index
is built; ``title.autocomplete`` is an edge n-gram field for the header box's
suggestions; ``kind``, ``section`` and ``path`` are keywords for the facets and the
site and section filters.

The index behind the alias (``ELASTICSEARCH_INDEX``) is versioned: a full rebuild
creates a new index, fills it and moves the alias in one atomic request (see
``search.indexing.rebuild``).
"""

from elasticsearch.dsl import (
    Document,
    Index,
    Integer,
    Keyword,
    Text,
    analyzer,
    token_filter,
)

INDEX_ANALYZER = "council_english"
SEARCH_ANALYZER = "council_english_search"
AUTOCOMPLETE_ANALYZER = "council_autocomplete"
AUTOCOMPLETE_SEARCH_ANALYZER = "council_autocomplete_search"

stop = token_filter("council_stop", "stop", stopwords="_english_")
stemmer = token_filter("council_stemmer", "stemmer", language="english")
edge_ngram = token_filter("council_edge_ngram", "edge_ngram", min_gram=2, max_gram=20)


def synonym_rules(pairs) -> list[str]:
    """Solr-format rules from (term words, meaning) pairs; each term keeps its own
    meaning as well ("tip => tip, household waste recycling centre")."""
    rules = []
    for term_words, meaning in pairs:
        term = " ".join(term_words)
        rules.append(f"{term} => {term}, {meaning}")
    return rules


def analyzers(synonyms: list[str]):
    """The four analysers, the search one carrying the synonyms."""
    base = ["lowercase", "asciifolding"]
    search_filters = list(base)
    if synonyms:
        search_filters.append(
            token_filter(
                "council_synonyms",
                "synonym_graph",
                synonyms=synonyms,
                lenient=True,
            )
        )
    return [
        analyzer(INDEX_ANALYZER, tokenizer="standard", filter=[*base, stop, stemmer]),
        analyzer(
            SEARCH_ANALYZER,
            tokenizer="standard",
            filter=[*search_filters, stop, stemmer],
        ),
        analyzer(
            AUTOCOMPLETE_ANALYZER,
            tokenizer="standard",
            filter=["lowercase", "asciifolding", edge_ngram],
        ),
        analyzer(
            AUTOCOMPLETE_SEARCH_ANALYZER,
            tokenizer="standard",
            filter=["lowercase", "asciifolding"],
        ),
    ]


def english_text(**kwargs) -> Text:
    return Text(analyzer=INDEX_ANALYZER, search_analyzer=SEARCH_ANALYZER, **kwargs)


class SearchDocument(Document):
    """A page or a document, as search sees it. The id is ``page-<pk>`` or
    ``document-<pk>``."""

    title = english_text(
        fields={
            "autocomplete": Text(
                analyzer=AUTOCOMPLETE_ANALYZER,
                search_analyzer=AUTOCOMPLETE_SEARCH_ANALYZER,
            ),
            "exact": Keyword(normalizer="lowercase"),
        }
    )
    summary = english_text()
    body = english_text()
    kind = Keyword()
    section = Keyword()
    section_title = Keyword(index=False)
    path = Keyword()
    url = Keyword(index=False)
    page_id = Integer()
    document_id = Integer()

    class Index:
        # The alias; the real index names come from ``versioned_index``.
        name = "guildhall-pages"
        settings = {"number_of_shards": 1, "number_of_replicas": 1}


def versioned_index(name: str, synonyms: list[str], replicas: int = 1) -> Index:
    """A new concrete index ``name`` with the mapping and analysers (not created)."""
    index = Index(name)
    index.settings(
        number_of_shards=1,
        number_of_replicas=replicas,
        max_ngram_diff=20,
    )
    for item in analyzers(synonyms):
        index.analyzer(item)
    index.document(SearchDocument)
    return index
