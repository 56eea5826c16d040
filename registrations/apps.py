from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .roles import ensure_roles

        post_migrate.connect(ensure_roles, dispatch_uid="registrations.ensure_roles")
