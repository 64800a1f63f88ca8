"""The URLs the OpenAPI schema describes: the case API only (not the admin's
own internal API, nor Wagtail's pages API, which documents itself)."""

from django.urls import include, path

from services.api.urls import v1

urlpatterns = [path("api/", include((v1, "api")))]
