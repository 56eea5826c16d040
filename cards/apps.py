from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cards"
    verbose_name = _("Cards and printing")

    def ready(self):
        from .roles import ensure_roles

        # After every app's migrations, not only this one's: the print office
        # also reads hospitals' emergency requests, whose permissions come later.
        post_migrate.connect(ensure_roles, dispatch_uid="cards.ensure_roles")
