"""``/open311/v2/``: the GeoReport v2 server (``services.api.open311``)."""

from django.urls import re_path

from services.api import open311

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^services" + FMT, open311.services_list),
    re_path(
        r"^services/(?P<code>[A-Za-z0-9_-]{1,40})" + FMT, open311.service_definition
    ),
    re_path(r"^requests" + FMT, open311.requests_collection),
    re_path(
        r"^requests/(?P<reference>[A-Z]{1,6}-[0-9]{4}-[0-9]{6,})" + FMT,
        open311.request_detail,
    ),
    re_path(r"^servicerequestupdates" + FMT, open311.request_updates),
]
