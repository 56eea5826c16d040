from django.urls import path

from . import api

urlpatterns = [
    path("registrations/", api.RegistrationCreateView.as_view(), name="api-registration-create"),
    path("registrations/<str:reference>/", api.RegistrationStatusView.as_view(), name="api-registration-status"),
    path("regions/", api.RegionListView.as_view(), name="api-regions"),
]
