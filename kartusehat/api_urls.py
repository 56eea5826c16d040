"""Public API v1 (../shared/api-contract.md): every path of the contract is here."""

from django.urls import include, path

urlpatterns = [
    path("", include("registrations.api_urls")),
    path("", include("complaints.api_urls")),
    path("", include("hospitals.api_urls")),
    path("", include("cards.api_urls")),
    path("", include("figures.api_urls")),
]
