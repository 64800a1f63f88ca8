from django.urls import path

from services import views

app_name = "services"

urlpatterns = [
    path("track-a-request/", views.track, name="track"),
    path("account/requests/", views.my_cases, name="my_cases"),
    path(
        "account/requests/<str:reference>/",
        views.my_case_detail,
        name="my_case_detail",
    ),
]
