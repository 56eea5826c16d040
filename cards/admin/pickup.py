"""Cards at the kelurahan in the admin: arriving, waiting, collected.

Each kelurahan records who collected a card, extends deadlines, returns
uncollected cards to the print office and asks for reprints, for its own
cards only (``AreaScopedMixin``). The print office reads the outbox of
messages to households here too.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kartusehat.admin import (
    AreaKelurahanFilter,
    AreaScopedMixin,
    AuditedReadsMixin,
    IndexedSearchMixin,
    LargeListMixin,
    NoAddDeleteMixin,
    RobustChangelistMixin,
    ServiceActionsMixin,
    form_page,
    refusal_to_form,
    shown_number,
)
from kartusehat.refusals import Refused
from registrations.models import Relationship

from .. import selectors, services
from ..models import Card, Notification, PickupCard
from .print_office import CardEventInline


class OverdueFilter(admin.SimpleListFilter):
    title = _("pickup deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("1", _("Past the deadline, not collected")), ("7", _("Deadline within 7 days"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "1":
            return queryset.filter(pk__in=selectors.cards_overdue(on=today).values("pk"))
        if self.value() == "7":
            return queryset.filter(status=Card.Status.READY, pickup_deadline__gte=today,
                                   pickup_deadline__lte=today + dt.timedelta(days=7))
        return queryset


class PickupKelurahanFilter(AreaKelurahanFilter):
    field_path = "household__kelurahan__code"


class CollectForm(forms.Form):
    collector = forms.ChoiceField(label=_("collected by"), choices=Card.Collector.choices, widget=forms.RadioSelect)
    member = forms.ModelChoiceField(label=_("member"), queryset=None, required=False,
                                    help_text=_("If a member of the household other than the head collected it."))
    proxy_name = forms.CharField(label=_("proxy's name"), max_length=150, required=False)
    proxy_id_number = forms.CharField(label=_("proxy's NIK (e-KTP)"), max_length=30, required=False)

    def __init__(self, *args, card, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = card.household.members.filter(end_date__isnull=True).exclude(
            relationship=Relationship.KEPALA_KELUARGA
        )


class DeadlineForm(forms.Form):
    until = forms.DateField(label=_("new deadline"), widget=forms.DateInput(attrs={"type": "date"}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}), min_length=5, max_length=200)


class ReprintForm(forms.Form):
    kind = forms.ChoiceField(label=_("why"), choices=list(services.REPRINT_REASONS.items()), widget=forms.RadioSelect)
    returned_damaged = forms.BooleanField(
        label=_("the damaged card was handed back"), required=False,
        help_text=_("Its blank is recorded as spoiled in the blanko ledger."),
    )
    note = forms.CharField(label=_("note"), max_length=150, required=False)


@admin.register(PickupCard)
class PickupCardAdmin(NoAddDeleteMixin, AreaScopedMixin, IndexedSearchMixin, LargeListMixin, AuditedReadsMixin,
                      ServiceActionsMixin, RobustChangelistMixin, admin.ModelAdmin):
    kelurahan_path = "household__kelurahan"
    audit_type = "card"
    list_display = ["number", "kk_shown", "head_name", "rt", "rw", "status", "pickup_place_shown", "pickup_deadline",
                    "overdue", "collect_link"]
    list_filter = ["status", OverdueFilter, PickupKelurahanFilter]
    search_fields = ["number", "household__kk_number", "household__members__nik", "household__members__full_name"]
    search_help_text = _("A card number, a KK or NIK, or a name")
    number_lookups = {14: ["number"], 16: ["household__kk_number", "household__members__nik"]}
    prefix_lookups = ["number"]
    name_lookup = "household__members__full_name"
    list_select_related = ["household__kelurahan", "dispatch", "handover"]
    # Newest cards first, on the primary key.
    ordering = ["-id"]
    readonly_fields = ["number", "copy", "kind", "kk_shown", "head_name", "rt", "rw", "status", "pickup_place_shown",
                       "pickup_deadline", "ready_at", "collected_at", "collected_by_kind", "collected_name",
                       "collector_nik",
                       "collection_recorded_by", "revoked_at", "revoked_reason", "replaces", "next_steps"]
    fields = readonly_fields
    inlines = [CardEventInline]
    actions = ["extend_selected", "return_selected"]

    def get_queryset(self, request):
        # The kelurahan's part of a card's life: from the dispatch on (a card
        # returned to the print office is the print office's again).
        return super().get_queryset(request).filter(
            status__in=[Card.Status.DISPATCHED, Card.Status.READY, Card.Status.COLLECTED, Card.Status.REVOKED]
        ).exclude(status=Card.Status.REVOKED, dispatch__isnull=True, collected_at__isnull=True).prefetch_related(
            "household__members"
        )

    def has_change_permission(self, request, obj=None):
        return False

    def _head(self, obj):
        return obj.household.head()

    @admin.display(description=_("KK number"))
    def kk_shown(self, obj):
        return shown_number(obj, obj.household.kk_number)

    @admin.display(description=_("head of household"))
    def head_name(self, obj):
        head = self._head(obj)
        return head.full_name if head else "—"

    @admin.display(description="RT", ordering="household__rt")
    def rt(self, obj):
        return obj.household.rt

    @admin.display(description="RW", ordering="household__rw")
    def rw(self, obj):
        return obj.household.rw

    @admin.display(description=_("pickup place"))
    def pickup_place_shown(self, obj):
        return obj.pickup_place or "—"

    @admin.display(description=_("past the deadline"), boolean=True)
    def overdue(self, obj):
        return obj.status == Card.Status.READY and obj.pickup_deadline < timezone.localdate()

    @admin.display(description=_("collector's NIK"))
    def collector_nik(self, obj):
        return shown_number(obj, obj.collected_id_number) if obj.collected_id_number else "—"

    @admin.display(description="")
    def collect_link(self, obj):
        if obj.status != Card.Status.READY:
            return ""
        return format_html('<a href="{}">{}</a>', reverse("admin:cards_pickupcard_collect", args=[obj.pk]),
            _("Record pickup"))

    @admin.display(description=_("next step"))
    def next_steps(self, obj):
        links = []
        if obj.status == Card.Status.READY:
            links.append((reverse("admin:cards_pickupcard_collect", args=[obj.pk]), _("Record pickup")))
        if obj.status in (Card.Status.DISPATCHED, Card.Status.READY, Card.Status.COLLECTED):
            links.append((reverse("admin:cards_pickupcard_reprint", args=[obj.pk]), _("Lost or damaged: reprint")))
        if not links:
            return "—"
        return format_html_join(mark_safe(" "), '<a class="button" href="{}">{}</a>', links)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:card_id>/collect/", view(self.collect_view), name="cards_pickupcard_collect"),
            path("<int:card_id>/reprint/", view(self.reprint_view), name="cards_pickupcard_reprint"),
            *super().get_urls(),
        ]

    def _card(self, request, card_id: int, perm: str) -> Card:
        return self.scoped_object(request, card_id, perm)

    def _facts(self, card):
        head = self._head(card)
        return [(_("card number"), card.number), (_("head of household"), head.full_name if head else "—"),
                (_("RT/RW"), f"{card.household.rt}/{card.household.rw}"), (_("status"), card.get_status_display())]

    def collect_view(self, request, card_id: int):
        card = self._card(request, card_id, "cards.collect_card")
        form = CollectForm(request.POST or None, card=card)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.card_collect(
                    card_id=card.pk, by=request.user, collector=data["collector"],
                    member_id=data["member"].pk if data["member"] else None,
                    proxy_name=data["proxy_name"], proxy_id_number=data["proxy_id_number"],
                )
            except Refused as exc:
                refusal_to_form(form, exc)
            else:
                self.message_user(request, _("Card %(number)s recorded as collected.") % {"number": card.number},
                    messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:cards_pickupcard_changelist"))
        return form_page(self, request, form, title=_("Record who collected card %(number)s") % {"number": card.number},
                          submit_label=_("Record pickup"), facts=self._facts(card),
                          intro=_("Check the e-KTP of the person collecting the card against the household."))

    def reprint_view(self, request, card_id: int):
        card = self._card(request, card_id, "cards.reprint_card")
        form = ReprintForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                new = services.card_reprint(card_id=card.pk, kind=data["kind"], by=request.user, note=data["note"],
                                            returned_damaged=data["returned_damaged"])
            except Refused as exc:
                refusal_to_form(form, exc)
            else:
                self.message_user(request, _("Card %(old)s is revoked; its replacement %(new)s is in the print queue.")
                                  % {"old": card.number, "new": new.number}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:cards_pickupcard_changelist"))
        return form_page(self, request, form, title=_("Replace card %(number)s") % {"number": card.number},
                          submit_label=_("Revoke and reprint"), facts=self._facts(card),
                          intro=_("The card is revoked at once: hospitals will see it is no longer valid. "
                                  "A new card (the next copy) joins the print queue."))

    @admin.action(description=_("Extend the pickup deadline of the selected cards"), permissions=["manage"])
    def extend_selected(self, request, queryset):
        return self.apply_with_form(
            request, queryset, DeadlineForm,
            lambda card, data: services.card_extend_deadline(card_id=card.pk, until=data["until"], by=request.user),
            lambda n: ngettext("The pickup deadline of %(count)d card was extended.",
                               "The pickup deadline of %(count)d cards was extended.", n) % {"count": n},
            action="extend_selected", title=_("Extend the pickup deadline"),
            intro=_("The selected cards wait until the new date."), submit_label=_("Extend"),
        )

    @admin.action(description=_("Return the selected cards to the print office (not collected)"),
        permissions=["manage"])
    def return_selected(self, request, queryset):
        return self.apply_with_reason(
            request, queryset, ReasonForm,
            lambda card, reason: services.card_return(card_id=card.pk, reason=reason, by=request.user),
            lambda n: ngettext("%(count)d card returned to the print office.",
                "%(count)d cards returned to the print office.", n)
            % {"count": n},
            action="return_selected", title=_("Return cards to the print office"),
            intro=_("These cards were not collected. They go back to the print office, which can send them again."),
            submit_label=_("Return"),
        )

    def has_manage_permission(self, request):
        return request.user.has_perm("cards.manage_pickup")


@admin.register(Notification)
class NotificationAdmin(NoAddDeleteMixin, admin.ModelAdmin):
    list_display = ["at", "card", "kind", "backend", "recipient", "status", "error"]
    list_filter = ["status", "backend"]
    search_fields = ["card__number"]
    list_select_related = ["card"]

    def has_change_permission(self, request, obj=None):
        return False
