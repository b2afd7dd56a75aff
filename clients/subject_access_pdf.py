"""Subject access as a readable PDF for the resident, in plain language and his or her language.

The JSON export (clients.subject_access) is the complete machine-readable copy; this
document tells the person, in words, what is stored about him or her, why, who has
read it and how long it is kept. Making it is logged (action "export") before the
log is read, so the document lists its own reading too.
"""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format

from clients.access_log import access_log_record
from clients.models import AccessLog, Client, ClientMilestone, Handover
from kierratys.pdf import render_pdf

SUBJECT_ACCESS_TEMPLATE = "clients/subject_access_pdf.html"

# The client's own fields, in the order the document lists them.
STORED_FIELDS = (
    "code",
    "name",
    "phone",
    "municipality",
    "language",
    "coach",
    "service",
    "device_need",
    "accessibility_needs",
    "notes",
    "consent_date",
    "status",
    "closed_on",
    "created_at",
)


def _person(user):
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _shown(value):
    """A stored value as the document prints it: dates as 1.12.2026, times in Helsinki time."""
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if hasattr(value, "isoformat"):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _stored_fields(client):
    rows = []
    for name in STORED_FIELDS:
        model_field = Client._meta.get_field(name)
        if model_field.choices:
            value = getattr(client, f"get_{name}_display")()
        elif name == "coach":
            value = _person(client.coach)
        elif name == "municipality":
            value = client.municipality_label
        else:
            value = getattr(client, name)
        rows.append((model_field.verbose_name, _shown(value)))
    return rows


def subject_access_context(client):
    """What the document prints about `client` (read in the current language)."""
    milestones = ClientMilestone.objects.filter(client=client).select_related("milestone")
    handovers = (
        Handover.objects.filter(client=client).select_related("device").order_by("reserved_at")
    )
    access_log = AccessLog.objects.filter(client=client).select_related("user").order_by("at")
    return {
        "client": client,
        "stored_fields": _stored_fields(client),
        "milestones": [
            (record.milestone.name, _shown(record.completed_on), record.note)
            for record in milestones.order_by("milestone__order", "milestone__code")
        ],
        "handovers": handovers,
        "access_log": [
            (_shown(entry.at), _person(entry.user), entry.get_action_display())
            for entry in access_log
        ],
        "retention_months": settings.CLIENT_RETENTION_MONTHS,
        "served_close_months": settings.SERVED_CLIENT_CLOSE_MONTHS,
        "generated_on": timezone.localdate(),
    }


def client_subject_access_pdf(*, client, actor):
    """The readable subject-access PDF in the client's language; logs the reading first."""
    client = Client.objects.select_related("coach", "municipality").get(pk=client.pk)
    # Logged on its own, before the reading: no write transaction held while rendering.
    access_log_record(client=client, user=actor, action=AccessLog.Action.EXPORT)
    with translation.override(client.language or settings.LANGUAGE_CODE):
        return render_pdf(SUBJECT_ACCESS_TEMPLATE, subject_access_context(client))
