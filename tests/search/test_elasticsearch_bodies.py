"""The Elasticsearch index definition and query bodies, tested as data (no server)."""

from search.analysis import PreparedQuery
from search.documents import SearchDocument, synonym_rules, versioned_index
from search.es_engine import build_search, build_suggest
from search.queries import Section, SiteContext

SITE = SiteContext(
    site_id=1,
    root_path="00010001",
    root_depth=2,
    sections=[Section("bins", "Bins", "000100010001")],
)


def test_the_index_analyses_english_with_stemming_synonyms_and_autocomplete():
    index = versioned_index(
        "pages-1", synonym_rules([(("tip",), "household waste recycling centre")])
    ).to_dict()
    analysis = index["settings"]["analysis"]
    english = analysis["analyzer"]["council_english"]
    assert english["tokenizer"] == "standard"
    assert "council_stemmer" in english["filter"]
    assert analysis["filter"]["council_stemmer"] == {
        "type": "stemmer",
        "language": "english",
    }
    search_analyzer = analysis["analyzer"]["council_english_search"]
    assert "council_synonyms" in search_analyzer["filter"]
    assert analysis["filter"]["council_synonyms"]["synonyms"] == [
        "tip => tip, household waste recycling centre"
    ]
    assert analysis["filter"]["council_edge_ngram"]["type"] == "edge_ngram"
    properties = index["mappings"]["properties"]
    assert properties["title"]["analyzer"] == "council_english"
    assert properties["title"]["search_analyzer"] == "council_english_search"
    assert (
        properties["title"]["fields"]["autocomplete"]["analyzer"]
        == "council_autocomplete"
    )
    for facet in ("kind", "section", "path"):
        assert properties[facet]["type"] == "keyword"


def test_the_document_maps_every_field_the_results_show():
    mapping = SearchDocument._doc_type.mapping.to_dict()["properties"]
    assert {"title", "summary", "body", "url", "section_title"} <= set(mapping)


def test_a_search_is_a_boosted_multi_match_with_facets_and_filters():
    query = PreparedQuery(
        text="tip",
        plain="tip",
        alternatives=("tip", "household waste recycling centre"),
    )
    body = build_search(
        query,
        SITE,
        section=SITE.sections[0],
        kind="service",
        offset=10,
        limit=10,
        index="pages",
    ).to_dict()
    assert body["from"] == 10 and body["size"] == 10
    must = body["query"]["bool"]["must"][0]["bool"]["should"]
    first, rewrite, phrase = must
    assert first["multi_match"]["fields"] == ["title^6", "summary^2", "body"]
    assert first["multi_match"]["fuzziness"] == "AUTO"
    assert rewrite["multi_match"]["query"] == "household waste recycling centre"
    assert rewrite["multi_match"]["fuzziness"] == 0
    assert phrase["match_phrase"]["title"]["query"] == "tip"
    site_filter = body["query"]["bool"]["filter"][0]["bool"]["should"]
    assert {"prefix": {"path": "00010001"}} in site_filter
    assert body["post_filter"] == {
        "bool": {
            "filter": [{"term": {"section": "bins"}}, {"term": {"kind": "service"}}]
        }
    }
    assert body["aggs"]["sections"] == {"terms": {"field": "section", "size": 100}}
    assert body["aggs"]["kinds"]["terms"]["field"] == "kind"
    assert body["track_total_hits"] is True


def test_suggestions_query_the_edge_ngram_field_within_the_site():
    body = build_suggest("miss", SITE, 6, index="pages").to_dict()
    assert body["size"] == 6
    match = body["query"]["bool"]["must"][0]["match"]["title.autocomplete"]
    assert match == {"query": "miss", "operator": "and"}
    assert body["query"]["bool"]["filter"] == [{"prefix": {"path": "00010001"}}]
