from django.urls import path

from services import satisfaction, views
from services.bookings import views as booking_views
from services.permits import views as permit_views

app_name = "services"

urlpatterns = [
    path("track-a-request/", views.track, name="track"),
    path("journeys/resume/<str:token>/", views.resume_journey, name="resume_journey"),
    path(
        "track-a-request/satisfaction/",
        satisfaction.answer_tracked_case,
        name="track_satisfaction",
    ),
    path("account/requests/", views.my_cases, name="my_cases"),
    path("account/bookings/", booking_views.my_bookings, name="my_bookings"),
    path(
        "account/bookings/<uuid:uuid>/cancel/",
        booking_views.cancel,
        name="cancel_booking",
    ),
    path(
        "account/bookings/<uuid:uuid>/change/",
        booking_views.change,
        name="change_booking",
    ),
    path("account/payments/<uuid:uuid>/", booking_views.receipt, name="receipt"),
    path(
        "account/permits/<uuid:uuid>/renew/",
        permit_views.renew,
        name="permit_renew",
    ),
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
