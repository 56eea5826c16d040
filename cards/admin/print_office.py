"""The print office (Dinas Kependudukan) works here: lots and stock, the
service mode, the queue by priority, batches and their PDFs, spoilage.
(Dispatches and the kelurahan's pickup desk: ``dispatches`` and ``pickup``.)

Every write goes through ``cards.services``; the admin forms only collect
input and show the services' messages.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from kartusehat import identity
from kartusehat.admin import (
    HistoryMixin,
    IndexedSearchMixin,
    LargeListMixin,
    NoAddDeleteMixin,
    ReadOnlyInline,
    ServiceActionsMixin,
    refusal_to_form,
)
from kartusehat.refusals import Refused

from .. import selectors, services
from ..models import Batch, Card, CardEvent, LedgerEntry, Lot, ServiceMode, Stock


class ServiceFormMixin:
    """Add forms whose save calls a service; its refusals become form errors."""

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        admin_self = self

        class Form(form_class):
            def _post_clean(self):
                # The service validates and writes in save_model; nothing to do here.
                pass

            def clean(self):
                cleaned = super().clean()
                if not self.errors:
                    try:
                        self.instance = admin_self.call_service(request, cleaned, self.instance)
                    except Refused as exc:
                        refusal_to_form(self, exc)
                return cleaned

        return Form

    def save_model(self, request, obj, form, change):
        pass  # written by the service in the form's clean()

    def save_related(self, request, form, formsets, change):
        pass


@admin.register(Lot)
class LotAdmin(ServiceFormMixin, admin.ModelAdmin):
    list_display = ["reference", "budget_year", "quantity", "received_on", "received_by", "created_at"]
    fields = ["reference", "budget_year", "quantity", "received_on"]
    search_fields = ["reference"]

    def call_service(self, request, data, instance):
        return services.stock_receive(
            budget_year=data["budget_year"], quantity=data["quantity"], received_on=data["received_on"],
            reference=data["reference"], by=request.user,
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Stock)
class StockAdmin(NoAddDeleteMixin, admin.ModelAdmin):
    list_display = ["on_hand", "reserved", "emergency_reserve", "regular_available", "consumed", "spoiled", "mode"]
    fields = ["on_hand", "reserved", "emergency_reserve", "received", "adjusted", "consumed", "spoiled"]
    readonly_fields = ["on_hand", "reserved", "received", "adjusted", "consumed", "spoiled"]

    @admin.display(description=_("available for regular cards"))
    def regular_available(self, obj):
        return obj.available_for_regular

    @admin.display(description=_("mode"))
    def mode(self, obj):
        return dict(ServiceMode.Mode.choices)[selectors.current_mode()[0]]

    def save_model(self, request, obj, form, change):
        try:
            services.stock_set_emergency_reserve(count=form.cleaned_data["emergency_reserve"], by=request.user)
        except Refused as exc:
            self.message_user(request, str(exc), messages.ERROR)


class LedgerEntryForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label=_("kind"),
        choices=[(LedgerEntry.Kind.ADJUSTMENT, _("Adjustment (stocktake; negative to remove)")),
                 (LedgerEntry.Kind.SPOILED, _("Spoiled blank cards (damaged before printing)"))],
    )

    class Meta:
        model = LedgerEntry
        fields = ["kind", "quantity", "reason"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ServiceFormMixin, admin.ModelAdmin):
    form = LedgerEntryForm
    list_display = ["at", "kind", "quantity", "on_hand_after", "reserved_after", "lot", "batch", "card", "reason", "by"]
    list_filter = ["kind", ("at", admin.DateFieldListFilter)]
    list_select_related = ["lot", "batch", "card", "by"]

    def call_service(self, request, data, instance):
        if data["kind"] == LedgerEntry.Kind.SPOILED:
            return services.stock_spoil_blanks(quantity=data["quantity"], reason=data["reason"], by=request.user)
        return services.stock_adjust(quantity=data["quantity"], reason=data["reason"], by=request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        return ["kind", "quantity", "reason"] if obj is None else [f.name for f in LedgerEntry._meta.fields]


@admin.register(ServiceMode)
class ServiceModeAdmin(NoAddDeleteMixin, HistoryMixin, SimpleHistoryAdmin):
    list_display = ["current", "forced", "message", "updated_at", "updated_by"]
    fields = ["forced", "message"]

    @admin.display(description=_("mode now"))
    def current(self, obj):
        return dict(ServiceMode.Mode.choices)[selectors.current_mode()[0]]

    def save_model(self, request, obj, form, change):
        try:
            services.mode_force(mode=form.cleaned_data["forced"], message=form.cleaned_data["message"], by=request.user)
        except Refused as exc:
            self.message_user(request, str(exc), messages.ERROR)


class CardEventInline(ReadOnlyInline):
    model = CardEvent
    fields = ["at", "kind", "by", "note"]
    readonly_fields = fields
    ordering = ["at", "id"]
    verbose_name_plural = _("timeline")


class CardReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), min_length=5, max_length=200)


@admin.register(Card)
class CardAdmin(NoAddDeleteMixin, IndexedSearchMixin, LargeListMixin, ServiceActionsMixin, HistoryMixin,
                SimpleHistoryAdmin):
    list_display = ["number", "kk_masked", "status", "priority", "reason", "kind", "copy", "requested_at", "batch",
        "printed_at"]
    list_filter = ["status", "priority", "reason", "kind"]
    search_fields = ["number"]
    search_help_text = _("A card number, whole or its first digits")
    number_lookups = {14: ["number"]}
    prefix_lookups = ["number"]
    list_select_related = ["household", "batch"]
    # Read-only: every change to a card is a step through the services.
    readonly_fields = [
        "number", "kk_masked", "copy", "kind", "replaces", "status", "priority", "reason", "emergency_requests",
        "requested_at", "requested_by", "raised_at", "batch", "printed_at", "cancelled_reason", "dispatch",
        "pickup_deadline", "ready_at", "collected_at", "collected_by_kind", "collected_name", "revoked_at",
        "revoked_reason",
    ]
    fields = readonly_fields
    actions = ["cancel_selected", "spoil_selected"]
    inlines = [CardEventInline]

    def changelist_view(self, request, extra_context=None):
        counts = selectors.queue_counts()
        extra_context = {**(extra_context or {}),
            "title": _("Print queue: %(emergency)d emergency, %(regular)d regular waiting") % counts}
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("KK number"))
    def kk_masked(self, obj):
        return identity.mask(obj.household.kk_number)

    @admin.display(description=_("emergency requests (with the hospital's letter)"))
    def emergency_requests(self, obj):
        # Each request and its letter open in the emergency-request admin,
        # which checks permission and logs the opening.
        requests = list(obj.emergency_requests.select_related("facility").order_by("created_at"))
        if not requests:
            return "—"
        return format_html_join(
            mark_safe("<br>"), '<a href="{}">{} — {} ({})</a>',
            ((reverse("admin:hospitals_emergencyrequest_change", args=[r.pk]), r.facility.name,
              r.get_reason_display(), formats.date_format(timezone.localtime(r.created_at), "DATETIME_FORMAT"))
             for r in requests),
        )

    @admin.action(description=_("Cancel selected queued cards (reason required)"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        return self.apply_with_reason(
            request, queryset, CardReasonForm,
            lambda card, reason: services.card_cancel(card_id=card.pk, reason=reason, by=request.user),
            lambda n: ngettext("%(count)d card cancelled.", "%(count)d cards cancelled.", n) % {"count": n},
            action="cancel_selected", title=_("Cancel cards"),
            intro=_("These cards leave the print queue. Cards in a batch or printed cannot be cancelled."),
            submit_label=_("Cancel cards"),
        )

    @admin.action(description=_("Report selected printed cards as spoiled and print them again"),
        permissions=["change"])
    def spoil_selected(self, request, queryset):
        return self.apply_with_reason(
            request, queryset, CardReasonForm,
            lambda card, reason: services.card_spoil(card_id=card.pk, reason=reason, by=request.user),
            lambda n: ngettext("%(count)d card re-queued; its blank counted as spoiled.",
                               "%(count)d cards re-queued; their blanks counted as spoiled.", n) % {"count": n},
            action="spoil_selected", title=_("Report misprinted cards"),
            intro=_("Each card's blank is recorded as spoiled and the card goes back to the queue at its priority."),
            submit_label=_("Report spoiled"),
        )


class StuckFilter(admin.SimpleListFilter):
    title = _("worker")
    parameter_name = "stuck"

    def lookups(self, request, model_admin):
        return [("1", _("Stopped answering (lease ran out)"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(status__in=[Batch.Status.PENDING, Batch.Status.RENDERING],
                                   lease_until__lt=timezone.now())
        return queryset


@admin.register(Batch)
class BatchAdmin(ServiceActionsMixin, ServiceFormMixin, admin.ModelAdmin):
    list_display = ["id", "status", "state_shown", "cards_count", "progress_shown", "attempts", "emergency_only",
                    "created_at", "created_by", "pdf_link"]
    list_filter = ["status", StuckFilter, "emergency_only"]
    list_select_related = ["created_by"]
    fields = ["size"]
    actions = ["retry_selected", "cancel_selected"]

    def call_service(self, request, data, instance):
        return services.batch_create(size=data["size"], by=request.user)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["size"]
        return ["size", "status", "state_shown", "cards_count", "progress_shown", "emergency_only", "attempts",
                "error", "created_at", "created_by", "claimed_at", "lease_until", "finished_at", "pdf_link"]

    @admin.display(description=_("state"))
    def state_shown(self, obj):
        if obj.stuck:
            return _("Stopped: its worker stopped answering; the cards go back to the queue within a minute, "
                     "or retry it now")
        if obj.status == Batch.Status.FAILED:
            return _("Failed: its cards are back in the queue")
        return "—"

    def has_retry_permission(self, request):
        return request.user.has_perm("cards.add_batch")

    def has_cancel_permission(self, request):
        return request.user.has_perm("cards.add_batch")

    @admin.action(description=_("Retry the selected batches (stopped or failed)"), permissions=["retry"])
    def retry_selected(self, request, queryset):
        self.apply_each(
            request, queryset, lambda batch: services.batch_retry(batch_id=batch.pk, by=request.user),
            lambda n: ngettext("%(count)d batch sent to be printed again.",
                               "%(count)d batches sent to be printed again.", n) % {"count": n},
        )

    @admin.action(description=_("Cancel the selected batches (their cards go back to the queue)"),
                  permissions=["cancel"])
    def cancel_selected(self, request, queryset):
        return self.apply_with_reason(
            request, queryset, CardReasonForm,
            lambda batch, reason: services.batch_cancel(batch_id=batch.pk, reason=reason, by=request.user),
            lambda n: ngettext("%(count)d batch cancelled; its cards are back in the queue.",
                               "%(count)d batches cancelled; their cards are back in the queue.", n)
            % {"count": n},
            action="cancel_selected", title=_("Cancel print batches"),
            intro=_("Nothing of these batches is printed. Their cards go back to the queue at their place, "
                    "and their blanks are free again."),
            submit_label=_("Cancel the batches"),
        )

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    @admin.display(description=_("progress"))
    def progress_shown(self, obj):
        return f"{obj.progress}%"

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj):
        if obj.status != Batch.Status.DONE or not obj.pdf:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:cards_batch_pdf", args=[obj.pk]), _("Download"))

    def get_urls(self):
        return [
            path("<int:batch_id>/pdf/", self.admin_site.admin_view(self.pdf_view), name="cards_batch_pdf"),
            *super().get_urls(),
        ]

    def pdf_view(self, request, batch_id: int):
        batch = Batch.objects.filter(pk=batch_id, status=Batch.Status.DONE).exclude(pdf="").first()
        if batch is None or not self.has_view_permission(request, batch):
            raise Http404
        return FileResponse(batch.pdf.open("rb"), content_type="application/pdf", as_attachment=True,
                            filename=f"kartu-sehat-batch-{batch.pk}.pdf")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(request, _("Batch #%(id)d created; a worker renders it in the background.") % {"id": obj.pk})
        return HttpResponseRedirect(reverse("admin:cards_batch_changelist"))
