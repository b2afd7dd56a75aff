"""The history of user accounts: who invited a user, changed the role, deactivated it.

Django's User has no history of its own. django-simple-history's `register()` gives it
one without a custom user model: it adds a HistoricalUser model (and, for the role
groups, HistoricalUser_groups) to this app's migrations, and every save of a user and
every change of its groups leaves a row with the acting user and the reason, the same
record as every domain model keeps. A second hand-written audit table would duplicate
that (CONVENTIONS "What to avoid").

Left out of the history: the password hash (no copy of old hashes lying around) and
`last_login`; the save that only stamps `last_login` at each login leaves no row at all,
since a login is not a change of the account.
"""

from django.contrib.auth import get_user_model
from simple_history import register
from simple_history.models import HistoricalRecords

LOGIN_STAMP = frozenset({"last_login"})


class UserHistoricalRecords(HistoricalRecords):
    """HistoricalRecords that skip the `last_login` stamp Django saves at every login."""

    def post_save(self, instance, created, using=None, **kwargs):
        if kwargs.get("update_fields") == LOGIN_STAMP:
            return
        super().post_save(instance, created, using=using, **kwargs)


register(
    get_user_model(),
    app="accounts",
    records_class=UserHistoricalRecords,
    excluded_fields=["password", "last_login"],
    m2m_fields=["groups"],
)
