"""allauth is the only way in: what answers where Wagtail and Django had their own
password forms (mounted in ``cms/urls.py`` ahead of Wagtail's URLs).

- ``/admin/login/`` and ``/_util/login/`` (Wagtail's admin and front-end login
  views) send the browser to allauth's sign-in, keeping a safe ``next``;
  nothing is read from a POST, so a password sent there signs nobody in.
- ``/_util/authenticate_with_password/…`` and
  ``/documents/authenticate_with_password/…`` (a page's or a document
  collection's shared password) answer 404: password restrictions are turned off
  (``WAGTAIL_PRIVATE_PAGE_OPTIONS``, ``WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS``);
  pages and documents are restricted to signed-in users or groups instead.
- Wagtail's admin password reset and password change are switched off by
  ``WAGTAIL_PASSWORD_RESET_ENABLED`` / ``WAGTAIL_PASSWORD_MANAGEMENT_ENABLED``;
  staff use allauth's, with its limits.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from frontend.redirects import next_from


def _to_allauth_login(request, default: str) -> HttpResponseRedirect:
    target = next_from(request, default=default)
    url = reverse("account_login")
    if target:
        url += "?" + urlencode({"next": target})
    return HttpResponseRedirect(url)


# No form is processed here, so there is no token to check: every method is
# answered with the same redirect and the request body is never read.
@csrf_exempt
@never_cache
def admin_login(request):
    """The Wagtail admin's sign-in page: allauth's, then back to the admin."""
    return _to_allauth_login(request, default=reverse("wagtailadmin_home"))


@csrf_exempt
@never_cache
def frontend_login(request):
    """Wagtail's front-end login (private pages): allauth's sign-in."""
    return _to_allauth_login(request, default="")


@csrf_exempt
def page_password(request, *args, **kwargs):
    """Shared page and document passwords are not offered: none is checked here."""
    raise Http404("Nothing is protected by a shared password")
