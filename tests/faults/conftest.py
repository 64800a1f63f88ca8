"""Fixtures for the fault suite: each test runs the site against services it can
break (see ``tests/faults/servers.py``) and prints what happened."""

import pytest

from tests.services.conftest import (  # noqa: F401 (fixtures)
    bin_service,
    missed_bin_page,
    waste_team,
)

FIGURES: list[str] = []


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("faults: figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture
def report():
    def add(name: str, figures: dict) -> None:
        FIGURES.append(
            f"{name}: " + ", ".join(f"{key} {value}" for key, value in figures.items())
        )

    return add
