"""The admin toolkit every app's staff pages are built from.

Mixins, each doing one thing, combined per ModelAdmin:

- :class:`AreaScopedMixin`: every list, search, filter, page and action only
  reaches rows inside the staff user's area (``kartusehat.areas``); a row
  elsewhere behaves as if it did not exist, and trying is recorded (combine
  it with :class:`ServiceActionsMixin` for actions);
- :class:`AuditedReadsMixin`: listing, searching, opening a record and
  reading its history each leave one access-log row (``kartusehat.audit``);
- :class:`HistoryMixin`: history readable by staff and read-only (reverting
  would bypass the services);
- :class:`ServiceActionsMixin`: actions that call a service per selected row
  and report each refusal (``kartusehat.refusals``) beside what succeeded;
- :class:`NoAddDeleteMixin`, :class:`RobustChangelistMixin`,
  :class:`ReadOnlyInline`;
- :class:`CheckedChoicesMixin`: a crafted id in a choice field (an
  autocomplete's ``facility=abc``) is a form error, not a 500.

And helpers for the admin's own pages: :func:`form_page`,
:func:`reason_page`, :func:`refusal_to_form`, :func:`shown_number`.
"""

from __future__ import annotations

import datetime
import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from . import areas, audit, identity
from .refusals import Refused
from .text import one_line


def shown_number(obj, number: str) -> str:
    """Full digits for staff of the record's own area, masked for anyone else.

    ``full_view`` is annotated by the admin's queryset for the requesting
    user (``areas.annotate_full_view``); without it, mask.
    """
    return number if getattr(obj, "full_view", False) else identity.mask(number)


def refusal_to_form(form, refusal: Exception, *, renames: dict | None = None) -> None:
    """A service's refusal shown on the form: each message beside the field it
    names (``renames`` maps service fields to form fields), the rest on top."""
    errors = getattr(refusal, "errors", None)
    if not isinstance(errors, dict):
        form.add_error(None, str(refusal))
        return
    for field, field_messages in errors.items():
        field = (renames or {}).get(field, field)
        form.add_error(field if field in form.fields else None, field_messages)


def form_page(model_admin, request, form, *, title, intro, submit_label=None, facts=(), cancel_url=None):
    """An admin page of our own with one form (admin/kartusehat_form.html)."""
    return TemplateResponse(request, "admin/kartusehat_form.html", {
        **model_admin.admin_site.each_context(request),
        "title": title, "intro": intro, "form": form, "opts": model_admin.model._meta,
        "submit_label": submit_label, "facts": facts, "cancel_url": cancel_url,
    })


def reason_page(model_admin, request, queryset, form, *, action, title, intro, submit_label):
    """The intermediate page of an action that asks for something first (a reason, a date)."""
    return TemplateResponse(request, "admin/kartusehat_reason_form.html", {
        **model_admin.admin_site.each_context(request),
        "title": title, "intro": intro, "submit_label": submit_label, "form": form, "objects": queryset,
        "opts": model_admin.model._meta, "action_checkbox_name": ACTION_CHECKBOX_NAME, "action": action,
    })


class AreaKelurahanFilter(admin.SimpleListFilter):
    """Kelurahan filter offering only the kelurahan in the user's area."""

    title = _("kelurahan")
    parameter_name = "kelurahan"
    field_path = "kelurahan__code"

    def lookups(self, request, model_admin):
        return [(r.code, r.name) for r in areas.kelurahan_in_area(request.user).order_by("name")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        # Only a code this filter offered: anything else (another area, a
        # crafted value) matches nothing rather than reaching the database.
        if self.value() not in {code for code, _name in self.lookup_choices}:
            return queryset.none()
        return queryset.filter(**{self.field_path: self.value()})


class NoAddDeleteMixin:
    """Rows come from the services; the admin never creates or deletes them,
    so nothing bypasses the rules."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RobustChangelistMixin:
    """Crafted list parameters get the admin's "invalid parameters" page, not
    an error page."""

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except (OverflowError, ValueError) as exc:  # e.g. ?submitted_at__year=99999999999
            raise IncorrectLookupParameters(exc) from exc


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    """History diffs as staff read them: labels instead of codes, local
    times, and "—" for an empty value (not "Deleted … (pk=None)")."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if value in (None, "") or (isinstance(value, DeletedObject) and value.pk is None):
            return "—"
        if getattr(field, "flatchoices", None):
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, datetime.datetime):
            return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
        return value


