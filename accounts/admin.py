"""Users in the Django admin: for superusers, with their history; no deleting.

Coordinators manage users on the application's own pages (accounts.views.users), not
here: the admin's user form can grant superuser rights, so the coordinator role has no
permissions on auth.User.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    def has_delete_permission(self, request, obj=None):
        # Deactivate instead: the user's records keep the name.
        return False
