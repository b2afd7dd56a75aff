"""The terms of a handover: gift or loan, the due date of a loan, the day it took place.

services.handover_complete refuses what these rules refuse, on the locked rows; the
confirmation step (services.handover_complete_check) runs the same rules before it shows
what will be printed, so a refusal never costs a receipt number. Each refusal names the
form field it belongs to, so the form shows it where the coach looks.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from clients.models import Client, Handover
from clients.readiness import READINESS_INCOMPLETE, readiness_missing, readiness_refusal_params

# A handover done away from the office (a village hall without a network) may be
# recorded afterwards, within this many days and with a reason.
BACKDATING_MAX_DAYS = 30

NOT_RESERVED = _("Luovutus on tilassa ”%(status)s”, joten sitä ei voi enää muuttaa.")
CLIENT_CANNOT_RECEIVE = _(
    "Asiakkaan tila on ”%(status)s”, joten laitetta ei voi luovuttaa. Peru varaus."
)
KIND_MISSING = _("Valitse, annetaanko laite lahjaksi vai lainaksi.")
LOAN_NEEDS_DUE_DATE = _("Kirjaa lainalle palautuspäivä.")
DUE_DATE_IN_PAST = _("Palautuspäivän pitää olla tulevaisuudessa.")
GIFT_HAS_NO_DUE_DATE = _(
    "Lahjalla ei ole palautuspäivää. Valitse ”laina”, jos laite pitää palauttaa, tai "
    "tyhjennä palautuspäivä."
)
HANDOVER_DATE_IN_FUTURE = _("Luovutuspäivä ei voi olla tulevaisuudessa.")
HANDOVER_DATE_TOO_EARLY = _(
    "Luovutuksen voi kirjata jälkikäteen enintään %(days)s päivän takaa (aikaisintaan "
    "%(earliest)s)."
)
HANDOVER_DATE_BEFORE_RESERVATION = _(
    "Luovutuspäivä ei voi olla ennen kuin laite varattiin asiakkaalle (%(reserved)s)."
)
BACKDATING_REASON_MISSING = _(
    "Kerro, miksi luovutus kirjataan jälkikäteen (esimerkiksi: luovutettiin kylätalolla "
    "ilman verkkoyhteyttä)."
)


class HandoverError(ValidationError):
    """A reservation, handover or return the rules refuse; the message is shown to the user."""


def _date(value):
    return date_format(value, "SHORT_DATE_FORMAT")


def handover_terms_errors(
    *, kind, due_date, handed_over_on, backdating_reason, reserved_on, today=None
):
    """What is wrong with these terms, as {field: ValidationError} (empty when all is well)."""
    today = today or timezone.localdate()
    errors = {}
    if kind not in Handover.Kind.values:
        # No default: a gift recorded by mistake makes the client "served" for good.
        errors["kind"] = ValidationError(KIND_MISSING, code="kind")
    elif kind == Handover.Kind.LOAN and due_date is None:
        errors["due_date"] = ValidationError(LOAN_NEEDS_DUE_DATE, code="due_date")
    elif kind == Handover.Kind.LOAN and due_date <= today:
        errors["due_date"] = ValidationError(DUE_DATE_IN_PAST, code="due_date")
    elif kind == Handover.Kind.GIFT and due_date is not None:
        # A due date says the coach meant a loan: refuse rather than guess.
        errors["due_date"] = ValidationError(GIFT_HAS_NO_DUE_DATE, code="gift_due_date")
    earliest = today - datetime.timedelta(days=BACKDATING_MAX_DAYS)
    if handed_over_on > today:
        errors["handed_over_on"] = ValidationError(HANDOVER_DATE_IN_FUTURE, code="future")
    elif handed_over_on < earliest:
        errors["handed_over_on"] = ValidationError(
            HANDOVER_DATE_TOO_EARLY,
            code="too_early",
            params={"days": BACKDATING_MAX_DAYS, "earliest": _date(earliest)},
        )
    elif handed_over_on < reserved_on:
        errors["handed_over_on"] = ValidationError(
            HANDOVER_DATE_BEFORE_RESERVATION,
            code="before_reservation",
            params={"reserved": _date(reserved_on)},
        )
    elif handed_over_on != today and not backdating_reason.strip():
        errors["backdating_reason"] = ValidationError(
            BACKDATING_REASON_MISSING, code="backdating_reason"
        )
    return errors


def handed_over_moment(handed_over_on, *, reserved_at, now=None):
    """The time recorded for a handover on that day: now, or this time of day back then.

    Never before the reservation, so the handover follows it in every list and timeline.
    """
    now = now or timezone.now()
    local_now = timezone.localtime(now)
    if handed_over_on == local_now.date():
        return now
    moment = timezone.make_aware(
        datetime.datetime.combine(handed_over_on, local_now.time().replace(tzinfo=None))
    )
    return max(moment, reserved_at)


def refuse_handover(locked, client, *, kind, due_date, handed_over_on, backdating_reason):
    """Raise HandoverError for what handover_complete would refuse (the terms on their fields)."""
    if locked.status != Handover.Status.RESERVED:
        raise HandoverError(
            NOT_RESERVED, code="not_reserved", params={"status": locked.get_status_display()}
        )
    if client.status != Client.Status.COACHING:
        # A closed client gets no device (and would escape retention as "served").
        raise HandoverError(
            CLIENT_CANNOT_RECEIVE,
            code="client_status",
            params={"status": client.get_status_display()},
        )
    errors = handover_terms_errors(
        kind=kind,
        due_date=due_date,
        handed_over_on=handed_over_on,
        backdating_reason=backdating_reason,
        reserved_on=timezone.localdate(locked.reserved_at),
    )
    if errors:
        raise HandoverError(errors)
    missing = readiness_missing(locked)
    if missing:
        raise HandoverError(
            READINESS_INCOMPLETE, code="not_prepared", params=readiness_refusal_params(missing)
        )


def handover_complete_check(
    *, handover, kind, due_date=None, handed_over_on=None, backdating_reason=""
):
    """Refuse (HandoverError) what handover_complete would refuse; writes and numbers nothing."""
    client = Client.objects.get(pk=handover.client_id)
    current = Handover.objects.select_related("device").get(pk=handover.pk)
    refuse_handover(
        current,
        client,
        kind=kind,
        due_date=due_date,
        handed_over_on=handed_over_on or timezone.localdate(),
        backdating_reason=backdating_reason,
    )
