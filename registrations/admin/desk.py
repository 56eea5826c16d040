"""The kelurahan desk: staff register a walk-in family and print its receipt.

The family's data goes in through the citizen's own form (``household_form``,
``templates/registrations/_form.html``) and the same service, with the
channel ``kelurahan`` and the staff member as who entered it; the service
checks the permission and the area. The receipt is the citizen's
(``_receipt.html``), printed from the registration's page: a read of
personal data, so each printing is written to the access log.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kartusehat import areas, audit
from kartusehat.refusals import Refused

from .. import household_form, selectors, services
from ..models import Registration

ADD_PERMISSION = "registrations.add_registration"


def staff_name(user) -> str:
    """A staff member as colleagues and the family know them."""
    full_name = user.get_full_name()
    return f"{full_name} ({user.get_username()})" if full_name else user.get_username()


class DeskEntryMixin:
    """For ``RegistrationAdmin``: the add page is the walk-in form, and each
    registration has a printable receipt."""

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm(ADD_PERMISSION)

    def get_urls(self):
        return [
            path("<int:registration_id>/receipt/", self.admin_site.admin_view(self.receipt_view),
                 name="registrations_registration_receipt"),
            *super().get_urls(),
        ]

    # --- A walk-in family --------------------------------------------------------

    def add_view(self, request, form_url="", extra_context=None):
        """The citizen's form, filled in by staff for a family at the office."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        regions = selectors.city_regions(kelurahan_ids=areas.kelurahan_ids_in_area(request.user))
        if request.method == "GET":
            offered = [kelurahan["code"] for kecamatan in regions for kelurahan in kecamatan["kelurahan"]]
            # A kelurahan office registers its own residents: theirs is chosen already.
            initial = household_form.blank(kelurahan_code=offered[0] if len(offered) == 1 else "")
            return self._desk_page(request, initial, {}, regions)
        redraw = household_form.redrawn(request.POST)
        if redraw is not None:
            return self._desk_page(request, *redraw, regions)

        data = household_form.posted(request.POST)
        try:
            registration = services.registration_submit(
                data=data, files=request.FILES, channel=Registration.Channel.KELURAHAN, submitted_by=request.user,
            )
        except Refused as exc:
            return self._desk_page(request, household_form.refused(data), exc.errors, regions,
                                   status=exc.http_status, files_dropped=bool(request.FILES))
        self.message_user(request, _(
            "Registration %(reference)s is entered for the family. Print the receipt for them to take home."
        ) % {"reference": registration.reference}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:registrations_registration_change", args=[registration.pk]))

    def _desk_page(self, request, data, errors, regions, *, status=200, **extra):
        context = {
            **self.admin_site.each_context(request),
            **household_form.context(data, errors, regions=regions, desk=True),
            **extra,
            "title": _("Register a family at the desk"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/registrations/registration/desk_form.html", context, status=status)

    # --- Who entered and decided it, and the receipt ----------------------------

    @admin.display(description=gettext_lazy("entered by"))
    def entered_by(self, obj):
        if obj.submitted_by_id is not None:
            return f"{staff_name(obj.submitted_by)}: {obj.get_channel_display()}"
        return {
            Registration.Channel.ONLINE: _("the citizen, online"),
            Registration.Channel.IMPORT: _("an import of an RW list"),
        }.get(obj.channel, "—")

    @admin.display(description=gettext_lazy("verified or rejected by"))
    def decided_by_shown(self, obj):
        if obj.status == Registration.Status.SUBMITTED:
            return _("not decided yet")
        name = staff_name(obj.decided_by) if obj.decided_by_id is not None else "—"
        if obj.status == Registration.Status.VERIFIED:
            return _("verified by %(name)s") % {"name": name}
        return _("rejected by %(name)s") % {"name": name}

    @admin.display(description=gettext_lazy("receipt"))
    def receipt_link(self, obj):
        return format_html('<a class="button" id="print-receipt-link" href="{}">{}</a>',
                           reverse("admin:registrations_registration_receipt", args=[obj.pk]),
                           _("Print the family's receipt"))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not request.user.has_perm(ADD_PERMISSION):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "receipt_link"]}), *rest]

    def receipt_view(self, request, registration_id: int):
        """The family's receipt, to print: for staff who register families, of
        their area only (permission, then area); each printing is logged."""
        registration = self.scoped_object(request, registration_id, ADD_PERMISSION)
        audit.record(request, audit.Action.EXPORT, "registration", object_id=registration.pk, detail="receipt")
        context = selectors.registration_receipt(registration)
        return TemplateResponse(request, "registrations/receipt.html", {
            **context,
            # The family knows the clerk by name; the username is for colleagues.
            "entered_by": (registration.submitted_by.get_full_name() or registration.submitted_by.get_username())
            if registration.submitted_by_id else "",
            "back_url": reverse("admin:registrations_registration_change", args=[registration.pk]),
            "status_url": request.build_absolute_uri(reverse("registrations:status")),
        })
