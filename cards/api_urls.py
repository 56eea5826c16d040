from django.urls import path

from . import api

urlpatterns = [
    path("service-status/", api.ServiceStatusView.as_view(), name="api-service-status"),
]
