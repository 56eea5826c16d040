"""Dispatches in the admin: the print office sends printed cards to a
kelurahan (with a manifest for the courier); the kelurahan confirms receipt,
reports missing cards and passes an RW's cards to its coordinator.

Scoped to the user's area: a kelurahan sees and acts on its own dispatches
only. Each page and manifest needs its permission as well as the area (a
city-wide role without it gets 403). Every write goes through
``cards.services``; pages and manifests are recorded in the access log.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kartusehat import areas, audit
from kartusehat.admin import (
    AreaKelurahanFilter,
    AreaScopedMixin,
    AuditedReadsMixin,
    NoAddDeleteMixin,
    ReadOnlyInline,
    RobustChangelistMixin,
    ServiceActionsMixin,
    form_page,
    refusal_to_form,
)
from kartusehat.refusals import Refused

from .. import manifests, selectors, services
from ..models import Card, Dispatch, DispatchItem, Handover


def _manifest_response(request, rows, *, fmt: str, filename: str, title: str, lines: list[str],
    object_id) -> HttpResponse:
    audit.record(request, audit.Action.EXPORT, "manifest", object_id=object_id, detail=f"{fmt} {filename}")
    if fmt == "csv":
        response = HttpResponse(manifests.manifest_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(manifests.manifest_pdf(rows, title=title, lines=lines), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


class DispatchAddForm(forms.Form):
    """One kelurahan, or all at once (each then gets its own office as the place)."""

    ALL = "*"
    kelurahan = forms.ChoiceField(label=_("kelurahan"))
    pickup_place = forms.CharField(
        label=_("pickup place"), max_length=200, required=False,
        help_text=_("Empty: the kelurahan office (Kantor Kelurahan …)."),
    )
    pickup_deadline = forms.DateField(
        label=_("collect by"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: %(days)d days from today.") % {"days": settings.PICKUP_DAYS},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        waiting = selectors.printed_waiting_by_kelurahan(areas.kelurahan_ids_in_area(user))
        self.fields["kelurahan"].choices = [
            (self.ALL, _("Every kelurahan with printed cards waiting (%(count)d)") % {"count": len(waiting)}),
            *((code, f"{name} ({count})") for code, name, count in waiting),
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kelurahan") == self.ALL and cleaned.get("pickup_place"):
            self.add_error("pickup_place", _("When sent to every kelurahan, each card waits at its own kelurahan "
                                             "office: leave the place empty, or choose one kelurahan."))
        return cleaned


class DispatchReceiveForm(forms.Form):
    missing = forms.MultipleChoiceField(
        label=_("cards that did NOT arrive"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick only cards missing from the package. They are revoked at once and printed again."),
    )

    def __init__(self, *args, cards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missing"].choices = [(str(row_id), label) for row_id, label in cards]


class HandoverForm(forms.Form):
    rw = forms.CharField(label=_("RW"), max_length=3)
    coordinator_name = forms.CharField(label=_("RW coordinator"), max_length=150)
    coordinator_phone = forms.CharField(label=_("coordinator's phone"), max_length=20, required=False)
    pickup_place = forms.CharField(
        label=_("pickup place"), max_length=200, help_text=_("Where residents of this RW now collect their cards."),
    )


def may_take_manifests(user) -> bool:
    """Manifests are for whoever sends a dispatch (the print office) or receives
    it (the kelurahan): reading dispatches, as an auditor does, is not enough to
    take a list of names and addresses away."""
    return user.has_perm("cards.add_dispatch") or user.has_perm("cards.receive_dispatch")


class DispatchPartInline(ReadOnlyInline):
    """Part of a dispatch page: whoever may see the dispatch (in its area) sees it."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("cards.view_dispatch")


class DispatchItemInline(DispatchPartInline):
    model = DispatchItem
    fields = ["number", "head_name", "rt", "rw", "status", "handover"]
    readonly_fields = fields
    verbose_name_plural = _("cards in this dispatch")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("card__household", "handover").prefetch_related(
            "card__household__members"
        )

    @admin.display(description=_("card number"))
    def number(self, obj):
        return obj.card.number

    @admin.display(description=_("head of household"))
    def head_name(self, obj):
        head = obj.card.household.head()
        return head.full_name if head else "—"

    @admin.display(description="RT")
    def rt(self, obj):
        return obj.card.household.rt

    @admin.display(description="RW")
    def rw(self, obj):
        return obj.card.household.rw

    @admin.display(description=_("status now"))
    def status(self, obj):
        return obj.card.get_status_display()


