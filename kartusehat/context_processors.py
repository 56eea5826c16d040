from django.conf import settings


def city(request):
    """The running city's name and hotline, and how long registrations that
    never reached the roster are kept (the consent statement promises it),
    for every template."""
    return {
        "city": settings.KARTUSEHAT_CITY,
        "retention": {"rejected_days": settings.REJECTED_RETENTION_DAYS,
                      "abandoned_days": settings.ABANDONED_RETENTION_DAYS},
    }
