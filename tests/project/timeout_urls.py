"""A page and an API view whose query outlasts the statement timeout."""

from django.db import connection, transaction
from django.http import HttpResponse
from django.urls import include, path


def _slow(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 50")
        cursor.execute("SELECT pg_sleep(2)")
    return HttpResponse("not reached")


urlpatterns = [
    path("admin/slow/", _slow),
    path("api/v1/slow/", _slow),
    path("", include("kartusehat.urls")),
]