class HandoverInline(DispatchPartInline):
    model = Handover
    fields = ["rw", "coordinator_name", "coordinator_phone", "pickup_place", "created_at", "created_by", "manifests"]
    readonly_fields = fields

    def get_fields(self, request, obj=None):
        if may_take_manifests(request.user):
            return self.fields
        return [field for field in self.fields if field != "manifests"]

    @admin.display(description=_("manifest"))
    def manifests(self, obj):
        return format_html_join(
            " · ", '<a href="{}">{}</a>',
            ((reverse("admin:cards_dispatch_handover_manifest", args=[obj.dispatch_id, obj.pk, fmt]), fmt.upper())
             for fmt in ("pdf", "csv")),
        )


@admin.register(Dispatch)
class DispatchAdmin(NoAddDeleteMixin, AreaScopedMixin, AuditedReadsMixin, ServiceActionsMixin, RobustChangelistMixin,
                    admin.ModelAdmin):
    audit_type = "dispatch"
    list_display = ["id", "kelurahan_name", "status", "cards_count", "missing_count", "created_at", "pickup_deadline",
                    "received_at", "manifest_links"]
    list_filter = ["status", AreaKelurahanFilter]
    list_select_related = ["kelurahan"]
    fields = ["kelurahan", "status", "cards_count", "missing_count", "pickup_place", "pickup_deadline", "created_at",
              "created_by", "received_at", "received_by", "next_steps", "manifest_links"]
    readonly_fields = fields
    inlines = [HandoverInline, DispatchItemInline]

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("cards.add_dispatch")

    def has_change_permission(self, request, obj=None):
        return False

    def get_list_display(self, request):
        if may_take_manifests(request.user):
            return self.list_display
        return [field for field in self.list_display if field != "manifest_links"]

    def get_fields(self, request, obj=None):
        if may_take_manifests(request.user):
            return self.fields
        return [field for field in self.fields if field != "manifest_links"]

    @admin.display(description=_("kelurahan"), ordering="kelurahan__name")
    def kelurahan_name(self, obj):
        return obj.kelurahan.name

    @admin.display(description=_("manifest"))
    def manifest_links(self, obj):
        return format_html_join(
            " · ", '<a href="{}">{}</a>',
            ((reverse("admin:cards_dispatch_manifest", args=[obj.pk, fmt]), fmt.upper()) for fmt in ("pdf", "csv")),
        )

    @admin.display(description=_("next step"))
    def next_steps(self, obj):
        if obj.status == Dispatch.Status.SENT:
            return format_html('<a class="button" href="{}">{}</a>', reverse("admin:cards_dispatch_receive",
                args=[obj.pk]),
                               _("Confirm it arrived"))
        return format_html('<a class="button" href="{}">{}</a>', reverse("admin:cards_dispatch_handover",
            args=[obj.pk]),
                           _("Pass an RW's cards to its coordinator"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:dispatch_id>/receive/", view(self.receive_view), name="cards_dispatch_receive"),
            path("<int:dispatch_id>/handover/", view(self.handover_view), name="cards_dispatch_handover"),
            path("<int:dispatch_id>/manifest.<str:fmt>", view(self.manifest_view), name="cards_dispatch_manifest"),
            path("<int:dispatch_id>/handover/<int:handover_id>/manifest.<str:fmt>", view(self.handover_manifest_view),
                 name="cards_dispatch_handover_manifest"),
            *super().get_urls(),
        ]

    def _manifest_dispatch(self, request, dispatch_id: int) -> Dispatch:
        if not may_take_manifests(request.user):
            raise PermissionDenied
        return self.scoped_object(request, dispatch_id)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DispatchAddForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if data["kelurahan"] == DispatchAddForm.ALL:
                    sent = services.dispatch_create_all(by=request.user, pickup_deadline=data["pickup_deadline"])
                else:
                    sent = [services.dispatch_create(
                        kelurahan_code=data["kelurahan"], by=request.user, pickup_place=data["pickup_place"],
                        pickup_deadline=data["pickup_deadline"],
                    )]
            except Refused as exc:
                refusal_to_form(form, exc)
            else:
                cards = sum(d.cards_count for d in sent)
                self.message_user(request, ngettext(
                    "%(count)d dispatch sent. Print its manifest for the courier.",
                    "%(count)d dispatches sent. Print their manifests for the courier.",
                    len(sent),
                ) % {"count": len(sent)} + " " + ngettext("(%(cards)d card)", "(%(cards)d cards)",
                    cards) % {"cards": cards},
                    messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:cards_dispatch_changelist"))
        return form_page(self, request, form, title=_("Send printed cards to a kelurahan"), submit_label=_("Send"),
                          intro=_("Every printed card of the kelurahan that is not on its way yet goes into one "
                              "dispatch. "
                                  "The kelurahan confirms when it arrives; then the cards are ready for pickup."))

    def receive_view(self, request, dispatch_id: int):
        dispatch = self.scoped_object(request, dispatch_id, "cards.receive_dispatch")
        if dispatch.status == Dispatch.Status.RECEIVED:
            self.message_user(request, _("This dispatch was confirmed by %(user)s. Report a card that is not there as "
                                         "lost.") % {"user": dispatch.received_by}, messages.WARNING)
            return HttpResponseRedirect(reverse("admin:cards_dispatch_change", args=[dispatch.pk]))
        waiting = Card.objects.filter(dispatch=dispatch, status=Card.Status.DISPATCHED)
        ids = dict(waiting.values_list("number", "pk"))
        choices = [(ids[row.number], f"{row.number} — {row.head} — RT {row.rt}/RW {row.rw}")
                   for row in manifests.manifest_rows(waiting)]
        form = DispatchReceiveForm(request.POST or None, cards=choices)
        if request.method == "POST" and form.is_valid():
            try:
                services.dispatch_receive(dispatch_id=dispatch.pk, by=request.user,
                    missing_card_ids=form.cleaned_data["missing"])
            except Refused as exc:
                refusal_to_form(form, exc)
            else:
                self.message_user(request, _("Dispatch #%(id)d received; its cards are ready for pickup and the "
                                             "households are being told.") % {"id": dispatch.pk}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:cards_dispatch_change", args=[dispatch.pk]))
        return form_page(
            self, request, form, title=_("Confirm dispatch #%(id)d arrived") % {"id": dispatch.pk},
            submit_label=_("Confirm receipt"),
            intro=_("Check the cards against the manifest. If all arrived, just confirm."),
            facts=[(_("kelurahan"), dispatch.kelurahan.name), (_("cards sent"), dispatch.cards_count),
                   (_("pickup place"), dispatch.pickup_place), (_("collect by"), dispatch.pickup_deadline)],
            cancel_url=reverse("admin:cards_dispatch_change", args=[dispatch.pk]),
        )

    def handover_view(self, request, dispatch_id: int):
        dispatch = self.scoped_object(request, dispatch_id, "cards.receive_dispatch")
        form = HandoverForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                handover = services.dispatch_hand_over(dispatch_id=dispatch.pk, by=request.user, **form.cleaned_data)
            except Refused as exc:
                refusal_to_form(form, exc)
            else:
                self.message_user(request, ngettext(
                    "%(count)d card of RW %(rw)s passed to %(name)s. Print the manifest for the coordinator.",
                    "%(count)d cards of RW %(rw)s passed to %(name)s. Print the manifest for the coordinator.",
                    handover.cards.count(),
                ) % {"count": handover.cards.count(), "rw": handover.rw, "name": handover.coordinator_name},
                messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:cards_dispatch_change", args=[dispatch.pk]))
        return form_page(
            self, request, form, title=_("Pass cards to an RW coordinator"), submit_label=_("Pass the cards on"),
            intro=_("The cards of this dispatch still waiting for households of the RW go to the coordinator; "
                    "the households are told the new pickup place."),
            cancel_url=reverse("admin:cards_dispatch_change", args=[dispatch.pk]),
        )

    def manifest_view(self, request, dispatch_id: int, fmt: str):
        dispatch = self._manifest_dispatch(request, dispatch_id)
        if fmt not in ("pdf", "csv"):
            raise Http404
        rows = manifests.manifest_rows(manifests.dispatch_cards(dispatch))
        return _manifest_response(
            request, rows, fmt=fmt, filename=f"manifest-pengiriman-{dispatch.pk}", object_id=dispatch.pk,
            title=_("Kartu Sehat dispatch #%(id)d to Kelurahan %(kelurahan)s") % {"id": dispatch.pk,
                "kelurahan": dispatch.kelurahan.name},
            lines=[_("Pickup place: %(place)s · collect by %(date)s") % {
                "place": dispatch.pickup_place, "date": dispatch.pickup_deadline.strftime("%d-%m-%Y")}],
        )

    def handover_manifest_view(self, request, dispatch_id: int, handover_id: int, fmt: str):
        dispatch = self._manifest_dispatch(request, dispatch_id)
        handover = Handover.objects.filter(pk=handover_id, dispatch=dispatch).first()
        if handover is None or fmt not in ("pdf", "csv"):
            raise Http404
        rows = manifests.manifest_rows(manifests.dispatch_cards(dispatch, handover))
        return _manifest_response(
            request, rows, fmt=fmt, filename=f"manifest-rw-{handover.rw}-{dispatch.pk}", object_id=dispatch.pk,
            title=_("Kartu Sehat of RW %(rw)s, Kelurahan %(kelurahan)s") % {"rw": handover.rw,
                "kelurahan": dispatch.kelurahan.name},
            lines=[_("RW coordinator: %(name)s · pickup place: %(place)s") % {
                "name": handover.coordinator_name, "place": handover.pickup_place}],
        )
