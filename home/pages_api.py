"""Wagtail's pages API (v2) at ``/api/v2/pages/``: read-only, public live pages
of the site the request's host name belongs to.

Open to anyone and never signed in (no authentication: a resident's or an
editor's session changes nothing), and only pages with no view restriction at
all, whoever asks. Page variants live outside every site
(``personalisation.variants``), so they never appear.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer


class PublicPagesAPIViewSet(PagesAPIViewSet):
    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    def get_base_queryset(self):
        return super().get_base_queryset().public()


router = WagtailAPIRouter("wagtailapi")
router.register_endpoint("pages", PublicPagesAPIViewSet)
