"""A user's history on the user page: invited, role changes, deactivated and back."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts import services
from kierratys.timeline import timeline_for

REASON_LABELS = {
    services.INVITED: _("kutsuttu"),
    services.DEACTIVATED: _("poistettu käytöstä"),
    services.REACTIVATED: _("otettu uudelleen käyttöön"),
    **{
        services.ROLE_CHANGED.format(role=role): format_lazy("{}: {}", _("rooli"), label)
        for role, label in services.ROLE_LABELS.items()
    },
}
# Kept in the history but saying nothing on the page.
HIDDEN = {"date_joined"}


def user_timeline(user):
    """The user's history records as a timeline, newest first."""
    return timeline_for(
        user.history.all(), hidden_fields=HIDDEN, reason_labels=REASON_LABELS, newest_first=True
    )
