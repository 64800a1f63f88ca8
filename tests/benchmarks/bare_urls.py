"""One URL for the bare benchmark server: the same trivial view as ``/healthz/``."""

from django.http import HttpResponse
from django.urls import path


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("healthz/", healthz)]
