"""The user list: staff and donor users with their role and organisations, in a few queries."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Prefetch

from kierratys.roles import ROLES


def users_for_list(*, role="", active=None):
    """Users by name, each with `groups` (role groups only) and `donor_organisations` loaded."""
    users = (
        get_user_model()
        .objects.order_by("last_name", "first_name", "username")
        .prefetch_related(
            Prefetch("groups", queryset=Group.objects.filter(name__in=ROLES)),
            "donor_organisations",
        )
    )
    if role:
        users = users.filter(groups__name=role)
    if active is not None:
        users = users.filter(is_active=active)
    return users
