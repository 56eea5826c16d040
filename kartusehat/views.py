from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

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



def rate_limited(request, retry_after: int, *, template: str = "rate_limited.html", context: dict | None = None):
    """429 page for the citizen forms, with the Retry-After the API also sends."""
    context = {"retry_minutes": retry_minutes(retry_after), **(context or {})}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(retry_after)
    return response