class HistoryMixin:
    """For django-simple-history admins: readable diffs, a read-only version
    page (its POST would revert, bypassing the services), and no history row
    for a "Save" that changed nothing."""

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryHelper(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        if not str(version_id).isdigit():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return
        super().save_model(request, obj, form, change)


class AuditedReadsMixin:
    """Each list, search, opened record and history page leaves one access-log row.

    ``audit_type`` names what was read (default: the model's name);
    :meth:`audit_object_id` what identifies a record in the log (default:
    its id). A list records its filters; a search records the term, masked.
    """

    audit_type = ""

    def audit_name(self) -> str:
        return self.audit_type or self.model._meta.model_name

    def audit_object_id(self, request, object_id):
        """How the log names the record opened; None: record nothing."""
        return object_id

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if getattr(response, "status_code", None) == 200 and request.method == "GET":
            query = request.GET.copy()
            term = one_line(query.pop(SEARCH_VAR, [""])[-1])
            if term:
                rest = query.urlencode()
                detail = f"{term} ({rest})" if rest else term
                audit.record(request, audit.Action.SEARCH, self.audit_name(), detail=detail[:200])
            else:
                audit.record(request, audit.Action.LIST, self.audit_name(), detail=request.GET.urlencode()[:200])
        return response

    def _record_read(self, request, response, action, object_id) -> None:
        if getattr(response, "status_code", None) != 200:
            return
        shown = self.audit_object_id(request, object_id)
        if shown is not None:
            audit.record(request, action, self.audit_name(), object_id=shown)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self._record_read(request, response, audit.Action.VIEW, object_id)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self._record_read(request, response, audit.Action.HISTORY, object_id)
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        self._record_read(request, response, audit.Action.HISTORY, object_id)
        return response


class EstimatedCountPaginator(Paginator):
    """Counts a long list from the planner's estimate instead of counting it.

    ``SELECT count(*)`` of a city-wide list (or of everyone named "Siti")
    reads hundreds of thousands of rows for a figure nobody needs exactly;
    ``EXPLAIN`` costs a millisecond. Short lists, where the estimate says so,
    are counted exactly. On SQLite (the embedded default, small) always exact.
    """

    EXACT_BELOW = 5_000
    # Counting this costly (the planner's units) would take a good part of the page's time.
    COST_AT_MOST = 20_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if connection.vendor == "postgresql" and hasattr(queryset, "explain"):
            try:
                plan = json.loads(queryset.order_by().explain(format="json"))[0]["Plan"]
                estimate, cost = int(plan["Plan Rows"]), float(plan["Total Cost"])
            except (ValueError, KeyError, IndexError, TypeError):
                # No plan to read (a list that can match nothing explains as
                # nothing): counting it costs nothing.
                return super().count
            if estimate >= self.EXACT_BELOW or cost > self.COST_AT_MOST:
                self.estimated = True  # the pages say "about" (templates/admin/pagination.html)
                return estimate
        return super().count

    estimated = False


class LargeListMixin:
    """For lists of a whole city: estimated counts, and no second count of the
    unfiltered list ("N results (M total)").

    Pages of 50 rows, not the admin's 100: the admin renders each cell in
    Python (~0.8 ms a row of ten columns), a search walks the list's order
    until the page is full, and kelurahan offices open these pages over
    slow connections. Nobody reads the hundredth row before searching.
    """

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_per_page = 50


class IndexedSearchMixin:
    """Search the way staff search, through the indexes, never ``%…%`` over numbers.

    - A whole number is looked up by equality: ``number_lookups`` maps a count
      of digits (16: a NIK or a KK; 14: a card number) to the fields it may be;
    - the first digits of a number (6 or more) by prefix: ``prefix_lookups``;
    - anything else without digits as a name: every word must be in the same
      person's name (``name_lookup``; a trigram index on PostgreSQL).

    A number's matches are read first, each through its own index, and the
    list is then filtered by their ids (``pk IN (1, 2)``): combined with
    ``OR`` in one query, the planner cannot tell that a NIK matches one row
    and walks the whole table in list order instead. Through a to-many
    relation a name's match is a subquery (``pk IN (…)``), so the list needs
    no ``DISTINCT``.
    """

    number_lookups: dict[int, list[str]] = {}
    prefix_lookups: list[str] = []
    name_lookup: str = ""
    # More matches than this (a short prefix) are left to a subquery.
    IDS_AT_MOST = 2_000

    def _matching(self, lookups: list[str], value) -> Q:
        ids: set = set()
        for lookup in lookups:
            found = list(self.model._default_manager.filter(**{lookup: value})
                         .values_list("pk", flat=True)[:self.IDS_AT_MOST + 1])
            if len(found) > self.IDS_AT_MOST:
                return _any(Q(pk__in=self.model._default_manager.filter(**{each: value}).values("pk"))
                            for each in lookups)
            ids.update(found)
        return Q(pk__in=sorted(ids))

    def search_q(self, term: str) -> Q | None:
        """The condition ``term`` searches for; None: nothing can match."""
        digits = identity.normalize(term)
        if digits.isascii() and digits.isdigit():
            if len(digits) in self.number_lookups:
                return self._matching(self.number_lookups[len(digits)], digits)
            if len(digits) >= 6 and self.prefix_lookups:
                return self._matching([f"{lookup}__startswith" for lookup in self.prefix_lookups], digits)
        # Names hold no digits (the forms refuse them): a term with one is a
        # number typed wrong or a code, and never worth a scan of every name.
        if not self.name_lookup or any(ch.isdigit() for ch in term):
            return None
        words = term.split()[:5]
        if not words:
            return None
        return _through(self.model, self.name_lookup.split("__"), words)

    def get_search_results(self, request, queryset, search_term):
        term = one_line(search_term)[:100]
        if not term:
            return queryset, False
        condition = self.search_q(term)
        return (queryset.filter(condition) if condition is not None else queryset.none()), False


def _through(model, path: list[str], words: list[str]) -> Q:
    """Every word in the name at the end of ``path``, as a condition on ``model``:
    across a relation, a subquery on the related table alone (``household_id IN
    (SELECT household_id FROM member WHERE …)``), which its trigram index serves."""
    field = model._meta.get_field(path[0])
    if len(path) == 1:
        condition = Q()
        for word in words:
            condition &= Q(**{f"{field.name}__icontains": word})
        return condition
    related = field.related_model
    inner = related._default_manager.filter(_through(related, path[1:], words))
    if field.one_to_many:  # reverse foreign key: the related rows point here
        return Q(pk__in=inner.values(field.field.attname))
    return Q(**{f"{field.attname}__in": inner.values("pk")})


def _any(conditions) -> Q:
    result = Q()
    for condition in conditions:
        result |= condition
    return result


class ServiceActionsMixin:
    """Admin actions that call a service for each selected row and report
    each refusal (one of ``action_errors``) beside the rows that succeeded."""

    action_errors: tuple = (Refused,)

    def response_action(self, request, queryset):
        # A crafted selection (not ids) gets a message, not an error page.
        if any(not value.isdigit() for value in request.POST.getlist(ACTION_CHECKBOX_NAME)):
            self.message_user(request, _("The selection is not valid; nothing was done."), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)

    def apply_each(self, request, queryset, do, done_message):
        done, failed = 0, []
        # Re-read through get_queryset: an action must never reach a row the
        # changelist would not show (another area's, in a crafted POST).
        for obj in self.get_queryset(request).filter(pk__in=queryset.values("pk")):
            try:
                do(obj)
                done += 1
            except self.action_errors as exc:
                failed.append(f"{obj}: {exc}")
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        for failure in failed:
            self.message_user(request, failure, messages.ERROR)

    def apply_with_form(self, request, queryset, form_class, do, done_message, **page):
        """An action that first asks for something (a reason, a date) on an
        intermediate page; ``do(obj, cleaned_data)`` runs for each row."""
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self.apply_each(request, queryset, lambda obj: do(obj, form.cleaned_data), done_message)
            return None
        return reason_page(self, request, queryset, form, **page)

    def apply_with_reason(self, request, queryset, form_class, do, done_message, **page):
        """An action that asks for a reason first; ``do(obj, reason)``."""
        return self.apply_with_form(
            request, queryset, form_class, lambda obj, data: do(obj, data["reason"]), done_message, **page,
        )


class AreaScopedMixin:
    """Restricts every query, page and action of a ModelAdmin to the user's area.

    ``kelurahan_path`` leads from the model to its kelurahan. A record
    outside the area gets the admin's own "does not exist" answer, as an
    unknown id does; if it exists elsewhere, the attempt is recorded
    (``denied``). Full NIK/KK digits show only inside the area
    (``full_view``, see :func:`shown_number`).
    """

    kelurahan_path = "kelurahan"
    audit_type = ""

    def get_queryset(self, request):
        queryset = areas.scope(super().get_queryset(request), request.user, self.kelurahan_path)
        return areas.annotate_full_view(queryset, request.user, self.kelurahan_path)

    def normalize_search_term(self, term: str) -> str:
        # People paste NIK/KK with spaces, dots and dashes; search the digits.
        digits = identity.normalize(term)
        if digits.isdigit() and len(digits) >= 6:
            return digits
        return term

    def get_search_results(self, request, queryset, search_term):
        # Control characters (a stray NUL from a scanner) are never part of
        # a name or number, and PostgreSQL refuses NUL in a query.
        term = self.normalize_search_term(one_line(search_term))
        return super().get_search_results(request, queryset, term)

    def response_action(self, request, queryset):
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if any(not value.isdigit() for value in selected):
            return super().response_action(request, queryset)  # refused by ServiceActionsMixin
        # Ids the list never showed (another area's, in a crafted POST) are
        # dropped by the scoped queryset; record the attempt.
        in_scope = {str(pk) for pk in queryset.filter(pk__in=selected).values_list("pk", flat=True)}
        for object_id in set(selected) - in_scope:
            if self._exists(object_id):
                self._denied(request, object_id)
        return super().response_action(request, queryset)

    def _in_scope(self, request, object_id) -> bool:
        try:
            return self.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, TypeError, ValidationError):
            return False

    def _exists(self, object_id) -> bool:
        try:
            return self.model._default_manager.filter(pk=object_id).exists()
        except (ValueError, TypeError, ValidationError):
            return False

    def _obj_in_area(self, request, obj) -> bool:
        kelurahan = obj
        for part in self.kelurahan_path.split("__"):
            kelurahan = getattr(kelurahan, part)
        return areas.user_covers(request.user, kelurahan.code)

    def _denied(self, request, object_id) -> None:
        name = self.audit_type or self.model._meta.model_name
        audit.record(request, audit.Action.DENIED, name, object_id=object_id)

    def _out_of_area(self, request, object_id) -> bool:
        """Outside the area (or not there at all)? A real record elsewhere is
        logged as a refused attempt; the answer looks the same either way."""
        if self._in_scope(request, object_id):
            return False
        if self._exists(object_id):
            self._denied(request, object_id)
        return True

    def scoped_object(self, request, object_id, *perms: str):
        """The record behind one of the admin's own pages or downloads.

        The permissions first: without the model's view permission (and each
        of ``perms``) the answer is 403 whatever the id, so a role is never
        let through by its area alone. Then the area: a record elsewhere, or
        none, is 404, and a real one elsewhere is recorded as refused.
        """
        if not self.has_view_permission(request) or not all(request.user.has_perm(perm) for perm in perms):
            raise PermissionDenied
        if self._out_of_area(request, object_id):
            raise Http404
        return self.get_queryset(request).get(pk=object_id)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or self._obj_in_area(request, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self._obj_in_area(request, obj))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Out of area: the admin's own "does not exist" answer, as for an unknown id.
        self._out_of_area(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    # django-simple-history falls back to the history table for objects the
    # queryset hides: scope its pages too.
    def history_view(self, request, object_id, extra_context=None):
        if self._out_of_area(request, object_id):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Read-only here too, whatever else the admin combines this with: a
        # POST would revert a record, possibly one of another area.
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        if str(version_id).isdigit() and self._out_of_area(request, object_id):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


# --- Choice fields that survive crafted ids -----------------------------------


def _acceptable_ids(model_field, values) -> list:
    """The values the related model's key field can hold (type and range);
    any other cannot name a row, and asking the database about it fails
    (``int('abc')``, or an integer SQLite cannot store)."""
    remote = model_field.remote_field
    target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
    acceptable = []
    for value in values:
        try:
            target.clean(value, None)
        except ValidationError:
            continue
        acceptable.append(value)
    return acceptable


class CheckedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget looks its selected value up to show it,
    also when the form is shown again because that value was refused."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _acceptable_ids(self.field, value), attr)


class CheckedAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _acceptable_ids(self.field, value), attr)


class CheckedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses an id its model cannot hold before the database is asked."""

    def __init__(self, queryset, *, model_field=None, **kwargs):
        self.model_field = model_field
        super().__init__(queryset, **kwargs)

    def _check_values(self, value):
        values = list(value)
        if self.model_field is not None:
            for pk in values:
                if not _acceptable_ids(self.model_field, [pk]):
                    raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                          params={"pk": pk})
        return super()._check_values(values)


class CheckedChoicesMixin:
    """Every foreign-key and many-to-many field of the form refuses a crafted
    id as an ordinary form error; Django's own widgets and multiple-choice
    field would query the database with it and answer 500."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        kwargs.setdefault("form_class", CheckedModelMultipleChoiceField)
        if kwargs["form_class"] is CheckedModelMultipleChoiceField:
            kwargs["model_field"] = db_field
        return super().formfield_for_manytomany(db_field, request, **kwargs)
