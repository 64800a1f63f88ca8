from django.urls import path

from search import views

urlpatterns = [
    path("", views.search, name="search"),
    path("go/", views.click, name="search_click"),
    path("suggest/", views.suggest, name="search_suggest"),
]
