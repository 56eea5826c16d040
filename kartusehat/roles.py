"""Staff roles are Django groups whose permissions are kept in step with the
code: each app names its groups and their permissions (``<app>/roles.py``)
and syncs them after every ``migrate``."""

from django.contrib.auth.models import Group, Permission


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
