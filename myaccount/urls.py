"""My Account's own URLs, mounted at /account/ next to allauth's."""

from django.urls import path

from myaccount import views

app_name = "myaccount"

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
    path("profile/address/", views.address, name="address"),
    path("profile/address/choose/", views.address_choose, name="address_choose"),
    path("profile/contact/", views.contact_preferences, name="contact"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("council-tax/link/", views.council_tax_link, name="council_tax_link"),
    path(
        "council-tax/<int:link_id>/unlink/",
        views.council_tax_unlink,
        name="council_tax_unlink",
    ),
    path("your-data/", views.your_data, name="your_data"),
    path("your-data/download.json", views.export_json, name="export_json"),
    path("your-data/download.html", views.export_html, name="export_html"),
    path("delete/", views.delete_account, name="delete"),
    path("deleted/", views.deleted, name="deleted"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path(
        "organisations/<int:organisation_id>/",
        views.organisation_detail,
        name="organisation_detail",
    ),
    path(
        "organisations/<int:organisation_id>/leave/",
        views.organisation_leave,
        name="organisation_leave",
    ),
    path(
        "invitations/<str:token>/",
        views.invitation_accept,
        name="invitation_accept",
    ),
]
