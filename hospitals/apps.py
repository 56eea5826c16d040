from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HospitalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hospitals"
    verbose_name = _("Partner hospitals")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from kartusehat import memo
        from registrations.models import Region

        from .models import Agreement, ApiToken, Facility, HospitalStaff
        from .roles import ensure_roles

        post_migrate.connect(ensure_roles, dispatch_uid="hospitals.ensure_roles")
        # "Is this facility a partner today?" is remembered per facility and
        # day (hospitals.selectors.facility_in_force) until an agreement changes.
        post_save.connect(memo.changed, sender=Agreement, dispatch_uid="hospitals.agreements_saved")
        post_delete.connect(memo.changed, sender=Agreement, dispatch_uid="hospitals.agreements_deleted")
        # Hospital keys with their user and facility (hospitals.authentication).
        for model in (ApiToken, HospitalStaff, Facility):
            post_save.connect(memo.changed, sender=model, dispatch_uid=f"hospitals.memo.saved.{model.__name__}")
            post_delete.connect(memo.changed, sender=model, dispatch_uid=f"hospitals.memo.deleted.{model.__name__}")
        # The kelurahan names a check answers with (hospitals.selectors._with_area).
        post_save.connect(memo.changed, sender=Region, dispatch_uid="hospitals.regions_saved")
        post_delete.connect(memo.changed, sender=Region, dispatch_uid="hospitals.regions_deleted")
