"""Relevance measured: precision at 1 and at 3 over a list of resident queries.

Each row names the page that must come first (``within`` 1) or in the top three
(``within`` 3). A row counts for precision@1 when its page is first, and for
precision@3 when it is in the top three; best bets count, as residents see them
first. Used by ``manage.py search_relevance`` and the relevance test.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from search.queries import SiteSearch


@dataclass
class Judgement:
    query: str
    expected: str
    within: int
    titles: list[str]

    @property
    def rank(self) -> int | None:
        wanted = self.expected.casefold()
        for number, title in enumerate(self.titles, start=1):
            if title.casefold() == wanted:
                return number
        return None

    @property
    def at_1(self) -> bool:
        return self.rank == 1

    @property
    def at_3(self) -> bool:
        return self.rank is not None and self.rank <= 3

    @property
    def passed(self) -> bool:
        return self.rank is not None and self.rank <= self.within


@dataclass
class Report:
    judgements: list[Judgement]

    @property
    def precision_at_1(self) -> float:
        return sum(j.at_1 for j in self.judgements) / len(self.judgements)

    @property
    def precision_at_3(self) -> float:
        return sum(j.at_3 for j in self.judgements) / len(self.judgements)

    @property
    def failures(self) -> list[Judgement]:
        return [j for j in self.judgements if not j.passed]


def read_queries(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row.get("query")]


def evaluate(rows: list[dict], site, engine=None) -> Report:
    judgements = []
    for row in rows:
        results = SiteSearch(
            text=row["query"], site=site, per_page=3, engine=engine
        ).results()
        titles = [hit.title for hit in results.best_bets + results.hits][:3]
        judgements.append(
            Judgement(
                query=row["query"],
                expected=row["expected"],
                within=int(row.get("within") or 3),
                titles=titles,
            )
        )
    return Report(judgements)
