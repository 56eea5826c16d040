"""The programme's home page: what it is, and whether regular cards are printed now."""

from django.shortcuts import render

from .selectors import service_status


def home(request):
    return render(request, "home.html", {"service": service_status()})
