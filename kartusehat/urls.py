from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "Kartu Sehat"
admin.site.site_title = "Kartu Sehat"

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", views.home, name="home"),
]
