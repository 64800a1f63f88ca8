"""Project URLs. Wagtail's page serving comes last and catches everything else."""

from django.conf import settings
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from home import urls as home_urls
from home.pages_api import router as pages_api_router
from myaccount import sign_in
from myaccount import urls as myaccount_urls
from personalisation import urls as personalisation_urls
from search import urls as search_urls
from services import urls as services_urls
from services.api import open311_urls
from services.api import urls as api_urls

# allauth is the only way in (myaccount.sign_in): these answer ahead of the
# password forms Wagtail's own URLs would otherwise offer at the same addresses.
one_way_in = [
    path("admin/login/", sign_in.admin_login, name="admin_login"),
    path("_util/login/", sign_in.frontend_login, name="frontend_login"),
    path(
        "_util/authenticate_with_password/<int:restriction_id>/<int:page_id>/",
        sign_in.page_password,
        name="page_password",
    ),
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        sign_in.page_password,
        name="document_password",
    ),
]

urlpatterns = [
    *one_way_in,
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("api/", include(api_urls)),
    path("api/v2/", pages_api_router.urls),
    path("open311/v2/", include(open311_urls)),
    path("api/", include(api_urls.fallback)),
    path("search/", include(search_urls)),
    path("", include(services_urls)),
    path("", include("services.payments.urls")),
    path("account/", include(myaccount_urls)),
    path("account/", include("allauth.urls")),
    path("", include(home_urls)),
    path("", include(personalisation_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"
