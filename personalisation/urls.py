from django.urls import path

from personalisation import views

urlpatterns = [
    path("cookies/", views.cookie_settings, name="cookie_settings"),
    path("cookies/answer/", views.answer_cookie_banner, name="cookie_banner_answer"),
]
