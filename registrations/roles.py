"""Staff roles as Django groups, kept in step with the code after each migrate."""

from django.contrib.auth.models import Group, Permission

KELURAHAN_STAFF = "Petugas Kelurahan"

ROLE_PERMISSIONS = {
    KELURAHAN_STAFF: [
        "registrations.view_registration",
        "registrations.verify_registration",
        "registrations.view_registrationmember",
        "registrations.view_registrationevent",
        "registrations.view_registrationdocument",
        "registrations.view_household",
        "registrations.change_household",
        "registrations.view_member",
        "registrations.change_member",
        "registrations.view_region",
        # Cards arriving at the kelurahan: receipt, pickup, deadlines, reprints.
        "cards.view_dispatch", "cards.receive_dispatch",
        "cards.view_pickupcard", "cards.collect_card", "cards.manage_pickup", "cards.reprint_card",
        "cards.view_cardevent",
    ],
}


def ensure_roles(**kwargs) -> None:
    sync_groups(ROLE_PERMISSIONS)


def sync_groups(role_permissions: dict[str, list[str]]) -> None:
    """Give each named group exactly these permissions (``app_label.codename``)."""
    for name, perms in role_permissions.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if found is None:  # before that app's permissions exist
                return
            wanted.append(found)
        group.permissions.set(wanted)
