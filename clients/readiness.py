"""The readiness checklist of a reserved device, and the rule that a handover needs it done.

services.handover_complete calls readiness_missing inside its own transaction, after
it has locked the client and the handover; readiness_record takes the same locks in
the same order (client, then handover), so a checklist change and a handover never
interleave.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client, Handover, HandoverReadiness
from kierratys.roles import is_coordinator

READINESS_INCOMPLETE = _("Laite ei ole valmis luovutettavaksi: puuttuu %(missing)s.")
READINESS_NOT_RESERVED = _(
    "Luovutus on tilassa ”%(status)s”. Valmistelun voi kirjata vain varatulle laitteelle."
)
READINESS_NOT_YOUR_CLIENT = _(
    "Valmistelun voi kirjata vain asiakkaan oma työvalmentaja tai koordinaattori."
)


class ReadinessError(ValidationError):
    """A checklist change the rules refuse; the message is shown to the user."""


def readiness_missing(handover):
    """The labels of the items still missing before this handover (every item if none recorded)."""
    readiness = HandoverReadiness.objects.filter(handover=handover).first()
    if readiness is None:
        readiness = HandoverReadiness(handover=handover)
    readiness.handover = handover
    return [readiness._meta.get_field(name).verbose_name for name in readiness.missing_fields()]


def readiness_refusal_params(missing):
    return {"missing": ", ".join(str(label) for label in missing)}


def readiness_record(*, handover, actor, note="", **checks):
    """Record a reserved device's checklist (its coach or a coordinator); else ReadinessError."""
    unknown = set(checks) - set(HandoverReadiness.CHECK_FIELDS)
    if unknown:
        raise TypeError(f"unknown checklist items: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        # Client first, then handover: the lock order of every handover service.
        client = Client.objects.select_for_update().get(pk=handover.client_id)
        locked = Handover.objects.select_for_update().select_related("device").get(pk=handover.pk)
        if locked.status != Handover.Status.RESERVED:
            raise ReadinessError(
                READINESS_NOT_RESERVED,
                code="not_reserved",
                params={"status": locked.get_status_display()},
            )
        if client.coach_id != actor.pk and not is_coordinator(actor):
            raise ReadinessError(READINESS_NOT_YOUR_CLIENT, code="not_your_client")
        readiness = HandoverReadiness.objects.filter(handover=locked).first()
        if readiness is None:
            readiness = HandoverReadiness(handover=locked)
        for name in HandoverReadiness.CHECK_FIELDS:
            setattr(readiness, name, bool(checks.get(name, False)))
        readiness.note = note
        readiness.checked_by = actor
        readiness.checked_at = timezone.now()
        readiness.full_clean(exclude=["handover"])
        readiness._history_user = actor
        readiness._change_reason = "readiness complete" if readiness.is_complete else "readiness"
        readiness.save()
    return readiness
