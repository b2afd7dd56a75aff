"""The four roles of the programme and the checks views make against them.

A role is a Django auth group; the group names are the Finnish UI names, created
by the data migration `kierratys/migrations/0001_roles.py`.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

COORDINATOR = "Koordinaattori"
TECHNICIAN = "Teknikko"
COACH = "Työvalmentaja"
DONOR = "Lahjoittaja"
ROLES = (COORDINATOR, TECHNICIAN, COACH, DONOR)
STAFF_ROLES = (COORDINATOR, TECHNICIAN, COACH)


def role_names(user):
    """The names of the user's role groups, cached on the user for the request."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_role_names"):
        names = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        if user.is_superuser:
            names.add(COORDINATOR)
        user._role_names = frozenset(names)
    return user._role_names


def has_role(user, *roles):
    return bool(role_names(user) & set(roles))


def is_coordinator(user):
    return has_role(user, COORDINATOR)


def is_technician(user):
    return has_role(user, TECHNICIAN, COORDINATOR)


def is_coach(user):
    return has_role(user, COACH, COORDINATOR)


def is_donor(user):
    return has_role(user, DONOR)


def is_staff_member(user):
    return has_role(user, *STAFF_ROLES)


def role_required(*roles):
    """View decorator: login first, then 403 unless the user holds one of `roles`.

    Coordinators may use every staff page, so they pass any check that names a
    staff role.
    """

    allowed = set(roles)
    if allowed & set(STAFF_ROLES):
        allowed.add(COORDINATOR)

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not role_names(request.user) & allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class RoleRequiredMixin:
    """Class-based counterpart of `role_required`: set `roles` on the view."""

    roles: tuple = ()

    @classmethod
    def as_view(cls, **initkwargs):
        return role_required(*cls.roles)(super().as_view(**initkwargs))


def role_context(request):
    """Template flags for the navigation: each role sees only what it may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "role": {
            "coordinator": is_coordinator(user),
            "technician": is_technician(user),
            "coach": is_coach(user),
            "donor": is_donor(user),
            "staff": is_staff_member(user),
        }
    }
