"""Registration only: case work, the outbox, service definitions, partner
groups and contact reasons."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from services.viewsets import (
    CaseWorkViewSet,
    InteractionReasonViewSet,
    OutboxViewSet,
    PartnerGroupViewSet,
    ServiceDefinitionViewSet,
)

register_snippet(ServiceDefinitionViewSet)
register_snippet(PartnerGroupViewSet)
register_snippet(InteractionReasonViewSet)


@hooks.register("register_admin_viewset")
def register_case_work():
    return CaseWorkViewSet()


@hooks.register("register_admin_viewset")
def register_outbox():
    return OutboxViewSet()


@hooks.register("register_accessibility_journeys")
def case_accessibility_journeys():
    from services.a11y import journeys

    return journeys()


@hooks.register("register_accessibility_paths")
def case_accessibility_paths(site):
    from services.a11y import paths

    return paths(site)
