from django.urls import path

from . import api

urlpatterns = [
    path("hospitals/", api.HospitalListView.as_view(), name="api-hospitals"),
]
