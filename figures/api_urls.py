from django.urls import path

from . import api

urlpatterns = [
    path("stats/coverage/", api.CoverageView.as_view(), name="api-stats-coverage"),
    path("stats/cards/", api.CardsView.as_view(), name="api-stats-cards"),
]
