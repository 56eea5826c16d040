"""Flags on registrations (``selectors.REGISTRATION_FLAGS``) in the
registrations list: a column that shows each flag a registration carries, and
a filter by flag. Staff read them before verifying; "verify the clean ones"
of an import leaves the flagged ones out."""

from django.contrib import admin
from django.templatetags.static import static
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from .. import selectors

NONE = "tanpa"
ANY = "ada"


class FlagFilter(admin.SimpleListFilter):
    title = _("flags")
    parameter_name = "tanda"

    def lookups(self, request, model_admin):
        return [(NONE, _("No flag")), (ANY, _("Any flag")),
                *((name, selectors.flag_label(name)) for name in selectors.REGISTRATION_FLAGS)]

    def queryset(self, request, queryset):
        value = self.value()
        if value == NONE:
            return queryset.exclude(selectors.any_flag())
        if value == ANY:
            return queryset.filter(selectors.any_flag())
        if value in selectors.REGISTRATION_FLAGS:
            return queryset.filter(**{value: True})
        return queryset


def flags_html(registration) -> str:
    """Each flag as the admin's warning icon and its label; empty without one."""
    labels = selectors.registration_flags(registration)
    return format_html_join(
        " ", '<span class="registration-flag" title="{}"><img src="{}" alt="⚑" width="14" height="14"> {}</span>',
        ((label, static("admin/img/icon-alert.svg"), label) for label in labels),
    )


class FlagsColumnMixin:
    """For ``RegistrationAdmin``: the ``flags_shown`` column."""

    @admin.display(description=_("flags"))
    def flags_shown(self, obj):
        return flags_html(obj)
