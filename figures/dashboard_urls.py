"""The staff dashboard, under the admin (its sign-in, its header): see ``figures.dashboard``."""

from django.contrib import admin
from django.urls import path

from . import dashboard

app_name = "figures-dashboard"

urlpatterns = [
    path("", admin.site.admin_view(dashboard.dashboard_view), name="page"),
    path("<slug:key>.<slug:fmt>", admin.site.admin_view(dashboard.export_view), name="export"),
]
