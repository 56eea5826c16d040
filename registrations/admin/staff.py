"""Regions, the access log, the retention purges, and staff users with their area of work."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kartusehat.admin import CheckedChoicesMixin, EstimatedCountPaginator, NoAddDeleteMixin, RobustChangelistMixin
from kartusehat.text import one_line

from ..models import (
    AccessLog,
    Region,
    RetentionPurge,
    StaffArea,
)


@admin.register(Region)
class RegionAdmin(NoAddDeleteMixin, RobustChangelistMixin, admin.ModelAdmin):
    list_display = ["code", "name", "level", "current"]
    list_filter = ["level", "current"]
    search_fields = ["code", "name"]

    def has_change_permission(self, request, obj=None):
        return False


class ObjectTypeFilter(admin.SimpleListFilter):
    """What was read, from a fixed list: the field's distinct values would be
    read from the whole log (millions of rows) on every page."""

    title = _("object type")
    parameter_name = "object_type"
    TYPES = ["registration", "household", "member", "document", "card", "dispatch", "manifest", "complaint",
             "coverage_check", "emergency_request", "emergency_letter", "person"]

    def lookups(self, request, model_admin):
        return [(name, name) for name in self.TYPES]

    def queryset(self, request, queryset):
        return queryset.filter(object_type=self.value()) if self.value() else queryset


@admin.register(AccessLog)
class AccessLogAdmin(NoAddDeleteMixin, RobustChangelistMixin, admin.ModelAdmin):
    list_display = ["at", "user", "action", "object_type", "object_id", "detail", "ip_address"]
    list_filter = ["action", ObjectTypeFilter]
    search_fields = ["user__username", "object_id"]
    search_help_text = _("A username, or the id of a record")
    list_select_related = ["user"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        # Two million rows and counting: a whole username or record id, by equality.
        term = one_line(search_term)
        if not term:
            return queryset, False
        return queryset.filter(Q(user__username=term) | Q(object_id=term)), False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RetentionPurge)
class RetentionPurgeAdmin(NoAddDeleteMixin, RobustChangelistMixin, admin.ModelAdmin):
    """What each run of a retention rule deleted (counts only), for the auditor and the administrator."""

    list_display = ["at", "rule", "period_days", "cutoff", "registrations", "members", "events", "documents",
                    "history_rows"]
    list_filter = ["rule"]

    def has_change_permission(self, request, obj=None):
        return False


class StaffAreaInline(CheckedChoicesMixin, admin.StackedInline):
    model = StaffArea
    can_delete = True
    extra = 0
    max_num = 1
    autocomplete_fields = ["region"]
    verbose_name_plural = _("area of work")


User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(Group)
class CheckedGroupAdmin(CheckedChoicesMixin, GroupAdmin):
    """Django's own, with a crafted permission id refused as a form error."""


@admin.register(User)
class StaffUserAdmin(CheckedChoicesMixin, UserAdmin):
    inlines = [StaffAreaInline]
    list_display = ["username", "first_name", "last_name", "area", "is_staff", "is_active"]
    list_select_related = ["staff_area__region"]

    @admin.display(description=_("area of work"))
    def area(self, obj):
        try:
            return obj.staff_area.region
        except StaffArea.DoesNotExist:
            return "—"
