"""A client's timeline, built with kierratys.timeline: from the first record through
milestones and handovers to closing (and anonymisation)."""

from django.utils.translation import gettext_lazy as _

from clients.models import Client, ClientMilestone, Handover
from devices.timelines import CREATED_SUMMARIES as DEVICE_SUMMARIES
from devices.timelines import REASON_LABELS as DEVICE_REASONS
from kierratys.timeline import timeline_for

CLIENT_HIDDEN = {"client", "created_at"}
# Handovers carry the device lifecycle's reasons (reserved, gift, loan returned...); the
# client services and the retention job write their own.
REASON_LABELS = {
    **DEVICE_REASONS,
    "device handed over as a gift": _("laite luovutettu lahjaksi"),
    "milestone removed": _("välitavoite poistettu"),
    "readiness": _("laitteen valmistelu kirjattu"),
    "readiness complete": _("laite valmisteltu luovutettavaksi"),
    "client closed": _("asiakkuus päätetty"),
    "retention: closed after the gift": _("asiakkuus päättyi automaattisesti lahjan jälkeen"),
    "retention: personal data anonymised": _("henkilötiedot anonymisoitu"),
}
CREATED_SUMMARIES = {
    **DEVICE_SUMMARIES,
    "clients.ClientMilestone": "{milestone}",
    "clients.Handover": "{device}",
}


def client_timeline(client):
    """The client's record, milestones and handovers, with field-level diffs, oldest first."""
    return timeline_for(
        Client.history.filter(id=client.pk),
        ClientMilestone.history.filter(client_id=client.pk),
        Handover.history.filter(client_id=client.pk),
        hidden_fields=CLIENT_HIDDEN,
        reason_labels=REASON_LABELS,
        created_summaries=CREATED_SUMMARIES,
    )
