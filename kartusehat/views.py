import sys

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views import defaults
from django.views.decorators.cache import never_cache
from rest_framework.exceptions import NotFound

from .middleware import database_unavailable, is_api, unavailable_response
from .throttling import retry_minutes


@never_cache
def healthz(request):
    """Liveness for the load balancer and docker-compose: can we reach the DB?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


# Django's error pages for what no view answered. The API answers in its
# contract's JSON shape, never an HTML page.


def bad_request(request, exception):
    if is_api(request):
        message = gettext("The request could not be read. Check its headers and body.")
        return JsonResponse({"non_field_errors": [message]}, status=400)
    return defaults.bad_request(request, exception)


def page_not_found(request, exception):
    if is_api(request):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    exception = sys.exc_info()[1]
    if database_unavailable(exception):
        # Raised outside a view (e.g. saving the session after it).
        return unavailable_response(request, exception)
    if is_api(request):
        return JsonResponse({"detail": gettext("Something went wrong on our side. Try again later.")}, status=500)
    return defaults.server_error(request)


def rate_limited(request, retry_after: int, *, template: str = "rate_limited.html", context: dict | None = None):
    """429 page for the citizen forms, with the Retry-After the API also sends."""
    context = {"retry_minutes": retry_minutes(retry_after), **(context or {})}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(retry_after)
    return response
