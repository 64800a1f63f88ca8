from django.urls import path

from services.payments import sandbox, views

app_name = "payments"

urlpatterns = [
    path("payments/<uuid:uuid>/return/", views.payment_return, name="return"),
    path("payments/<uuid:uuid>/retry/", views.payment_retry, name="retry"),
    path("payments/govuk-pay/webhook/", views.webhook, name="webhook"),
    path("payments/sandbox/<str:provider_id>/", sandbox.card_page, name="sandbox_card"),
    path(
        "payments/sandbox/<str:provider_id>/3d-secure/",
        sandbox.three_d_secure,
        name="sandbox_3ds",
    ),
]
