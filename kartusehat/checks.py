"""System checks of the platform's settings (``manage.py check`` and start-up)."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from .throttling import Rate


@register()
def rates_are_valid(app_configs, **kwargs):
    """A mistyped RATE_* must stop the start-up, not fail every lookup later."""
    errors = []
    for scope, text in settings.KARTUSEHAT_RATES.items():
        try:
            Rate.parse(text)
        except ImproperlyConfigured as exc:
            errors.append(Error(f"KARTUSEHAT_RATES[{scope!r}]: {exc}", hint="e.g. RATE_…=30/hour",
                id="kartusehat.E002"))
    return errors
