"""What PostgreSQL's planner does with a query a view ran: which indexes it reads
and which tables it reads whole.

Tables in a test hold a few hundred rows, where reading them whole is the
planner's best choice. With every way of reading a table but through an index
condition disabled (the plan it makes for a few matches among millions of rows),
it still reads a table whole when no index answers the condition, which is what
these tests look for.

A table may still be read whole for something other than the search (the
accounts a subquery found, joined back and filtered on ``NOT is_staff``):
``read_whole`` only counts whole scans that filter on the searched text itself."""

from __future__ import annotations

import json

from django.db import connection

# What a few matches among millions of rows make the planner choose: tables read
# only through an index condition (a bitmap scan: a plain index scan could still
# walk a whole index), nested loops joining what an index found to the rows it
# points at.
AT_SCALE = (
    "enable_seqscan",
    "enable_indexscan",
    "enable_indexonlyscan",
    "enable_hashjoin",
    "enable_mergejoin",
)


def plan(sql: str) -> dict:
    with connection.cursor() as cursor:
        for setting in AT_SCALE:
            cursor.execute(f"SET {setting} = off")
        try:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            value = cursor.fetchone()[0]
        finally:
            for setting in AT_SCALE:
                cursor.execute(f"RESET {setting}")
    data = json.loads(value) if isinstance(value, str) else value
    return data[0]["Plan"]


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def indexes_read(planned: dict) -> set[str]:
    return {n["Index Name"] for n in _nodes(planned) if "Index Name" in n}


def read_whole(planned: dict, searched: str) -> list[str]:
    """The scans that read a table whole to find ``searched`` (no index
    condition narrows them and their filter holds the text). A whole scan
    filtering on something else (``NOT is_staff`` over the accounts a subquery
    found) is the planner's choice for a few rows and is not counted."""
    found = []
    for node in _nodes(planned):
        kind = node["Node Type"]
        whole = kind == "Seq Scan" or (
            kind in ("Index Scan", "Index Only Scan") and "Index Cond" not in node
        )
        if whole and searched.upper() in node.get("Filter", "").upper():
            found.append(f"{kind} on {node['Relation Name']}: {node['Filter']}")
    return found
