from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from . import second_factor, views
from .signin import StaffAdminAuthenticationForm

admin.site.site_header = "Kartu Sehat"
admin.site.site_title = "Kartu Sehat"
admin.site.login_form = StaffAdminAuthenticationForm  # says when an account's sign-ins are paused

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the admin's own URLs: the second sign-in step of city-wide staff.
    path("admin/second-factor/", second_factor.verify, name="second-factor-verify"),
    path("admin/second-factor/enrol/", second_factor.enrol, name="second-factor-enrol"),
    # The staff dashboard (figures, charts, exports): the admin's sign-in, its own app's pages.
    path("admin/figures/dashboard/", include("figures.dashboard_urls")),
    path("admin/", admin.site.urls),
    # Public API (../shared/api-contract.md) and its schema; the docs pages
    # load Swagger UI / Redoc from our own static files (sidecar), no CDN.
    path("api/v1/", include("kartusehat.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI's settings come as a script of their own (?script), not inline: the CSP holds.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Redoc writes its styles as <style> elements and searches in a blob: worker;
    # the page shows the public schema only.
    path("api/redoc/", csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})(
        SpectacularRedocView.as_view(url_name="api-schema")), name="api-redoc"),
    # Citizen pages.
    path("", include("registrations.urls")),
    path("rumah-sakit/", include("hospitals.urls")),
    # Hospital desks: coverage checks and emergency requests (hospital users).
    path("rs/", include("hospitals.desk_urls")),
    path("aduan/", include("complaints.urls")),
    # The programme's figures for everyone (aggregates only).
    path("angka/", include("figures.urls")),
    # The programme's home page shows the service mode (cards).
    path("", include("cards.urls")),
]

handler400 = "kartusehat.views.bad_request"
handler404 = "kartusehat.views.page_not_found"
handler500 = "kartusehat.views.server_error"
