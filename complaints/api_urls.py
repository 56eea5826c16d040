from django.urls import path

from . import api

urlpatterns = [
    path("complaints/", api.ComplaintCreateView.as_view(), name="api-complaint-create"),
]
