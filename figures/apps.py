from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "figures"
    verbose_name = _("Figures")

    def ready(self):
        from .roles import ensure_roles

        post_migrate.connect(ensure_roles, dispatch_uid="figures.ensure_roles")
