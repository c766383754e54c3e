from django.contrib import admin

from .models import Follow, Subscriber


class FollowInline(admin.TabularInline):
    model = Follow
    extra = 0
    fields = ["case", "query", "frequency", "confirmed_at", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Staff may look up and delete followers (on request), never add them: only double opt-in does."""

    list_display = ["email", "language", "created_at"]
    search_fields = ["email"]
    readonly_fields = ["email", "language", "created_at"]
    inlines = [FollowInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
