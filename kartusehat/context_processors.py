from django.conf import settings


def city(request):
    """The running city's name and hotline, for every template."""
    return {"city": settings.KARTUSEHAT_CITY}
