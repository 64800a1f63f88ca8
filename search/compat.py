"""modelsearch's PostgreSQL query compiler, for the ranked database search
(``search.queries.DatabaseEngine``).

Checked against modelsearch 1.3.2 (Wagtail 8.0.1's search backends). The engine
ranks matches itself, in one SQL statement over the index table, so it needs the
pieces the PostgreSQL backend builds for its own queries; modelsearch documents the
backend's ``search()`` but not these:

- ``backend.query_compiler_class(queryset, query)``, its ``.query`` (the parsed
  query) and ``.get_config(backend)`` (the text search configuration);
- ``compiler.build_tsquery(query, config=...)``: the ``tsquery`` expression the
  backend matches with (prefixes, phrases, ``AND``/``OR``/``NOT`` as residents typed
  them);
- ``compiler.build_tsrank(vector, query, config=...)``: the ``ts_rank`` expression
  for a ``tsvector`` column of ``IndexEntry`` (``title`` or ``body``).

On upgrade: a renamed method or a changed signature stops every database search
on PostgreSQL with an error (SQLite and Elasticsearch do not use this);
``tests/search/test_compat.py`` fails first.
"""

from dataclasses import dataclass

from wagtail.search.backends import get_search_backend


@dataclass(frozen=True)
class Ranking:
    """The backend's compiled query, and a way to rank a vector column by it."""

    tsquery: object
    _compiler: object
    _config: object

    def rank(self, vector):
        """``ts_rank(vector, tsquery)`` as the backend computes it."""
        return self._compiler.build_tsrank(
            vector, self._compiler.query, config=self._config
        )


def ranking(queryset, search_query) -> Ranking:
    """The compiled form of ``search_query`` over ``queryset``'s index entries."""
    backend = get_search_backend()
    compiler = backend.query_compiler_class(queryset, search_query)
    config = compiler.get_config(backend)
    return Ranking(
        tsquery=compiler.build_tsquery(compiler.query, config=config),
        _compiler=compiler,
        _config=config,
    )
