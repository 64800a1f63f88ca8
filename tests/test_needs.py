"""A test that needs a missing service skips with the reason on a fresh machine and
fails under ``REQUIRE_SERVICES=1`` (CI), so a service that silently went missing
cannot make the suite look green; and no test skips any other way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import needs

TESTS = Path(__file__).resolve().parent
SKIP_ELSEWHERE = re.compile(r"pytest\.skip\(|importorskip|skipif|mark\.skip\b|xfail")


@pytest.fixture
def fresh_machine(monkeypatch):
    for name in ("REQUIRE_SERVICES", "REQUIRE_BROWSER", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_a_missing_service_is_a_skip_with_its_reason(fresh_machine):
    with pytest.raises(pytest.skip.Exception, match=r"needs Redis \(REDIS_URL\): why"):
        needs.needs_redis("why")


def test_under_require_services_a_missing_service_fails(fresh_machine):
    fresh_machine.setenv("REQUIRE_SERVICES", "1")
    with pytest.raises(pytest.fail.Exception, match="required service missing"):
        needs.needs_redis()
    fresh_machine.setattr(needs, "CLAMD", "/nonexistent/clamd")
    with pytest.raises(pytest.fail.Exception, match="apt-get install clamav-daemon"):
        needs.needs_clamd()
    with pytest.raises(pytest.fail.Exception, match="apt-get install some-package"):
        needs.needs_program("no-such-program-here", "some-package")


@pytest.mark.parametrize("flag", ["REQUIRE_BROWSER", "REQUIRE_SERVICES"])
def test_without_chromium_the_browser_suite_skips_unless_required(fresh_machine, flag):
    fresh_machine.setattr(needs, "browser_available", lambda: False)
    with pytest.raises(pytest.skip.Exception, match="chromium-driver"):
        needs.needs_chromium()
    fresh_machine.setenv(flag, "1")
    with pytest.raises(pytest.fail.Exception, match="chromium-driver"):
        needs.needs_chromium()


def test_the_elasticsearch_stand_in_is_required_under_require_services(fresh_machine):
    from tests.search.conftest import _required

    fresh_machine.delenv("CI", raising=False)
    fresh_machine.delenv("REQUIRE_ELASTICSEARCH", raising=False)
    assert not _required()
    fresh_machine.setenv("REQUIRE_SERVICES", "1")
    assert _required()


def test_no_test_skips_except_through_needs():
    """Every skip goes through tests/needs.py (so REQUIRE_SERVICES can turn it into
    a failure), and the project's own modules are imported plainly: an
    ``importorskip`` of one would hide its import error as a skip."""
    found = [
        f"{path.relative_to(TESTS.parent)}:{number}: {line.strip()}"
        for path in sorted(TESTS.rglob("*.py"))
        if path.name not in ("needs.py", "test_needs.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if SKIP_ELSEWHERE.search(line)
    ]
    assert found == []


def test_every_transactional_test_restores_the_migrations_rows():
    """A transactional test empties the database after it; without a serialized
    rollback the flush makes content types again under new ids, and the next test
    that restores the migrations' rows fails on them (whichever test comes next)."""
    found = [
        f"{path.relative_to(TESTS.parent)}:{number}: {line.strip()}"
        for path in sorted(TESTS.rglob("*.py"))
        if path.name != "test_needs.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "transaction=True" in line and "serialized_rollback=True" not in line
    ]
    assert found == []
