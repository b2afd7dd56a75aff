"""Admin for coordinators. Handovers change only through the handover pages (services)."""

from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from clients.eligibility import eligibility_refresh_all
from clients.models import AccessLog, Handover, Milestone, Municipality, SupportPoint


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    """A catalogue change here moves the clients' stored eligibility as milestone_update does."""

    list_display = ["order", "code", "name_fi", "required", "active"]
    list_display_links = ["code"]
    list_editable = ["order", "required", "active"]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            eligibility_refresh_all()

    def delete_model(self, request, obj):
        with transaction.atomic():
            super().delete_model(request, obj)
            eligibility_refresh_all()

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            eligibility_refresh_all()


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    """Read only: the list is Statistics Finland's, loaded by migrations from clients/data."""

    list_display = ["code", "name_fi", "name_sv"]
    search_fields = ["code", "name_fi", "name_sv"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SupportPoint)
class SupportPointAdmin(SimpleHistoryAdmin):
    list_display = ["name", "municipality", "address", "opening_hours", "active"]
    list_filter = [("municipality", admin.RelatedOnlyFieldListFilter), "active"]
    list_select_related = ["municipality"]
    search_fields = ["name", "municipality__name_fi", "municipality__name_sv"]
    readonly_fields = ["municipality_text"]


@admin.register(Handover)
class HandoverAdmin(SimpleHistoryAdmin):
    list_display = ["receipt_number", "device", "client", "kind", "status", "reserved_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["device", "client"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "client", "action"]
    list_filter = ["action"]
    list_select_related = ["user", "client"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
