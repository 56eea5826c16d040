from django.urls import path

from . import api

urlpatterns = [
    path("hospitals/", api.HospitalListView.as_view(), name="api-hospitals"),
    path("verify/", api.VerifyView.as_view(), name="api-verify"),
    path("emergency-requests/", api.EmergencyRequestView.as_view(), name="api-emergency-requests"),
]
