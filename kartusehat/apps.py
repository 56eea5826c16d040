from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KartusehatConfig(AppConfig):
    """The platform layer (no models): its system checks and its commands
    (``load_demo``). It imports no app; apps build on it."""

    name = "kartusehat"
    verbose_name = _("Kartu Sehat platform")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import checks, memo, signin  # noqa: F401  (importing checks registers the system checks)

        user_logged_in.connect(signin.on_logged_in, dispatch_uid="kartusehat.signin.on_logged_in")

        # Who holds which permission changed (or a user was saved: made
        # superuser, say): the remembered permission sets go.
        user = get_user_model()
        for relation in (user.groups.through, user.user_permissions.through, Group.permissions.through):
            m2m_changed.connect(memo.changed, sender=relation, dispatch_uid=f"kartusehat.memo.{relation}")
        for model in (user, Group):
            post_save.connect(memo.changed, sender=model, dispatch_uid=f"kartusehat.memo.saved.{model}")
            post_delete.connect(memo.changed, sender=model, dispatch_uid=f"kartusehat.memo.deleted.{model}")
