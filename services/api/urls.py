"""``/api/``: the case API (v1) and its OpenAPI schema (of v1 only)."""

from django.urls import path, re_path

from drf_spectacular.views import SpectacularAPIView

from services.api import notify_callback, views

app_name = "api"

REF = r"^v1/cases/(?P<reference>[A-Z]{1,6}-[0-9]{4}-[0-9]{6,})/"

v1 = [
    path("v1/cases/", views.CaseList.as_view(), name="cases"),
    re_path(REF + "$", views.CaseDetail.as_view(), name="case"),
    re_path(REF + "status/$", views.CaseStatusChange.as_view(), name="status"),
    re_path(REF + "updates/$", views.CasePublicUpdate.as_view(), name="update"),
    re_path(REF + "close/$", views.CaseClose.as_view(), name="close"),
    re_path(REF + "attachments/$", views.CaseAttachmentUpload.as_view(), name="attach"),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "notify/receipts/",
        notify_callback.NotifyReceipt.as_view(),
        name="notify_receipts",
    ),
    *v1,
]

# Appended by cms.urls after Wagtail's pages API (``/api/v2/``).
fallback = [re_path(r"^.*$", views.not_found)]
