from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KartusehatConfig(AppConfig):
    """The platform layer (no models): its system checks and its commands
    (``load_demo``). It imports no app; apps build on it."""

    name = "kartusehat"
    verbose_name = _("Kartu Sehat platform")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
