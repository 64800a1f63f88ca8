from django.urls import path

from services import satisfaction, views

app_name = "services"

urlpatterns = [
    path("track-a-request/", views.track, name="track"),
    path(
        "track-a-request/satisfaction/",
        satisfaction.answer_tracked_case,
        name="track_satisfaction",
    ),
    path("account/requests/", views.my_cases, name="my_cases"),
    path(
        "account/requests/<str:reference>/",
        views.my_case_detail,
        name="my_case_detail",
    ),
    path(
        "account/requests/<str:reference>/satisfaction/",
        satisfaction.answer_my_case,
        name="my_case_satisfaction",
    ),
]
