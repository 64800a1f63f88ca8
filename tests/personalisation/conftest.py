"""The services suite's case fixtures (teams, service definitions, a resident)."""

from tests.services.conftest import (  # noqa: F401 - fixtures
    bin_service,
    highways_team,
    other_resident,
    resident,
    street_service,
    waste_team,
)
