"""Registration only: case work, service definitions and partner groups."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from services.viewsets import (
    CaseWorkViewSet,
    PartnerGroupViewSet,
    ServiceDefinitionViewSet,
)

register_snippet(ServiceDefinitionViewSet)
register_snippet(PartnerGroupViewSet)


@hooks.register("register_admin_viewset")
def register_case_work():
    return CaseWorkViewSet()
