"""Registration only: the single customer view and the audit log in the admin."""

from django.urls import include, path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from myaccount import admin_views, contact_views
from myaccount.viewsets import BulletinViewSet, social_app_viewset

admin_urlpatterns = [
    path("", admin_views.resident_search, name="resident_search"),
    path("<int:user_id>/", admin_views.resident_detail, name="resident_detail"),
    path("audit-log/", admin_views.audit_log, name="audit_log"),
    path("property/<str:uprn>/", admin_views.property_detail, name="property_detail"),
    path("bulletins/<int:pk>/send/", admin_views.bulletin_send, name="bulletin_send"),
    path("person/<int:pk>/", contact_views.contact_detail, name="contact_detail"),
    path(
        "person/<int:pk>/merge/<int:other>/",
        contact_views.contact_merge,
        name="contact_merge",
    ),
    path("merges/", contact_views.merge_log, name="merge_log"),
    path("merges/<int:pk>/undo/", contact_views.merge_undo, name="merge_undo"),
    path(
        "interaction/<int:pk>/handover/",
        contact_views.interaction_handover,
        name="interaction_handover",
    ),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "residents/",
            include(
                (admin_urlpatterns, "myaccount_admin"), namespace="myaccount_admin"
            ),
        )
    ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_residents_menu_item():
    return PermissionMenuItem(
        "Residents",
        reverse("myaccount_admin:resident_search"),
        icon_name="user",
        order=250,
        permission=admin_views.SCV_PERMISSION,
    )


@hooks.register("register_reports_menu_item")
def register_audit_log_menu_item():
    return PermissionMenuItem(
        "Resident audit log",
        reverse("myaccount_admin:audit_log"),
        icon_name="list-ul",
        order=900,
        permission="myaccount.view_auditlogentry",
    )


@hooks.register("register_reports_menu_item")
def register_merge_log_menu_item():
    return PermissionMenuItem(
        "Merge log",
        reverse("myaccount_admin:merge_log"),
        icon_name="list-ul",
        order=910,
        permission=contact_views.MERGE_PERMISSION,
    )


@hooks.register("register_admin_viewset")
def register_social_app_viewset():
    return social_app_viewset


register_snippet(BulletinViewSet)


@hooks.register("register_accessibility_paths")
def account_accessibility_paths(site):
    from myaccount.a11y import public_paths

    return public_paths(site)


@hooks.register("register_accessibility_account_pages")
def account_accessibility_pages():
    from myaccount.a11y import account_pages

    return account_pages()


@hooks.register("register_accessibility_journeys")
def account_accessibility_journeys():
    from myaccount.a11y import journeys

    return journeys()
